"""A prescribed dose in words a patient reads at a glance (large-print handouts).

``Dose(sets=2, reps=10, hold_s=5, per_week=3)`` →
"2 sets of 10 repetitions, hold each for 5 seconds, 3 days a week".
"""

from __future__ import annotations

from hipback.protocol.catalog import Dose


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def plain_dose(dose: Dose) -> str:
    parts: list[str] = []
    if dose.reps:
        reps = _plural(dose.reps, "repetition")
        parts.append(f"{_plural(dose.sets, 'set')} of {reps}" if dose.sets else reps)
        if dose.hold_s:
            parts.append(f"hold each for {_plural(dose.hold_s, 'second')}")
    elif dose.hold_s:
        hold = f"hold for {_plural(dose.hold_s, 'second')}"
        parts.append(f"{hold}, {_plural(dose.sets, 'time')}" if dose.sets else hold)
    if dose.bouts and not dose.reps:
        parts.append(_plural(dose.bouts, "bout"))
    if dose.minutes:
        parts.append(_plural(dose.minutes, "minute"))
    if dose.load and dose.load != "body weight":
        parts.append(dose.load)
    if dose.effort:
        parts.append(dose.effort.replace("/10", " out of 10"))
    if dose.per_week == 7:
        parts.append("every day")
    elif dose.per_week is not None:
        parts.append(f"{_plural(dose.per_week, 'day')} a week")
    return ", ".join(parts)
