"""Fit each session into the clinic's time: what is done in the clinic, what takes turns, what
is done at home, and why (priorities in ``protocol/data/session_time.toml``).

Per session, after the fixed minutes (check-in, and the reassessment at sessions 8 and 16):

1. **Core** categories of the arm first (hip arm: hip mobilisation, hip strengthening,
   education; spine arm: lumbar manual therapy, trunk training, education), in that order;
   within a category the item done in the clinic longest ago first, then plan order.
2. Then the **rotating** categories, the item done in the clinic longest ago first, so they take
   turns across sessions.
3. An item that does not fit the minutes left is left out of this session: done at home if it
   is in the session's home programme, otherwise it waits for a later session. A smaller item
   further down may still fit. The session lists each left-out item with the reason and the
   next session it is planned in the clinic.

The session's minutes therefore never exceed the budget. Items held back while irritability
is high are not candidates at all (see Severity and irritability).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from hipback.protocol.treatment_plan import LeftOut, PlanItem, PlanSession

PART_ORDER = {"manual": 0, "supervised": 1, "education": 2, "home": 3}
NEVER = -1


@dataclass(frozen=True)
class Slot:
    """One session to fit: its candidates (minutes known) and its home programme ids."""

    number: int
    fixed_minutes: int
    candidates: Sequence[PlanItem]
    held: Sequence[LeftOut]
    home_ids: frozenset[str]


@dataclass(frozen=True)
class Fitted:
    number: int
    items: list[PlanItem]
    left_out: list[LeftOut]
    minutes: int


def _key(item: PlanItem, last: Mapping[str, int]) -> tuple[int, ...]:
    seen = last.get(item.id, NEVER)
    if item.core:
        return (0, item.priority, seen, item.rank)
    return (1, seen, item.priority, item.rank)


def clinic_order(items: Sequence[PlanItem]) -> list[PlanItem]:
    """Manual therapy first, then supervised exercise, then education; plan order within."""
    return sorted(items, key=lambda i: (PART_ORDER[i.part], i.rank))


def fit(
    slots: Sequence[Slot], budget: int, history: Mapping[str, int] | None = None
) -> list[Fitted]:
    """Lay out ``slots`` in order; ``history`` = item id → last session done in the clinic."""
    last = dict(history or {})
    out: list[Fitted] = []
    for slot in slots:
        free = budget - slot.fixed_minutes
        chosen: list[PlanItem] = []
        left: list[LeftOut] = []
        for item in sorted(slot.candidates, key=lambda i: _key(i, last)):
            minutes = item.minutes or 0
            if minutes <= free:
                chosen.append(item)
                free -= minutes
                continue
            goes = "home" if item.id in slot.home_ids else "later"
            data = item.model_dump()
            left.append(LeftOut(**data, goes=goes, reason=""))
        for item in chosen:
            last[item.id] = slot.number
        used = budget - free
        held = list(slot.held)
        out.append(Fitted(slot.number, clinic_order(chosen), [*held, *left], used))
    return out


def explain(sessions: list[PlanSession], budget: int) -> list[PlanSession]:
    """Fill in each left-out item's next session in the clinic and its reason."""
    in_clinic = [{i.id for i in s.items} for s in sessions]
    out = []
    for index, session in enumerate(sessions):
        entries = []
        for entry in session.left_out:
            if entry.goes == "held back":
                entries.append(entry)
                continue
            later = next(
                (s.number for s, ids in zip(sessions[index + 1 :], in_clinic[index + 1 :],
                                            strict=True) if entry.id in ids),
                None,
            )  # fmt: skip
            full = f"The {budget}-minute session is full with higher-priority items"
            where = "done at home this time (home programme)" if entry.goes == "home" else (
                "waits for a later session"
            )  # fmt: skip
            if later:
                then = f"; next in the clinic at session {later}"
            elif entry.goes == "home":
                then = "; no more clinic time planned: check it when time allows"
            else:
                then = "; no more clinic time planned: review the plan"
            reason = f"{full}: {where}{then}."
            entries.append(entry.model_copy(update={"next_in_clinic": later, "reason": reason}))
        out.append(session.model_copy(update={"left_out": entries}))
    return out
