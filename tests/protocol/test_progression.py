"""Progression after a documented session: progress / hold / regress (hipback's stated rule,
hipback.protocol.progression), and the plan's later sessions updated.

Ladders used (catalog, hip_strengthening.toml): bridge L1 = 2 × 10 reps, 3 s hold;
L2 = 3 × 12 reps, 3 s hold; L5 is the top. Hip long-axis distraction L2 = grade III, L3 = IV.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from hipback.errors import InvalidInput
from hipback.protocol.catalog import load_catalog
from hipback.protocol.plan import generate_plan
from hipback.protocol.progression import ItemRecord, decide, load_session, propose

CATALOG = load_catalog()
BRIDGE = CATALOG.get("bridge")
LTD = CATALOG.get("hip_long_axis_distraction")
V01 = Path(__file__).parents[1] / "vignettes" / "v01_capsular_painful_right_hip.json"


def rec(**kw: Any) -> ItemRecord:
    data: dict[str, Any] = {
        "id": "bridge",
        "sets_done": 2,
        "reps_done": 10,
        "hold_s_done": 3,
        "rpe": 3,
        "pain_before": 3,
        "pain_during": 4,
        "pain_after": 4,
        "pain_next_day": 3,
    }
    data.update(kw)
    return ItemRecord(**data)


def test_progress_when_full_dose_low_effort_and_pain_settles() -> None:
    """Rise = 4 - 3 = 1 ≤ 2; next day 3 = before (settled); RPE 3 ≤ 4; 2 × 10 done."""
    decision, reasons = decide(BRIDGE, BRIDGE.level(1).dose, rec())
    assert decision == "progress"
    assert reasons[-1] == "all progression criteria met"


@pytest.mark.parametrize(
    ("change", "blocker"),
    [
        ({"rpe": 6}, "effort RPE 6 above the low-effort cut-off"),
        ({"rpe": None, "difficulty": "moderate"}, "effort 'moderate' above"),
        ({"rpe": None}, "effort (RPE or difficulty) not recorded"),
        ({"reps_done": 8}, "dose not completed"),
        ({"pain_next_day": None}, "next-day pain not recorded"),
        ({"pain_during": 6, "pain_next_day": 3}, "pain rise 3 > 2"),  # rise 3, settled → hold
        ({"pain_next_day": 4}, "pain had not settled"),  # +1 next day: not a flare, not settled
    ],
)
def test_hold_names_the_criterion_not_met(change: dict[str, Any], blocker: str) -> None:
    decision, reasons = decide(BRIDGE, BRIDGE.level(1).dose, rec(**change))
    assert decision == "hold"
    assert blocker in reasons[-1]


def test_easy_difficulty_counts_as_low_effort() -> None:
    decision, _ = decide(BRIDGE, BRIDGE.level(1).dose, rec(rpe=None, difficulty="easy"))
    assert decision == "progress"


@pytest.mark.parametrize(
    "change",
    [
        {"pain_next_day": 6},  # next day 6 - 3 = +3 > 2
        {"pain_during": 6, "pain_next_day": 4},  # rise 3 > 2 and next day still +1
    ],
)
def test_regress_on_flare(change: dict[str, Any]) -> None:
    decision, reasons = decide(BRIDGE, BRIDGE.level(2).dose, rec(**change))
    assert decision == "regress"
    assert "flare" in reasons[-1]


def test_manual_technique_progresses_without_an_effort_rating() -> None:
    r = ItemRecord(
        id="hip_long_axis_distraction", pain_before=4, pain_during=4, pain_after=3, pain_next_day=3
    )
    decision, _ = decide(LTD, LTD.level(2).dose, r)
    assert decision == "progress"


def _plan(arm: str = "hip") -> Any:
    return generate_plan(json.loads(V01.read_text()), arm, dt.date(2026, 12, 1))


def _level(plan: Any, number: int, item_id: str) -> int:
    """The item's level at a session, wherever it is (clinic, left out, home); home = clinic."""
    session = plan.sessions[number - 1]
    found = session.find(item_id)
    home = [h for h in session.home_program if h.id == item_id]
    if found is not None and home:
        assert home[0].level == found.level
    return found.level if found is not None else home[0].level


