"""``hipback plan`` and ``hipback progress`` as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hipback.cli import app
from hipback.cli.plans import parse_conditions
from hipback.errors import InvalidInput
from hipback.protocol.catalog import Condition

from .conftest import invoke

VIGNETTES = Path(__file__).resolve().parents[1] / "vignettes"
V01 = str(VIGNETTES / "v01_capsular_painful_right_hip.json")
runner = CliRunner()


def test_plan_json_lists_sessions_with_dates_items_dose_and_why() -> None:
    out = runner.invoke(app, ["plan", V01, "--arm", "hip", "--start", "2026-12-01"])
    assert out.exit_code == 0, out.output
    plan = json.loads(out.stdout)
    assert len(plan["sessions"]) == 16
    first = plan["sessions"][0]
    assert first["on"] == "2026-12-01"
    item = first["items"][0]
    assert item["dose_text"]
    assert item["why"][0]["rule"].startswith("H-")


def test_plan_respects_holidays_and_closed_days() -> None:
    args = ["plan", V01, "--arm", "spine", "--start", "2026-12-04", "--holidays", "2026-12-25",
            "--closed-weekdays", "sat,sun"]  # fmt: skip
    out = runner.invoke(app, args)
    assert out.exit_code == 0, out.output
    dates = [s["on"] for s in json.loads(out.stdout)["sessions"]]
    assert "2026-12-25" not in dates
    assert dates[:2] == ["2026-12-04", "2026-12-07"]  # Friday start: Fri/Mon


@pytest.mark.parametrize(("fmt", "marker"), [("text", "Calendar:"), ("html", "<!doctype html>")])
def test_readable_formats(fmt: str, marker: str) -> None:
    out = runner.invoke(app, ["plan", V01, "--arm", "hip", "--start", "2026-12-01", "-f", fmt])
    assert out.exit_code == 0, out.output
    assert marker in out.stdout


def test_html_escapes_and_shows_large_print_home_programme() -> None:
    out = runner.invoke(app, ["plan", V01, "--arm", "hip", "--start", "2026-12-01", "-f", "html"])
    assert "class='hep'" in out.stdout
    assert "Front-of-hip stretch" in out.stdout


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The console entry point in this process (conftest.invoke), with ``env`` set meanwhile."""
    saved = dict(os.environ)
    os.environ.update(env or {})
    try:
        return invoke(*args)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_refer_is_refused_with_a_clear_message_and_exit_2() -> None:
    out = run("plan", str(VIGNETTES / "v05_red_flags_refer.json"), "--arm", "hip",
              "--start", "2026-12-01", "--override-screening")  # fmt: skip
    assert out.returncode == 2
    assert "screening: got 'refer'" in out.stderr
    assert "no override" in out.stderr


def test_ineligible_needs_override() -> None:
    path = str(VIGNETTES / "v10_age_58_ineligible.json")
    refused = runner.invoke(app, ["plan", path, "--arm", "hip", "--start", "2026-12-01"])
    assert isinstance(refused.exception, InvalidInput)
    assert "--override-screening" in str(refused.exception)
    ok = runner.invoke(
        app, ["plan", path, "--arm", "hip", "--start", "2026-12-01", "--override-screening"]
    )
    assert ok.exit_code == 0
    assert json.loads(ok.stdout)["screening"]["overridden"] is True


def test_progress_proposes_and_writes_the_updated_plan(tmp_path: Path) -> None:
    made = runner.invoke(app, ["plan", V01, "--arm", "hip", "--start", "2026-12-01"])
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(made.stdout, encoding="utf-8")
    session = {"session": 1, "items": [{"id": "bridge", "sets_done": 2, "reps_done": 10,
               "hold_s_done": 3, "rpe": 3, "pain_before": 3, "pain_during": 4, "pain_after": 3,
               "pain_next_day": 3}]}  # fmt: skip
    session_path = tmp_path / "s1.json"
    session_path.write_text(json.dumps(session), encoding="utf-8")
    out_path = tmp_path / "plan2.json"
    out = runner.invoke(app, ["progress", str(plan_path), str(session_path), "-w", str(out_path)])
    assert out.exit_code == 0, out.output
    body = json.loads(out.stdout)
    assert body["proposals"][0]["decision"] == "progress"
    assert "effort ≤ 4/10" in body["rule"]
    updated = json.loads(out_path.read_text(encoding="utf-8"))
    (bridge,) = [i for i in updated["sessions"][1]["items"] if i["id"] == "bridge"]
    assert bridge["level"] == 2


def test_bad_options_are_named() -> None:
    bad = runner.invoke(app, ["plan", V01, "--arm", "hip", "--start", "1/12/2026"])
    assert isinstance(bad.exception, InvalidInput)
    assert bad.exception.problems[0].field == "--start"
    bad = runner.invoke(app, ["plan", V01, "--arm", "hip", "--start", "2026-12-01", "-f", "pdf"])
    assert isinstance(bad.exception, InvalidInput)


