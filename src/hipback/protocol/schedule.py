"""When the 16 sessions happen: 2 a week for 8 weeks, around clinic closures and holidays.

MASH: one-hour sessions twice a week for 8 weeks, 16 planned (registry NCT04009837). Visit
windows and make-up rules are not published; the rules below are hipback's:

* The clinic calendar is holiday-aware by default: the public holidays of the clinic's country
  (a setting, default US: the federal holidays and their observed days, from the maintained
  ``holidays`` package; optionally a state or province), the clinic's own closure dates and its
  closed weekdays (default Saturday and Sunday). ``hipback plan --no-holidays`` leaves the
  public holidays out (closure dates and closed weekdays still apply).
* The first session is the first open day on or after the start date. Its weekday and the day
  three days later form the weekly pattern (Mon/Thu, Tue/Fri, Fri/Mon, ...). If that second day
  is a closed weekday, +4 then +2 days are tried, so sessions stay ≥ 48 h apart.
* A session that falls on a closed day or holiday moves to the nearest open day (up to 3 days
  either way) so the 2-a-week rhythm holds. A treatment week is the 7 days from the first
  session's weekday; the preference is, in order: the same treatment week with ≥ 48 h to both
  neighbours; the same week with ≥ 48 h since the previous session; any nearby day with ≥ 48 h
  since the previous session; finally the same week with less than 48 h (flagged). Between two
  days equally near, the later one is taken. With no open day nearby the slot is dropped and
  the programme runs one slot longer.
* Days count as calendar days: two days apart at the same time of day is 48 h.
* Reassessment is after session 8 ("4 weeks", 8 sessions done) and session 16 ("8 weeks", the
  MASH primary endpoint, which MASH timed from randomisation, not from the last session).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from hipback.errors import InvalidInput, Problem
from hipback.protocol import closures

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_COUNTRY = "US"
SESSIONS = 16
MIN_GAP_DAYS = 2  # 48 h between sessions at the same time of day
SEARCH_DAYS = 3
REASSESS_AFTER = {8: "4-week", 16: "8-week"}


@dataclass(frozen=True)
class ClinicCalendar:
    """Days the clinic is closed: weekdays (0 = Monday), its own closure dates, and the public
    holidays of ``country`` (and ``subdivision``); ``country=None`` leaves holidays out."""

    closed_weekdays: frozenset[int] = frozenset({5, 6})
    closure_dates: frozenset[date] = frozenset()
    country: str | None = DEFAULT_COUNTRY
    subdivision: str | None = None

    def __post_init__(self) -> None:
        if not self.closed_weekdays <= set(range(7)) or len(self.closed_weekdays) > 5:
            raise InvalidInput.one(
                "closed_weekdays",
                sorted(WEEKDAYS[d] for d in self.closed_weekdays),
                "at most 5 closed weekdays",
                "twice-weekly sessions need at least two open weekdays",
            )
        if self.country is not None:
            closures.check(self.country, self.subdivision)
        elif self.subdivision is not None:
            raise InvalidInput.one("subdivision", self.subdivision, "only with a country")

    def holiday(self, day: date) -> str | None:
        """The public holiday's name on ``day``, if any."""
        if self.country is None:
            return None
        return closures.public_holidays(self.country, self.subdivision, day.year).get(day)

    def closed_because(self, day: date) -> str | None:
        """Why the clinic is closed on ``day`` (None if open), in words."""
        if day.weekday() in self.closed_weekdays:
            return f"the clinic is closed on {DAY_NAMES[day.weekday()]}s"
        if day in self.closure_dates:
            return "a clinic closure date"
        name = self.holiday(day)
        if name is not None:
            return f"{name}, a public holiday"
        return None

    def is_open(self, day: date) -> bool:
        return self.closed_because(day) is None

    def closed_days(self, start: date, end: date) -> list[tuple[date, str]]:
        """Closure dates and holidays on open weekdays from ``start`` to ``end``, with why."""
        out = []
        day = start
        while day <= end:
            if day.weekday() not in self.closed_weekdays:
                why = self.closed_because(day)
                if why is not None:
                    out.append((day, why))
            day += timedelta(days=1)
        return out

    @property
    def closed_weekday_names(self) -> list[str]:
        return [WEEKDAYS[d] for d in sorted(self.closed_weekdays)]

    @classmethod
    def parse(
        cls,
        closed: str | None,
        closure_dates: str | None,
        country: str | None = DEFAULT_COUNTRY,
        subdivision: str | None = None,
    ) -> ClinicCalendar:
        """From text: ``closed='sat,sun'``, ``closure_dates='2026-12-24,2026-12-31'``,
        ``country='US'`` (``None`` or ``''``: no public holidays), ``subdivision='DE'``."""
        problems: list[Problem] = []
        weekdays: set[int] = {5, 6}
        if closed is not None:
            weekdays = set()
            for token in (t.strip().lower() for t in closed.split(",") if t.strip()):
                if token[:3] in WEEKDAYS:
                    weekdays.add(WEEKDAYS.index(token[:3]))
                else:
                    problems.append(Problem("closed_weekdays", token, "mon, tue, ..., sun"))
        days: set[date] = set()
        for token in (t.strip() for t in (closure_dates or "").split(",") if t.strip()):
            try:
                days.add(date.fromisoformat(token))
            except ValueError:
                problems.append(Problem("closure_dates", token, "ISO dates YYYY-MM-DD"))
        if problems:
            raise InvalidInput(problems)
        code = (country or "").strip().upper() or None
        sub = (subdivision or "").strip().upper() or None
        return cls(frozenset(weekdays), frozenset(days), code, sub)


