"""``hipback score`` and ``hipback measures list`` through the console entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hipback.measures import ids

from .conftest import invoke

run = invoke  # the console entry point, in this process (conftest.invoke)


def test_score_from_stdin() -> None:
    out = run("score", "qbpds", stdin=json.dumps({"items": [1] * 20}))
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout)
    assert body["instrument"] == "qbpds"
    assert body["score"] == 20
    assert body["unit"] == "points"
    assert "interpretation" in body


def test_score_from_file(tmp_path: Path) -> None:
    path = tmp_path / "odi.json"
    path.write_text(json.dumps({"items": [2] * 10}))
    out = run("score", "odi", "--input", str(path))
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["score"] == 40


@pytest.mark.parametrize(
    ("args", "stdin", "needle"),
    [
        (("score", "qbpds"), json.dumps({"items": [1] * 19}), "items: got '19 answers'"),
        (("score", "qbpds"), json.dumps({"items": [1] * 19 + [6]}), "items[19]: got 6"),
        (("score", "qbpds"), json.dumps({"items": [1] * 19 + ["a"]}), "items[19]: got 'a'"),
        (("score", "nope"), "{}", "instrument: got 'nope'; allowed: one of qbpds"),
        (("score", "qbpds"), "not json", "stdin"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: tuple[str, ...], stdin: str, needle: str) -> None:
    out = run(*args, stdin=stdin)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1
    assert needle in lines[0]


def test_batch_csv(tmp_path: Path) -> None:
    path = tmp_path / "odi.csv"
    header = ",".join(f"s{i}" for i in range(1, 11))
    path.write_text(f"{header}\n" + ",".join(["1"] * 10) + "\n" + ",".join(["9"] * 10) + "\n")
    out = run("score", "odi", "--batch", "--input", str(path))
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert rows[0]["score"] == 20
    assert rows[0]["ok"] is True
    assert rows[1]["ok"] is False
    assert rows[1]["problem"]


def test_batch_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps({"items": [1] * 20}) + "\n" + json.dumps({"items": [0]}) + "\n")
    out = run("score", "qbpds", "--batch", "--input", str(path))
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["ok"] for r in rows] == [True, False]
    assert "exactly 20 answers" in rows[1]["problem"]


def test_measures_list_json() -> None:
    out = run("measures", "list", "--json")
    assert out.returncode == 0
    assert [r["id"] for r in json.loads(out.stdout)] == list(ids())
