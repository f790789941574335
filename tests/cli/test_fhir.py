"""CLI: hipback fhir export/import and hipback export research on real SQLite databases."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hipback.cli import app
from hipback.errors import InvalidInput

runner = CliRunner()


def _use(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    monkeypatch.setenv("HIPBACK_DATABASE_URL", f"sqlite:///{db}")


def test_export_import_round_trip(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _use(monkeypatch, tmp_path / "a.sqlite3")
    assert runner.invoke(app, ["demo", "--patients", "3"]).exit_code == 0
    out = tmp_path / "all.json"
    result = runner.invoke(app, ["fhir", "export", "--all", "--output", str(out)])
    assert result.exit_code == 0, result.output
    one = tmp_path / "one.json"
    result = runner.invoke(app, ["fhir", "export", "--patient", "1", "--output", str(one)])
    assert result.exit_code == 0, result.output
    patients = [
        e
        for e in json.loads(one.read_text())["entry"]
        if e["resource"]["resourceType"] == "Patient"
    ]
    assert len(patients) == 1

    _use(monkeypatch, tmp_path / "b.sqlite3")
    result = runner.invoke(app, ["fhir", "import", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["created"]["Patient"] == 3
    again = runner.invoke(app, ["fhir", "import", str(out)])
    assert json.loads(again.output)["created"] == {} and json.loads(again.output)["updated"] == {}
    back = tmp_path / "back.json"
    assert runner.invoke(app, ["fhir", "export", "--all", "--output", str(back)]).exit_code == 0
    first, second = json.loads(out.read_text()), json.loads(back.read_text())
    # The CLI runs on the system clock: only the export time differs.
    first.pop("timestamp")
    second.pop("timestamp")
    assert first == second

    monkeypatch.setenv("HIPBACK_RESEARCH_KEY", "a-secret-key-of-enough-length")
    research = tmp_path / "r.csv"
    result = runner.invoke(app, ["export", "research", "--output", str(research)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(research.read_text().splitlines()))
    assert rows and "SYN-0001" not in research.read_text()


def test_bad_arguments_are_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _use(monkeypatch, tmp_path / "c.sqlite3")
    both = runner.invoke(
        app, ["fhir", "export", "--all", "--patient", "1", "--output", str(tmp_path / "x")]
    )
    assert isinstance(both.exception, InvalidInput)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert isinstance(runner.invoke(app, ["fhir", "import", str(broken)]).exception, InvalidInput)
    no_key = runner.invoke(app, ["export", "research", "--output", str(tmp_path / "r.csv")])
    assert isinstance(no_key.exception, InvalidInput)
    assert "HIPBACK_RESEARCH_KEY" in str(no_key.exception)
