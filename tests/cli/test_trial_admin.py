"""CLI: trial init / randomise / status / verify / consort (file-based)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

from typer.testing import CliRunner

from hipback.cli.trial_admin import app

CONFIG = Path(str(resources.files("hipback.trial").joinpath("data/mash_randomisation.toml")))
runner = CliRunner()


def test_init_randomise_status_verify(tmp_path: Path) -> None:
    trial = tmp_path / "trial"
    result = runner.invoke(app, ["init", str(CONFIG), "--output", str(trial)])
    assert result.exit_code == 0, result.output
    commitment = result.output.strip().splitlines()[-1]
    assert len(commitment) == 64
    args = [
        "randomise",
        str(trial),
        "--participant",
        "P-001",
        "--site",
        "duke",
        "--sex",
        "female",
        "--eligible",
        "--consented",
        "--by",
        "R. Coordinator",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["arm"] in ("hip", "spine") and record["previous_hash"] == commitment
    status = json.loads(runner.invoke(app, ["status", str(trial)]).output)
    assert status["randomised"] == 1 and status["commitment"] == commitment
    verified = runner.invoke(app, ["verify", str(trial)])
    assert verified.exit_code == 0 and json.loads(verified.output)["ok"] is True


def test_randomise_without_eligibility_flag_is_refused(tmp_path: Path) -> None:
    trial = tmp_path / "trial"
    runner.invoke(app, ["init", str(CONFIG), "--output", str(trial)])
    result = runner.invoke(
        app,
        [
            "randomise",
            str(trial),
            "--participant",
            "P-1",
            "--site",
            "duke",
            "--sex",
            "male",
            "--consented",
        ],
    )
    assert result.exit_code != 0
    assert "eligible" in str(result.exception)
    assert (trial / "randomisation-log.jsonl").read_text() == ""


def test_consort_writes_svg_and_prints_counts(tmp_path: Path) -> None:
    records = {
        "arms": ["hip", "spine"],
        "visits": ["week8"],
        "participants": [
            {"id": "S1", "exclusion": {"category": "declined", "reason": "Travel"}},
            {"id": "P1", "arm": "hip", "followup": {"week8": {"status": "completed"}}},
            {"id": "P2", "arm": "spine", "followup": {"week8": {"status": "lost"}}},
        ],
    }
    source = tmp_path / "records.json"
    source.write_text(json.dumps(records))
    svg = tmp_path / "flow.svg"
    result = runner.invoke(app, ["consort", str(source), "--output", str(svg)])
    assert result.exit_code == 0, result.output
    counts = json.loads(result.output)
    assert counts["assessed_for_eligibility"] == 3 and counts["randomised"] == 2
    ET.parse(svg)


def test_commands_are_on_the_main_trial_sub_app(tmp_path: Path) -> None:
    from hipback.cli import app as main_app

    trial = tmp_path / "trial"
    result = runner.invoke(main_app, ["trial", "init", str(CONFIG), "--output", str(trial)])
    assert result.exit_code == 0, result.output
    status = runner.invoke(main_app, ["trial", "status", str(trial)])
    assert json.loads(status.output)["randomised"] == 0
