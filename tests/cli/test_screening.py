"""``hipback screen`` and ``hipback schema evaluation`` through the console entry point."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import invoke

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
run = invoke  # the console entry point, in this process (conftest.invoke)


def test_screen_example_json() -> None:
    out = run("screen", str(EXAMPLES / "evaluation.json"))
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout)
    assert body["decision"] == "eligible"
    assert body["subgroup"]["name"] == "weak_symptomatic"
    assert body["stratification"] == {"site": "newark", "sex": "female"}


def test_screen_text_from_stdin() -> None:
    text = (EXAMPLES / "evaluation.json").read_text(encoding="utf-8")
    out = run("screen", "-", "--format", "text", stdin=text)
    assert out.returncode == 0, out.stderr
    assert "Decision: ELIGIBLE" in out.stdout


def test_bad_evaluation_exits_2_listing_each_field(tmp_path: Path) -> None:
    data = json.loads((EXAMPLES / "evaluation.json").read_text(encoding="utf-8"))
    data["low_back_pain"]["intensity_nprs"] = 11
    data["hip_exam"]["right"]["rom_deg"]["internal_rotation"] = -5
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    out = run("screen", str(path))
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert "2 problems" in lines[0]
    assert any(
        "low_back_pain.intensity_nprs: got 11; allowed: a whole number from 0 to 10" in line
        for line in lines
    )
    assert any("hip_exam.right.rom_deg.internal_rotation: got -5" in line for line in lines)


def test_not_json_and_missing_file_exit_2(tmp_path: Path) -> None:
    assert run("screen", "-", stdin="not json").returncode == 2
    assert run("screen", str(tmp_path / "absent.json")).returncode == 2


def test_unknown_format_is_a_usage_error() -> None:
    out = run("screen", str(EXAMPLES / "evaluation.json"), "--format", "xml")
    assert out.returncode == 2


def test_schema_evaluation_prints_json_schema() -> None:
    out = run("schema", "evaluation")
    assert out.returncode == 0, out.stderr
    schema = json.loads(out.stdout)
    assert schema["title"] == "Evaluation"
    assert "hip_exam" in schema["properties"]
