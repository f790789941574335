"""Plans: 16 dated sessions, items with dose and why, HEP, reassessments, screening policy."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from hipback.errors import InvalidInput
from hipback.protocol.catalog import Condition
from hipback.protocol.plan import generate_plan, load_plan
from hipback.protocol.schedule import ClinicCalendar

VIGNETTES = Path(__file__).parents[1] / "vignettes"
START = dt.date(2026, 12, 1)  # a Tuesday


def ev(name: str = "v01_capsular_painful_right_hip") -> dict[str, Any]:
    data: dict[str, Any] = json.loads((VIGNETTES / f"{name}.json").read_text())
    return data


def test_plan_lists_16_dated_sessions_with_dose_and_why() -> None:
    plan = generate_plan(ev(), "hip", START)
    assert len(plan.sessions) == 16
    assert plan.sessions[0].on == START
    assert plan.end_on == dt.date(2027, 1, 22)
    for session in plan.sessions:
        assert session.items
        parts = [i.part for i in session.items]
        assert parts == sorted(parts, key=lambda p: p != "manual")  # manual therapy first
        for item in session.items:
            assert item.dose_text
            assert item.why
            assert all(w.rule and w.text for w in item.why)
    assert "Not the MASH protocol" in plan.disclaimer


def test_home_programme_holds_the_home_deliverable_items() -> None:
    plan = generate_plan(ev(), "hip", START)
    home = {h.id for h in plan.sessions[0].home_program}
    assert "hip_flexor_stretch" in home
    assert "hip_long_axis_distraction" not in home  # manual: therapist only
    (stretch,) = [h for h in plan.sessions[0].home_program if h.id == "hip_flexor_stretch"]
    assert stretch.patient_name == "Front-of-hip stretch"
    assert stretch.dose.per_week == 5


def test_json_round_trip() -> None:
    plan = generate_plan(ev(), "spine", START)
    again = load_plan(json.loads(plan.to_json()))
    assert again == plan


def test_rationale_cites_every_rule_and_threshold_used() -> None:
    plan = generate_plan(ev(), "hip", START)
    used = {w.rule for s in plan.sessions for i in [*s.items, *s.left_out] for w in i.why}
    cited = {r.id for r in plan.rationale if r.kind in ("rule", "schedule")}
    assert used <= cited
    assert all(r.citation for r in plan.rationale)


def test_reassessments_at_4_and_8_weeks() -> None:
    plan = generate_plan(ev(), "hip", START)
    assert [(r.label, r.after_session) for r in plan.reassessments] == [
        ("4-week", 8),
        ("8-week", 16),
    ]
    assert "qbpds" in plan.reassessments[0].measures


def test_holidays_are_respected() -> None:
    cal = ClinicCalendar.parse("sat,sun", "2026-12-25,2027-01-01")
    plan = generate_plan(ev(), "hip", START, calendar=cal)
    days = {s.on for s in plan.sessions}
    assert not days & {dt.date(2026, 12, 25), dt.date(2027, 1, 1)}


def test_refer_is_never_planned_even_with_override() -> None:
    with pytest.raises(InvalidInput) as err:
        generate_plan(ev("v05_red_flags_refer"), "hip", START, override_screening=True)
    problem = err.value.problems[0]
    assert problem.field == "screening"
    assert problem.value == "refer"
    assert "Refer" in problem.message


def test_ineligible_needs_the_override_and_says_so() -> None:
    with pytest.raises(InvalidInput, match="--override-screening"):
        generate_plan(ev("v10_age_58_ineligible"), "hip", START)
    plan = generate_plan(ev("v10_age_58_ineligible"), "hip", START, override_screening=True)
    assert plan.screening.overridden
    assert "I1 not met" in plan.notes[0]


def test_declared_conditions_apply_precautions() -> None:
    plan = generate_plan(
        ev("v02_osteoporosis_severe_capsular"),
        "hip",
        START,
        declared_conditions={Condition.ANTICOAGULATION: None},
    )
    assert "anticoagulation" in plan.conditions
    assert any(e.condition == "anticoagulation" for e in plan.excluded) or any(
        m.startswith("anticoagulation") for i in plan.sessions[0].items for m in i.modifications
    )


def test_bad_arm_is_named() -> None:
    with pytest.raises(InvalidInput, match="arm"):
        generate_plan(ev(), "knee", START)


def test_bad_plan_json_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="plan"):
        load_plan({"sessions": []})


def test_home_programme_is_limited_tailored_items_first() -> None:
    """V01 hip arm: more than 8 home-deliverable items; the 'always' ones (sit-to-stand,
    bracing, pelvic tilt, trunk rotation) give way to items chosen for a finding."""
    plan = generate_plan(ev(), "hip", START)
    home = [h.id for h in plan.sessions[0].home_program]
    assert len(home) == 8
    assert "hip_flexor_stretch" in home
    assert "pelvic_tilt" not in home
    (note,) = [n for n in plan.notes if n.startswith("Home programme limited to 8")]
    assert "Posterior pelvic tilt (supine)" in note
    in_clinic = {i.id for s in plan.sessions for i in s.items}
    assert "pelvic_tilt" in in_clinic  # still done in the clinic when its turn comes


def test_html_escapes_text() -> None:
    from hipback.protocol.render import as_html

    plan = generate_plan(ev(), "hip", START).model_copy(update={"patient_id": "<b>x</b>"})
    html = as_html(plan)
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert "<b>x</b>" not in html


def test_public_api_is_exported() -> None:
    import hipback.protocol as protocol

    for name in protocol.__all__:
        assert hasattr(protocol, name), name
    assert protocol.generate_plan is generate_plan
