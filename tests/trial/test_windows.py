"""Visit windows and statuses, including every boundary (hipback.trial.windows)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from hipback.core import Confidence
from hipback.errors import ConfigurationError, InvalidInput
from hipback.trial.deviations import DeviationCategory, record_deviation, window_deviations
from hipback.trial.windows import VisitStatus, load_schedule, schedule_states, visit_state

RANDOMISED = date(2026, 1, 1)


def test_default_schedule_is_mash_timepoints_with_unverified_windows() -> None:
    schedule = load_schedule()
    assert [v.code for v in schedule.visits] == ["baseline", "week8", "month6"]
    assert schedule.visit("week8").primary  # 8 weeks is the primary endpoint (mash.md §5.4)
    assert schedule.timing_source.confidence is Confidence.VERIFIED
    assert schedule.windows_source.confidence is Confidence.UNVERIFIED  # windows not found ❌


def test_week8_boundaries() -> None:
    # Default week8: target day 56 = 2026-02-26; window -7/+14 -> opens 2026-02-19, closes
    # 2026-03-12 (inclusive); late allowance 28 days -> collectable until 2026-04-09.
    w = load_schedule().visit("week8")
    opens, closes, late = date(2026, 2, 19), date(2026, 3, 12), date(2026, 4, 9)
    day = timedelta(days=1)
    expected = [
        (opens - day, VisitStatus.NOT_YET_DUE),
        (opens, VisitStatus.DUE),
        (closes, VisitStatus.DUE),
        (closes + day, VisitStatus.OVERDUE),
        (late, VisitStatus.OVERDUE),
        (late + day, VisitStatus.MISSED),
    ]
    for on, status in expected:
        assert visit_state(w, RANDOMISED, on).status is status, on


def test_completed_in_and_out_of_window() -> None:
    w = load_schedule().visit("week8")
    inside = visit_state(w, RANDOMISED, date(2026, 5, 1), completed_on=date(2026, 3, 12))
    assert inside.status is VisitStatus.COMPLETED and inside.in_window is True
    late = visit_state(w, RANDOMISED, date(2026, 5, 1), completed_on=date(2026, 3, 13))
    assert late.status is VisitStatus.COMPLETED and late.in_window is False


def test_recorded_missed_wins_over_due() -> None:
    w = load_schedule().visit("month6")
    assert visit_state(w, RANDOMISED, RANDOMISED, recorded_missed=True).status is VisitStatus.MISSED


def test_baseline_window_is_before_randomisation() -> None:
    b = load_schedule().visit("baseline")
    assert b.opens(RANDOMISED) == date(2025, 12, 2) and b.closes(RANDOMISED) == RANDOMISED
    done = visit_state(b, RANDOMISED, RANDOMISED, completed_on=date(2025, 12, 20))
    assert done.in_window is True


def test_schedule_states_and_automatic_deviations() -> None:
    schedule = load_schedule()
    states = schedule_states(
        schedule,
        RANDOMISED,
        on=date(2026, 12, 1),
        completed={"baseline": date(2025, 12, 28), "week8": date(2026, 3, 20)},
    )
    assert [s.status for s in states] == [
        VisitStatus.COMPLETED,
        VisitStatus.COMPLETED,
        VisitStatus.MISSED,
    ]
    deviations = window_deviations("P-9", states)
    assert [d.category for d in deviations] == [
        DeviationCategory.VISIT_OUT_OF_WINDOW,
        DeviationCategory.MISSED_VISIT,
    ]
    # 2026-03-20 is 22 days after the week-8 target 2026-02-26.
    assert "+22 days" in deviations[0].description
    assert all(d.detected == "automatic" for d in deviations)


def test_unknown_visit_code_is_named() -> None:
    with pytest.raises(InvalidInput) as info:
        schedule_states(load_schedule(), RANDOMISED, RANDOMISED, completed={"week9": RANDOMISED})
    assert info.value.problems[0].value == "week9"


def test_schedule_file_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "windows.toml"
    bad.write_text('schema_version = 1\nanchor = "randomisation"\nvisits = []\nextra = 1\n')
    with pytest.raises(ConfigurationError, match=r"windows\.toml"):
        load_schedule(bad)


def test_manual_deviation_validation() -> None:
    d = record_deviation(
        participant_id="P-1",
        category="intervention",
        description="Only 11 of 16 sessions held",
        occurred_on=date(2026, 3, 1),
        severity="major",
        reported_by="Site PI",
    )
    assert d.as_dict()["category"] == "intervention"
    with pytest.raises(InvalidInput) as info:
        record_deviation(
            participant_id="",
            category="weather",
            description="late",
            occurred_on=RANDOMISED,
            severity="huge",
            reported_by="x",
        )
    assert {p.field for p in info.value.problems} == {
        "participant_id",
        "category",
        "description",
        "severity",
    }