def test_propose_moves_the_ladder_and_the_planned_steps_follow() -> None:
    """V01 (moderate irritability): bridge planned L1 at sessions 1-4, then one level every 2
    weeks (progression.toml: first step at session 5, every 4 sessions) → L2 5-8, L3 9-12, L4
    13-16. Documented at session 3: bridge done in full at RPE 3, pain settled → progress to
    L2 from session 4, one level ahead of the plan, so L3 from 5, L4 from 9, L5 (top) from 13.
    Sit-to-stand at RPE 7 → hold at L1, which is what the plan had for session 4 anyway."""
    plan = _plan()
    assert [_level(plan, n, "bridge") for n in (1, 4, 5, 9, 13, 16)] == [1, 1, 2, 3, 4, 4]
    record = load_session(
        {
            "session": 3,
            "items": [
                {"id": "bridge", "sets_done": 2, "reps_done": 10, "hold_s_done": 3, "rpe": 3,
                 "pain_before": 3, "pain_during": 4, "pain_after": 3, "pain_next_day": 3},
                {"id": "sit_to_stand", "sets_done": 2, "reps_done": 8, "rpe": 7,
                 "pain_before": 3, "pain_during": 4, "pain_after": 3, "pain_next_day": 3},
            ],
        }
    )  # fmt: skip
    proposals, updated = propose(plan, record)
    by_id = {p.id: p for p in proposals}
    assert (by_id["bridge"].decision, by_id["bridge"].to_level) == ("progress", 2)
    assert by_id["bridge"].next_dose_text == "3 × 12 reps, 3 s hold, effort 5-6/10, 3×/week"
    assert (by_id["sit_to_stand"].decision, by_id["sit_to_stand"].to_level) == ("hold", 1)
    assert [_level(updated, n, "bridge") for n in (1, 3, 4, 5, 9, 13, 16)] == [1, 1, 2, 3, 4, 5, 5]
    assert [_level(updated, n, "sit_to_stand") for n in (4, 5)] == [1, 2]
    # what was done up to the documented session is untouched (only the "next in the clinic"
    # of its left-out items may point elsewhere); the adjusted session shows both doses
    for before, after in zip(plan.sessions[:3], updated.sessions[:3], strict=True):
        assert (before.items, before.home_program) == (after.items, after.home_program)
    adjusted = updated.sessions[3].find("bridge")
    assert adjusted is not None
    assert (adjusted.planned_level, adjusted.level) == (1, 2)
    assert adjusted.planned_dose_text == "2 × 10 reps, 3 s hold, effort 5-6/10, 3×/week"
    assert adjusted.adjusted == (
        "Session 3 documented (progress): level 2 instead of the planned level 1."
    )


def test_hold_at_a_planned_step_postpones_it() -> None:
    """Documented at session 4 with RPE 6 (hold): session 5's planned step to L2 waits, so the
    bridge stays one level behind the plan: L1 at 5, L2 at 9, L3 at 13."""
    plan = _plan()
    record = load_session({"session": 4, "items": [
        {"id": "bridge", "sets_done": 2, "reps_done": 10, "hold_s_done": 3, "rpe": 6,
         "pain_before": 3, "pain_during": 4, "pain_after": 3, "pain_next_day": 3}]})  # fmt: skip
    (proposal,), updated = propose(plan, record)
    assert (proposal.decision, proposal.to_level) == ("hold", 1)
    assert [_level(updated, n, "bridge") for n in (5, 9, 13)] == [1, 2, 3]
    item = updated.sessions[4].find("bridge")
    assert item is not None and item.planned_level == 2 and item.level == 1


def test_a_heavier_dose_never_pushes_a_later_session_over_its_budget() -> None:
    """Progressing every strengthening item at session 4 raises their minutes; the later
    sessions are refitted and stay within 60 minutes, the rest moved out with a reason."""
    plan = _plan()
    strength = [i for i in plan.sessions[3].items if i.category == "hip_strengthening"]
    items = [
        {"id": i.id, "sets_done": i.dose.sets, "reps_done": i.dose.reps, "rpe": 2,
         "hold_s_done": i.dose.hold_s, "pain_before": 2, "pain_during": 2, "pain_after": 2,
         "pain_next_day": 2}
        for i in strength
    ]  # fmt: skip
    record = load_session({"session": 4, "items": [{k: v for k, v in r.items() if v is not None}
                                                   for r in items]})  # fmt: skip
    proposals, updated = propose(plan, record)
    assert {p.decision for p in proposals} == {"progress"}
    for s in updated.sessions:
        assert s.minutes is not None and s.minutes <= 60
        assert s.minutes == s.check_in_minutes + s.reassessment_minutes + sum(
            i.minutes or 0 for i in s.items
        )
        assert all(x.reason for x in s.left_out)


def test_education_is_not_documented_with_a_dose() -> None:
    plan = _plan()
    talk = {"id": "edu_pain_pacing", "pain_before": 2, "pain_during": 2, "pain_after": 2}
    with pytest.raises(InvalidInput, match="education topics are not documented"):
        propose(plan, load_session({"session": 1, "items": [talk]}))


def test_top_of_ladder_holds_and_bottom_regress_stays_at_one() -> None:
    plan = _plan("spine")
    top = {"id": "lumbar_soft_tissue_massage", "level": 1, "minutes_done": 10,
           "pain_before": 2, "pain_during": 2, "pain_after": 2, "pain_next_day": 2}  # fmt: skip
    flare = {"id": "pelvic_tilt", "sets_done": 1, "reps_done": 10, "hold_s_done": 3, "rpe": 2,
             "pain_before": 2, "pain_during": 5, "pain_after": 5, "pain_next_day": 6}  # fmt: skip
    proposals, _ = propose(plan, load_session({"session": 1, "items": [top, flare]}))
    massage, tilt = proposals
    assert (massage.decision, massage.to_level) == ("hold", 1)
    assert "top of the ladder" in massage.reasons[-2]
    assert (tilt.decision, tilt.to_level) == ("regress", 1)
    assert "lowest level" in tilt.reasons[-2]


