"""Session calendar: 16 sessions, 2 a week for 8 weeks (mash.md §1), closures and holidays.

Expected dates are read off a 2026-27 calendar by hand: 2026-12-01 is a Tuesday, 2026-12-04
a Friday, 2026-12-25 a Friday, 2027-01-01 a Friday.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from hipback.errors import InvalidInput
from hipback.protocol.schedule import ClinicCalendar, schedule_sessions

XMAS = date(2026, 12, 25)
NEW_YEAR = date(2027, 1, 1)


def _gaps(days: list[date]) -> list[int]:
    return [(b - a).days for a, b in itertools.pairwise(days)]


def test_tuesday_start_gives_tue_fri_for_eight_weeks() -> None:
    plan = schedule_sessions(date(2026, 12, 1))
    days = [s.on for s in plan.sessions]
    assert plan.pattern == ("tue", "fri")
    assert len(days) == 16
    assert days[:4] == [date(2026, 12, 1), date(2026, 12, 4), date(2026, 12, 8), date(2026, 12, 11)]
    # block 8 starts 2026-12-01 + 49 days = 2027-01-19 (Tue); its Friday is 2027-01-22
    assert days[-1] == date(2027, 1, 22)
    assert _gaps(days) == [3, 4] * 7 + [3]
    assert [s.week for s in plan.sessions] == [w for w in range(1, 9) for _ in (0, 1)]


def test_monday_start_gives_mon_thu() -> None:
    plan = schedule_sessions(date(2026, 11, 30))
    assert plan.pattern == ("mon", "thu")
    assert all(s.on.weekday() in (0, 3) for s in plan.sessions)


def test_friday_start_pairs_with_the_next_monday() -> None:
    """Edge case: Friday + 3 days crosses the weekend; sessions are Fri/Mon, never Sat/Sun."""
    plan = schedule_sessions(date(2026, 12, 4))
    days = [s.on for s in plan.sessions]
    assert plan.pattern == ("fri", "mon")
    assert days[:3] == [date(2026, 12, 4), date(2026, 12, 7), date(2026, 12, 11)]
    assert all(d.weekday() in (4, 0) for d in days)
    assert min(_gaps(days)) >= 2
    # 8 blocks from Fri 2026-12-04: last block starts 2027-01-22, its Monday is 2027-01-25
    assert days[-1] == date(2027, 1, 25)


def test_wednesday_start_avoids_saturday() -> None:
    """Wed + 3 = Sat (closed), + 4 = Sun (closed), so + 2 = Fri: still 48 h apart."""
    plan = schedule_sessions(date(2026, 12, 2))
    assert plan.pattern == ("wed", "fri")
    assert min(_gaps([s.on for s in plan.sessions])) >= 2


def test_start_on_a_closed_day_moves_to_the_next_open_day() -> None:
    plan = schedule_sessions(date(2026, 12, 5))  # Saturday
    assert plan.sessions[0].on == date(2026, 12, 7)
    assert "closed" in plan.notes[0]


def test_christmas_holiday_moves_the_session_to_thursday() -> None:
    """Tue/Fri pattern; Fri 2026-12-25 is a holiday → Thu 12-24: 2 days after Tue 12-22 and 5
    before Tue 12-29, so both gaps stay ≥ 48 h in the same week."""
    plan = schedule_sessions(date(2026, 12, 1), ClinicCalendar(holidays=frozenset({XMAS})))
    moved = plan.sessions[7]
    assert moved.on == date(2026, 12, 24)
    assert moved.notes == ("moved from 2026-12-25 (a holiday)",)
    assert XMAS not in [s.on for s in plan.sessions]


def test_two_holidays_in_a_row_keep_48_hours() -> None:
    """Thu 12-24 and Fri 12-25 closed: the week's second slot goes to Mon 12-28 (same block
    Tue 12-22..Mon 12-28); the next Tuesday then moves to Wed 12-30 to keep 48 h."""
    cal = ClinicCalendar(holidays=frozenset({date(2026, 12, 24), XMAS, NEW_YEAR}))
    plan = schedule_sessions(date(2026, 12, 1), cal)
    days = [s.on for s in plan.sessions]
    assert len(days) == 16
    assert date(2026, 12, 28) in days
    assert date(2026, 12, 30) in days
    assert min(_gaps(days)) >= 2
    assert all(cal.is_open(d) for d in days)
    assert any("48 h" in n for s in plan.sessions for n in s.notes)


def test_a_closed_fortnight_extends_the_programme() -> None:
    closed = frozenset(date(2026, 12, 21) + timedelta(days=i) for i in range(14))
    plan = schedule_sessions(date(2026, 12, 1), ClinicCalendar(holidays=closed))
    days = [s.on for s in plan.sessions]
    assert len(days) == 16
    assert not closed & set(days)
    assert days[-1] > date(2027, 1, 22)
    assert any("made up at the end" in n for n in plan.notes)


def test_reassessments_after_sessions_8_and_16() -> None:
    plan = schedule_sessions(date(2026, 12, 1))
    marks = {s.number: s.reassessment for s in plan.sessions if s.reassessment}
    assert marks == {8: "4-week", 16: "8-week"}


def test_custom_closed_weekdays() -> None:
    cal = ClinicCalendar.parse("fri,sat,sun", None)
    plan = schedule_sessions(date(2026, 12, 1), cal)  # Tue + 3 = Fri closed → Tue + 4 = Sat
    # closed → Tue + 2 = Thu
    assert plan.pattern == ("tue", "thu")
    assert all(s.on.weekday() not in (4, 5, 6) for s in plan.sessions)


def test_calendar_parse_errors_name_the_field() -> None:
    with pytest.raises(InvalidInput) as err:
        ClinicCalendar.parse("sat,funday", "2026-12-25,25/12/2026")
    fields = [p.field for p in err.value.problems]
    assert fields == ["closed_weekdays", "holidays"]


def test_too_many_closed_weekdays_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="at most 5"):
        ClinicCalendar.parse("mon,tue,wed,thu,fri,sat", None)