@dataclass(frozen=True)
class ScheduledSession:
    number: int
    on: date
    week: int
    notes: tuple[str, ...] = ()
    reassessment: str | None = None


@dataclass(frozen=True)
class Schedule:
    start_on: date
    sessions: tuple[ScheduledSession, ...]
    pattern: tuple[str, str]
    notes: tuple[str, ...] = field(default=())

    @property
    def end_on(self) -> date:
        return self.sessions[-1].on


def _pattern(first: date, calendar: ClinicCalendar) -> int:
    for offset in (3, 4, 2):
        if (first + timedelta(days=offset)).weekday() not in calendar.closed_weekdays:
            return offset
    closed = calendar.closed_weekdays
    return next(d for d in range(1, 7) if (first.weekday() + d) % 7 not in closed)


def _targets(first: date, offset: int) -> Iterator[tuple[date, int]]:
    block = 0
    while True:
        base = first + timedelta(days=7 * block)
        yield base, block
        yield base + timedelta(days=offset), block
        block += 1


def _place(
    target: date,
    block_start: date,
    prev: date | None,
    next_target: date,
    calendar: ClinicCalendar,
) -> tuple[date, str | None] | None:
    block_end = block_start + timedelta(days=6)
    deltas = [0] + [s * d for d in range(1, SEARCH_DAYS + 1) for s in (1, -1)]
    options = [target + timedelta(days=d) for d in deltas]
    options = [d for d in options if calendar.is_open(d) and (prev is None or d > prev)]

    def gap_prev(d: date) -> int:
        return 99 if prev is None else (d - prev).days

    in_block = [d for d in options if block_start <= d <= block_end]
    passes = (
        [d for d in in_block if gap_prev(d) >= 2 and (next_target - d).days >= MIN_GAP_DAYS],
        [d for d in in_block if gap_prev(d) >= MIN_GAP_DAYS],
        [d for d in options if gap_prev(d) >= MIN_GAP_DAYS],
        in_block,
    )
    for rank, found in enumerate(passes):
        if found:
            day = found[0]
            if rank == 3:
                return day, "less than 48 h after the previous session (no better open day)"
            return day, None
    return None


def schedule_sessions(
    start_on: date, calendar: ClinicCalendar | None = None, sessions: int = SESSIONS
) -> Schedule:
    """Dates for ``sessions`` visits, twice a week from ``start_on``."""
    cal = calendar or ClinicCalendar()
    if not 1 <= sessions <= 40:
        raise InvalidInput.one("sessions", sessions, "1 to 40")
    first = start_on
    for _ in range(14):
        if cal.is_open(first):
            break
        first += timedelta(days=1)
    else:
        raise InvalidInput.one(
            "start_on", start_on.isoformat(), "a start with an open clinic day in the next 2 weeks"
        )
    offset = _pattern(first, cal)
    pattern = (WEEKDAYS[first.weekday()], WEEKDAYS[(first.weekday() + offset) % 7])
    targets = _targets(first, offset)
    placed: list[ScheduledSession] = []
    notes: list[str] = []
    if first != start_on:
        why = cal.closed_because(start_on)
        notes.append(
            f"{start_on.isoformat()} is closed ({why}); the first session is {first.isoformat()}."
        )
    current = next(targets)
    for _ in range(sessions * 4):
        if len(placed) == sessions:
            break
        upcoming = next(targets)
        target, block = current
        prev = placed[-1].on if placed else None
        block_start = first + timedelta(days=7 * block)
        spot = _place(target, block_start, prev, upcoming[0], cal)
        if spot is None:
            notes.append(
                f"No open day within {SEARCH_DAYS} days of {target.isoformat()}; "
                "that slot is made up at the end of the programme."
            )
        else:
            day, warning = spot
            session_notes: list[str] = []
            if day != target:
                why = cal.closed_because(target) or "to keep 48 h after the previous session"
                session_notes.append(f"moved from {target.isoformat()} ({why})")
            if warning:
                session_notes.append(warning)
            number = len(placed) + 1
            placed.append(
                ScheduledSession(
                    number=number,
                    on=day,
                    week=(day - first).days // 7 + 1,
                    notes=tuple(session_notes),
                    reassessment=REASSESS_AFTER.get(number) if sessions == SESSIONS else None,
                )
            )
        current = upcoming
    if len(placed) < sessions:
        raise InvalidInput.one(
            "calendar", "too many closed days", "a calendar with open days twice a week"
        )
    return Schedule(start_on=start_on, sessions=tuple(placed), pattern=pattern, notes=tuple(notes))
