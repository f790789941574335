"""Documentation overrides the plan: documented responses move later sessions' levels.

After session k is documented, each proposal (progress, hold or regress, by the rule above)
sets the item's level for the next session it appears in; the later planned steps follow from
there (the same number of levels above or below the plan). Each later session is then fitted
to the session length again (with the items done so far deciding whose turn it is), so a
heavier dose never pushes a session over its budget. Every changed item keeps its planned level
and dose next to the adjusted one and says why they differ. The irritability phase of a session
still sets its volume (one set fewer, ...), but not its grade cap: the documented response is
the clinician's evidence that a higher grade is tolerated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hipback.protocol.budget import Slot, explain, fit
from hipback.protocol.catalog import Catalog
from hipback.protocol.timing import TimingFile, item_time, load_timing
from hipback.protocol.treatment_plan import HomeItem, PlanItem, PlanSession, TreatmentPlan

ITEM_FIELDS = tuple(PlanItem.model_fields)


@dataclass(frozen=True)
class Move:
    """A documented decision for one item: its next level and what was decided."""

    to_level: int
    decision: str


def _planned(item: PlanItem | HomeItem) -> int:
    return item.planned_level or item.level


def _first(sessions: list[PlanSession], item_id: str) -> PlanItem | HomeItem | None:
    for s in sessions:
        found = s.find(item_id) or next((h for h in s.home_program if h.id == item_id), None)
        if found is not None:
            return found
    return None


def _level(cat: Catalog, item_id: str, planned: int, shift: int) -> int:
    return max(1, min(planned + shift, len(cat.get(item_id).ladder)))


def _why_adjusted(after: int, move: Move, level: int, planned: int) -> str | None:
    if level == planned:
        return None
    return (
        f"Session {after} documented ({move.decision}): level {level} instead of the planned "
        f"level {planned}."
    )


def _item(
    x: PlanItem,
    session: PlanSession,
    after: int,
    move: Move,
    shift: int,
    cat: Catalog,
    timing: TimingFile,
) -> PlanItem:
    item = cat.get(x.id)
    planned = _planned(x)
    level = _level(cat, x.id, planned, shift)
    dose = item.level(level).dose
    if session.phase is not None:
        level, dose, _ = session.phase.adjust(item, level, dose, cap_grade=False)
    sides = len(x.sides) if item.side_specific else 1
    time = item_time(item, dose, sides, timing)
    return x.model_copy(
        update={
            "level": level,
            "level_name": item.level(level).name,
            "dose": dose,
            "dose_text": dose.describe(),
            "minutes": time.minutes,
            "time_text": time.describe(),
            "adjusted": _why_adjusted(after, move, level, planned),
        }
    )


def _home(h: HomeItem, session: PlanSession, shift: int, cat: Catalog) -> HomeItem:
    item = cat.get(h.id)
    level = _level(cat, h.id, _planned(h), shift)
    dose = item.level(level).dose
    if session.phase is not None:
        level, dose, _ = session.phase.adjust(item, level, dose, cap_grade=False)
    return h.model_copy(update={"level": level, "dose": dose, "dose_text": dose.describe()})


def _flat(
    plan: TreatmentPlan, after: int, moves: Mapping[str, Move], cat: Catalog
) -> TreatmentPlan:
    """Plans written before planned progression (format 1): the level holds from now on."""
    sessions = []
    for s in plan.sessions:
        if s.number <= after:
            sessions.append(s)
            continue
        update: dict[str, Any] = {}
        for key in ("items", "home_program"):
            entries = []
            for x in getattr(s, key):
                if x.id in moves:
                    step = cat.get(x.id).level(moves[x.id].to_level)
                    change: dict[str, Any] = {"level": step.level, "dose": step.dose,
                                              "dose_text": step.dose.describe()}  # fmt: skip
                    if key == "items":
                        change["level_name"] = step.name
                    x = x.model_copy(update=change)
                entries.append(x)
            update[key] = entries
        sessions.append(s.model_copy(update=update))
    return plan.model_copy(update={"sessions": sessions})


def apply(
    plan: TreatmentPlan, after: int, moves: Mapping[str, Move], cat: Catalog
) -> TreatmentPlan:
    """The plan with each move applied from the session after ``after`` on, refitted."""
    if not moves:
        return plan
    if plan.session_minutes is None:
        return _flat(plan, after, moves, cat)
    later = [s for s in plan.sessions if s.number > after]
    shift: dict[str, int] = {}
    for item_id, move in moves.items():
        first = _first(later, item_id)
        if first is not None:
            shift[item_id] = move.to_level - _planned(first)
    history = {i.id: s.number for s in plan.sessions if s.number <= after for i in s.items}
    timing = load_timing()
    slots: list[Slot] = []
    homes: list[list[HomeItem]] = []
    for s in later:
        candidates = []
        for x in [*s.items, *(e for e in s.left_out if e.goes != "held back")]:
            base = PlanItem(**{k: getattr(x, k) for k in ITEM_FIELDS})
            if x.id in shift:
                base = _item(base, s, after, moves[x.id], shift[x.id], cat, timing)
            candidates.append(base)
        home = [_home(h, s, shift[h.id], cat) if h.id in shift else h for h in s.home_program]
        homes.append(home)
        held = [e for e in s.left_out if e.goes == "held back"]
        fixed = s.check_in_minutes + s.reassessment_minutes
        slots.append(Slot(s.number, fixed, candidates, held, frozenset(h.id for h in home)))
    fitted = fit(slots, plan.session_minutes, history)
    refitted = {
        f.number: s.model_copy(
            update={
                "items": f.items,
                "left_out": f.left_out,
                "minutes": f.minutes,
                "home_program": home,
            }
        )
        for s, f, home in zip(later, fitted, homes, strict=True)
    }
    sessions = [refitted.get(s.number, s) for s in plan.sessions]
    return plan.model_copy(update={"sessions": explain(sessions, plan.session_minutes)})
