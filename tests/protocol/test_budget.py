"""Fitting sessions to the clinic's minutes: core first, the rest take turns, never over."""

from __future__ import annotations

from hipback.protocol.budget import Slot, explain, fit
from hipback.protocol.catalog import Dose
from hipback.protocol.treatment_plan import PlanItem, PlanSession

DOSE = Dose(sets=1, reps=10, per_week=3)


def item(item_id: str, minutes: int, *, core: bool, priority: int, rank: int) -> PlanItem:
    return PlanItem(id=item_id, name=item_id.capitalize(), category="x", part="supervised",
                    sides=[], level=1, level_name="L1", dose=DOSE, dose_text="d", why=[],
                    minutes=minutes, core=core, priority=priority, rank=rank)  # fmt: skip


CORE = [item("manual", 20, core=True, priority=0, rank=0),
        item("strength", 20, core=True, priority=1, rank=1)]  # fmt: skip
ROTATE = [item("stretch", 8, core=False, priority=2, rank=2),
          item("trunk", 8, core=False, priority=3, rank=3),
          item("tilt", 2, core=False, priority=3, rank=4)]  # fmt: skip


def slots(n: int, fixed: int = 5) -> list[Slot]:
    return [Slot(i, fixed, [*CORE, *ROTATE], [], frozenset({"stretch"})) for i in range(1, n + 1)]


def test_core_first_then_the_rest_take_turns() -> None:
    """60 min: 5 check-in + 40 core leaves 15: one 8-min item and the 2-min tilt fit. Session
    1 takes the stretch (plan order); session 2 the trunk item (not done yet); then the
    stretch again. The 2-min tilt fits after the misfit every time."""
    fitted = fit(slots(3), 60)
    ids = [[i.id for i in f.items] for f in fitted]
    assert ids == [
        ["manual", "strength", "stretch", "tilt"],
        ["manual", "strength", "trunk", "tilt"],
        ["manual", "strength", "stretch", "tilt"],
    ]
    assert [f.minutes for f in fitted] == [55, 55, 55]
    assert [(x.id, x.goes) for x in fitted[0].left_out] == [("trunk", "later")]
    assert [(x.id, x.goes) for x in fitted[1].left_out] == [("stretch", "home")]


def test_core_items_take_turns_too_when_they_alone_do_not_fit() -> None:
    """A 30-minute session with a 20-minute reassessment leaves 5 minutes: only the tilt."""
    fitted = fit(slots(1, fixed=25), 30)
    assert [i.id for i in fitted[0].items] == ["tilt"]
    assert fitted[0].minutes == 27


def test_reasons_name_the_budget_where_it_went_and_the_next_session() -> None:
    fitted = fit(slots(3), 60)
    sessions = [
        PlanSession(
            number=f.number,
            on="2026-12-01",
            week=1,
            notes=[],
            items=f.items,
            home_program=[],
            left_out=f.left_out,
            minutes=f.minutes,
        )
        for f in fitted
    ]
    explained = explain(sessions, 60)
    (trunk,) = explained[0].left_out
    assert trunk.next_in_clinic == 2
    assert trunk.reason == (
        "The 60-minute session is full with higher-priority items: waits for a later session; "
        "next in the clinic at session 2."
    )
    (stretch,) = explained[1].left_out
    assert stretch.reason.endswith("done at home this time (home programme); next in the "
                                   "clinic at session 3.")  # fmt: skip
    (last,) = explained[2].left_out
    assert last.next_in_clinic is None and "review the plan" in last.reason