def test_unknown_item_and_session_are_named() -> None:
    plan = _plan()
    bad = {"session": 2, "items": [{"id": "moonwalk", "pain_before": 1, "pain_during": 1,
                                    "pain_after": 1}]}  # fmt: skip
    with pytest.raises(InvalidInput, match="moonwalk"):
        propose(plan, load_session(bad))
    with pytest.raises(InvalidInput, match="session"):
        propose(plan, load_session({**bad, "session": 30}))


def test_session_record_errors_name_the_field() -> None:
    with pytest.raises(InvalidInput) as err:
        load_session({"session": 1, "items": [{"id": "bridge", "pain_before": 11,
                                                "pain_during": 1, "pain_after": 1}]})  # fmt: skip
    assert err.value.problems[0].field == "items.0.pain_before"


def test_reassessment_at_session_8_flags_not_responding() -> None:
    """V01 baseline QBPDS: all 20 items 2 → 40. At session 8 ten items 1, ten 2 → 30:
    improvement 10 < MDC 15 → not responding. All items 1 → 20: improvement 20 ≥ 15."""
    from hipback.protocol.progression import reassess_session

    plan = _plan()
    slow = load_session({"session": 8, "measures": {"qbpds": {"items": [1] * 10 + [2] * 10}}})
    result = reassess_session(plan, slow)
    assert result is not None
    assert result.label == "4-week"
    assert result.not_responding is True
    good = load_session({"session": 8, "measures": {"qbpds": {"items": [1] * 20}}})
    result = reassess_session(plan, good)
    assert result is not None
    assert result.not_responding is False
    proposals, _ = propose(plan, good)
    assert proposals == []


def test_session_record_needs_an_item_or_a_measure() -> None:
    with pytest.raises(InvalidInput, match="at least one item"):
        load_session({"session": 8})


def test_text_rendering_shows_planned_and_adjusted_side_by_side() -> None:
    from hipback.protocol.render import as_text

    plan = _plan()
    record = load_session(
        {"session": 3, "items": [{"id": "bridge", "sets_done": 2, "reps_done": 10,
         "hold_s_done": 3, "rpe": 3, "pain_before": 3, "pain_during": 4, "pain_after": 3,
         "pain_next_day": 3}]}
    )  # fmt: skip
    _, updated = propose(plan, record)
    lines = as_text(updated).splitlines()
    (line,) = [ln for ln in lines if "planned level 1" in ln and "Bridge" in ln]
    assert "adjusted to level 2 (3 × 12 reps, 3 s hold" in line
    assert "Session 3 documented (progress)" in line
    above = lines[: lines.index(line)]
    (calendar_line,) = [ln for ln in above if ln.lstrip()[:2].strip().isdigit()][-1:]
    assert calendar_line.lstrip().startswith("4  ")


def test_a_plan_written_before_planned_progression_still_loads_and_progresses() -> None:
    """Format 1 (every session alike, no minutes): stored plans keep working. Documented
    progress holds from the next session on, as it did then."""
    from hipback.protocol.treatment_plan import load_plan

    data = json.loads(_plan().to_json())
    first = data["sessions"][0]
    new = ("planned_level", "planned_dose", "planned_dose_text", "minutes", "time_text",
           "core", "priority", "rank")  # fmt: skip
    items = [{k: v for k, v in i.items() if k not in new} for i in first["items"]
             if i["part"] != "education"]  # fmt: skip
    home = [{k: v for k, v in h.items() if k not in ("planned_level", "planned_dose")}
            for h in first["home_program"]]  # fmt: skip
    for s in data["sessions"]:
        for key in ("left_out", "minutes", "budget_minutes", "check_in_minutes",
                    "reassessment_minutes", "phase"):  # fmt: skip
            s.pop(key, None)
        s["items"], s["home_program"] = items, home
    for key in ("irritability", "session_minutes", "calendar"):
        data.pop(key)
    data["plan_format"] = 1
    old = load_plan(data)
    record = load_session({"session": 3, "items": [
        {"id": "bridge", "sets_done": 2, "reps_done": 10, "hold_s_done": 3, "rpe": 3,
         "pain_before": 3, "pain_during": 4, "pain_after": 3, "pain_next_day": 3}]})  # fmt: skip
    (proposal,), updated = propose(old, record)
    assert (proposal.decision, proposal.to_level) == ("progress", 2)
    assert [_level(updated, n, "bridge") for n in (3, 4, 16)] == [1, 2, 2]