def test_parse_conditions() -> None:
    assert parse_conditions("anticoagulation,hip_replacement_other:left") == {
        Condition.ANTICOAGULATION: None,
        Condition.HIP_REPLACEMENT_OTHER: frozenset({"left"}),
    }
    with pytest.raises(InvalidInput) as err:
        parse_conditions("gout,fall_risk:middle")
    assert [p.field for p in err.value.problems] == ["--conditions", "--conditions"]


def test_progress_with_reassessment_measures_reports_not_responding(tmp_path: Path) -> None:
    made = runner.invoke(app, ["plan", V01, "--arm", "spine", "--start", "2026-12-01"])
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(made.stdout, encoding="utf-8")
    session_path = tmp_path / "s8.json"
    # V01 baseline QBPDS 40; 38 at week 4 is a 2-point change, inside the 15-point MDC
    session_path.write_text(
        json.dumps({"session": 8, "measures": {"qbpds": {"items": [2] * 18 + [1, 1]}}}),
        encoding="utf-8",
    )
    out = runner.invoke(app, ["progress", str(plan_path), str(session_path)])
    assert out.exit_code == 0, out.output
    body = json.loads(out.stdout)
    assert body["reassessment"]["not_responding"] is True
    assert body["reassessment"]["label"] == "4-week"


def test_invalid_evaluation_lists_every_bad_field(tmp_path: Path) -> None:
    data = json.loads(Path(V01).read_text(encoding="utf-8"))
    data["low_back_pain"]["intensity_nprs"] = 12
    data["hip_exam"]["left"]["rom_deg"]["flexion"] = 900
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    out = runner.invoke(app, ["plan", str(path), "--arm", "hip", "--start", "2026-12-01"])
    assert out.exit_code == 2
    assert "invalid evaluation (2 problems)" in out.stderr
    assert "low_back_pain.intensity_nprs" in out.stderr
    assert "hip_exam.left.rom_deg.flexion" in out.stderr


EXAMPLE = str(Path(__file__).resolve().parents[2] / "examples" / "evaluation.json")
XMAS, NEW_YEAR = "2026-12-25", "2027-01-01"  # both Fridays: Tue/Fri sessions from 2026-12-01


def _plan(*extra: str, env: dict[str, str] | None = None) -> dict[str, object]:
    args = ["plan", EXAMPLE, "--arm", "hip", "--start", "2026-12-01", *extra]
    out = runner.invoke(app, args, env=env)
    assert out.exit_code == 0, out.output
    body: dict[str, object] = json.loads(out.stdout)
    return body


def _dates(plan: dict[str, object]) -> list[str]:
    return [s["on"] for s in plan["sessions"]]  # type: ignore[attr-defined, index]


def test_us_holidays_by_default_and_no_holidays_turns_them_off() -> None:
    default = _plan()
    assert not {XMAS, NEW_YEAR} & set(_dates(default))
    assert default["calendar"]["country"] == "US"  # type: ignore[index]
    plain = _plan("--no-holidays")
    assert {XMAS, NEW_YEAR} <= set(_dates(plain))
    assert "country" not in plain["calendar"]  # type: ignore[operator]


def test_country_and_closure_dates_from_settings_or_options() -> None:
    """England: Christmas and New Year's Day are holidays too, and Boxing Day (Sat 12-26) is
    observed on Mon 12-28 (not a session day here). A clinic closure on Tue 12-29 moves that
    session; the CLI option wins over the setting (12-22 closed instead, 12-29 open)."""
    gb = _plan(env={"HIPBACK_COUNTRY": "GB", "HIPBACK_CLOSURE_DATES": "2026-12-29"})
    assert gb["calendar"]["country"] == "GB"  # type: ignore[index]
    assert not {XMAS, NEW_YEAR, "2026-12-29"} & set(_dates(gb))
    override = _plan("--closure-dates", "2026-12-22", env={"HIPBACK_CLOSURE_DATES": "2026-12-29"})
    assert "2026-12-22" not in _dates(override)
    assert override["calendar"]["closure_dates"] == ["2026-12-22"]  # type: ignore[index]


def test_session_minutes_from_the_option_or_the_setting() -> None:
    for plan, budget in ((_plan(), 60), (_plan("--session-minutes", "45"), 45),
                         (_plan(env={"HIPBACK_SESSION_MINUTES": "90"}), 90)):  # fmt: skip
        sessions = plan["sessions"]
        assert plan["session_minutes"] == budget
        assert all(s["minutes"] <= budget == s["budget_minutes"] for s in sessions)  # type: ignore[attr-defined, index]


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (
            ["--session-minutes", "20"],
            {},
            "session minutes: got 20; allowed: a whole number from 30",
        ),
        (["--country", "XX"], {}, "country: got 'XX'"),
        ([], {"HIPBACK_SESSION_MINUTES": "abc"}, "HIPBACK_SESSION_MINUTES: got 'abc'"),
        ([], {"HIPBACK_CLOSURE_DATES": "2026-13-01"}, "HIPBACK_CLOSURE_DATES: got"),
    ],
)
def test_bad_settings_are_named(args: list[str], env: dict[str, str], message: str) -> None:
    out = run("plan", EXAMPLE, "--arm", "hip", "--start", "2026-12-01", *args, env=env)
    assert out.returncode == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr
