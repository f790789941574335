"""Session calendar: 16 sessions, 2 a week for 8 weeks (MASH), closures and public holidays.

Expected dates are read off a 2026-27 calendar by hand: 2026-12-01 is a Tuesday, 2026-12-04
a Friday, 2026-12-25 a Friday, 2027-01-01 a Friday. US federal holidays 2026-27 from the
Office of Personnel Management's list: Thanksgiving Thu 2026-11-26, Christmas Fri 2026-12-25,
New Year's Day Fri 2027-01-01, Martin Luther King Jr. Day Mon 2027-01-18.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from hipback.errors import InvalidInput
from hipback.protocol.schedule import ClinicCalendar, schedule_sessions

XMAS = date(2026, 12, 25)
NEW_YEAR = date(2027, 1, 1)
#: weekends closed, no public holidays: the bare 2-a-week rhythm
NO_HOLIDAYS = ClinicCalendar(country=None)


def _gaps(days: list[date]) -> list[int]:
    return [(b - a).days for a, b in itertools.pairwise(days)]


def test_tuesday_start_gives_tue_fri_for_eight_weeks() -> None:
    plan = schedule_sessions(date(2026, 12, 1), NO_HOLIDAYS)
    days = [s.on for s in plan.sessions]
    assert plan.pattern == ("tue", "fri")
    assert len(days) == 16
    assert days[:4] == [date(2026, 12, 1), date(2026, 12, 4), date(2026, 12, 8), date(2026, 12, 11)]
    # block 8 starts 2026-12-01 + 49 days = 2027-01-19 (Tue); its Friday is 2027-01-22
    assert days[-1] == date(2027, 1, 22)
    assert _gaps(days) == [3, 4] * 7 + [3]
    assert [s.week for s in plan.sessions] == [w for w in range(1, 9) for _ in (0, 1)]


def test_monday_start_gives_mon_thu() -> None:
    plan = schedule_sessions(date(2026, 11, 30), NO_HOLIDAYS)
    assert plan.pattern == ("mon", "thu")
    assert all(s.on.weekday() in (0, 3) for s in plan.sessions)


def test_friday_start_pairs_with_the_next_monday() -> None:
    """Edge case: Friday + 3 days crosses the weekend; sessions are Fri/Mon, never Sat/Sun."""
    plan = schedule_sessions(date(2026, 12, 4), NO_HOLIDAYS)
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
    cal = ClinicCalendar(closure_dates=frozenset({XMAS}), country=None)
    plan = schedule_sessions(date(2026, 12, 1), cal)
    moved = plan.sessions[7]
    assert moved.on == date(2026, 12, 24)
    assert moved.notes == ("moved from 2026-12-25 (a clinic closure date)",)
    assert XMAS not in [s.on for s in plan.sessions]


def test_two_holidays_in_a_row_keep_48_hours() -> None:
    """Thu 12-24 and Fri 12-25 closed: the week's second slot goes to Mon 12-28 (same block
    Tue 12-22..Mon 12-28); the next Tuesday then moves to Wed 12-30 to keep 48 h."""
    cal = ClinicCalendar(closure_dates=frozenset({date(2026, 12, 24), XMAS, NEW_YEAR}))
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
    plan = schedule_sessions(date(2026, 12, 1), ClinicCalendar(closure_dates=closed))
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
    assert fields == ["closed_weekdays", "closure_dates"]


def test_too_many_closed_weekdays_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="at most 5"):
        ClinicCalendar.parse("mon,tue,wed,thu,fri,sat", None)


def test_us_federal_holidays_are_avoided_by_default_keeping_two_a_week() -> None:
    """Default calendar = US public holidays. Tue/Fri from 2026-12-01: Fri 12-25 → Thu 12-24
    and Fri 01-01 → Thu 12-31 (same treatment week, 2 days after the Tuesday, 5 before the
    next); every treatment week still has 2 sessions ≥ 48 h apart."""
    plan = schedule_sessions(date(2026, 12, 1))
    days = [s.on for s in plan.sessions]
    assert not {XMAS, NEW_YEAR} & set(days)
    assert date(2026, 12, 24) in days
    assert date(2026, 12, 31) in days
    assert plan.sessions[7].notes == ("moved from 2026-12-25 (Christmas Day, a public holiday)",)
    assert plan.sessions[7].reassessment == "4-week"
    assert [s.week for s in plan.sessions] == [w for w in range(1, 9) for _ in (0, 1)]
    assert min(_gaps(days)) >= 2


def test_thanksgiving_and_mlk_day_move_within_their_week() -> None:
    """Mon/Thu from 2026-11-23: Thu 11-26 (Thanksgiving) → Wed 11-25 and Fri 11-27 are both one
    day away and keep 48 h either side; the tie goes to the later day, Fri 11-27 (4 days after
    Monday, 3 before the next). Mon/Thu from 2026-12-07 (weeks to 2027-01-25): Mon 01-18 (MLK
    Day) → Tue 01-19, 5 days after Thursday 01-14 and 2 before Thursday 01-21."""
    plan = schedule_sessions(date(2026, 11, 23))
    days = [s.on for s in plan.sessions]
    assert plan.pattern == ("mon", "thu")
    assert date(2026, 11, 26) not in days
    assert date(2026, 11, 27) in days
    assert min(_gaps(days)) >= 2
    later = [s.on for s in schedule_sessions(date(2026, 12, 7)).sessions]
    assert date(2027, 1, 18) not in later
    assert date(2027, 1, 19) in later
    assert date(2027, 1, 21) in later


def test_another_country_and_a_state_holiday() -> None:
    """England and Wales: Boxing Day Sat 2026-12-26 is observed Mon 12-28. Delaware adds the
    day after Thanksgiving (Fri 2026-11-27) to the federal list."""
    gb = ClinicCalendar.parse("sat,sun", None, "gb")
    assert gb.country == "GB"
    assert not gb.is_open(date(2026, 12, 28))
    assert "public holiday" in (gb.closed_because(date(2026, 12, 28)) or "")
    de = ClinicCalendar.parse(None, None, "US", "DE")
    assert not de.is_open(date(2026, 11, 27))
    assert ClinicCalendar().is_open(date(2026, 11, 27))


def test_no_holidays_keeps_closure_dates_and_closed_weekdays() -> None:
    cal = ClinicCalendar.parse("sat,sun", "2026-12-24", country=None)
    assert cal.is_open(XMAS)
    assert not cal.is_open(date(2026, 12, 24))
    assert cal.closed_because(date(2026, 12, 26)) == "the clinic is closed on Saturdays"


@pytest.mark.parametrize(
    ("country", "subdivision", "field"),
    [("XX", None, "country"), ("US", "ZZ", "subdivision"), (None, "DE", "subdivision")],
)
def test_unknown_country_or_subdivision_names_the_field(
    country: str | None, subdivision: str | None, field: str
) -> None:
    with pytest.raises(InvalidInput) as err:
        ClinicCalendar(country=country, subdivision=subdivision)
    assert err.value.problems[0].field == field
