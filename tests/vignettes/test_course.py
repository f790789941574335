"""Issue 13, "done when", on the published example evaluation (examples/evaluation.json: a woman
of 72, weak and painful right hip, back pain 6/10) and two variants of it, written from what a
physical therapist would expect of an 8-week plan before looking at the engine's output:

* the strengthening gets harder over the 8 weeks, in both arms;
* every session fits the hour, with its minutes stated;
* both arms get education, and it reaches the patient;
* nobody is booked on a US federal holiday, and the 2-a-week rhythm is kept;
* a highly irritable presentation starts more gently than a mild one, and builds up.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from hipback.protocol import generate_plan
from hipback.protocol.catalog import GRADES, Dose
from hipback.protocol.schedule import ClinicCalendar
from hipback.protocol.treatment_plan import PlanSession, TreatmentPlan

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "evaluation.json"
START = dt.date(2026, 12, 1)  # a Tuesday: Tue/Fri sessions
STRENGTH = {"hip": "hip_strengthening", "spine": "trunk_training"}

# US federal holidays (Office of Personnel Management list), typed in by hand: Thanksgiving,
# Christmas, New Year's Day, Martin Luther King Jr. Day, Washington's Birthday 2026-27.
FEDERAL = {
    dt.date(2026, 11, 26), dt.date(2026, 12, 25), dt.date(2027, 1, 1), dt.date(2027, 1, 18),
    dt.date(2027, 2, 15),
}  # fmt: skip


def _example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


def _variant(back_pain: int, hoos_item: int) -> dict[str, Any]:
    data = copy.deepcopy(_example())
    data["low_back_pain"]["intensity_nprs"] = back_pain
    data["hip_pain"]["hoos_pain"] = {f"p{i}": hoos_item for i in range(1, 11)}
    return data


def _levels(session: PlanSession, category: str) -> dict[str, int]:
    """Level of each item of a category planned for the session: clinic, left out or home."""
    out = {i.id: i.level for i in [*session.items, *session.left_out] if i.category == category}
    return out


@pytest.fixture(scope="module", params=["hip", "spine"])
def plan(request: pytest.FixtureRequest) -> TreatmentPlan:
    return generate_plan(_example(), request.param, START)


# ---- planned progression ----


def test_session_16_strengthening_is_harder_than_session_1(plan: TreatmentPlan) -> None:
    """Hip arm: hip strengthening; spine arm (no hip work): trunk training. A therapist expects
    every one of them a level or more up by the last week, not 16 identical sessions."""
    category = STRENGTH[plan.arm.value]
    first = _levels(plan.sessions[0], category)
    last = _levels(plan.sessions[-1], category)
    assert len(first) >= 3
    assert set(first) == set(last)
    assert all(last[i] > first[i] for i in first), (first, last)


def test_hip_strengthening_steps_every_two_weeks_from_week_3() -> None:
    """Moderate irritability, so no delay: level 1 in weeks 1-2, then one level at the start of
    weeks 3, 5 and 7 (sessions 5, 9, 13), up to the top of each ladder: bridge, side-lying
    abduction, step-ups and sit-to-stand reach level 4; seated IR with a band tops out at 3."""
    plan = generate_plan(_example(), "hip", START)
    by_session = [_levels(s, "hip_strengthening") for s in plan.sessions]
    assert [by_session[n - 1]["bridge"] for n in (1, 4, 5, 8, 9, 12, 13, 16)] == [
        1, 1, 2, 2, 3, 3, 4, 4,
    ]  # fmt: skip
    assert by_session[15] == {
        "seated_hip_ir_band": 3, "sidelying_hip_abduction": 4, "bridge": 4, "step_up": 4,
        "sit_to_stand": 4,
    }  # fmt: skip


def test_a_planned_step_names_itself_in_the_why() -> None:
    plan = generate_plan(_example(), "hip", START)
    bridge = plan.sessions[4].find("bridge")
    assert bridge is not None
    assert any("Planned step to level 2 at session 5" in w.text for w in bridge.why)
    assert bridge.planned_level == bridge.level == 2
    assert bridge.adjusted is None  # nothing documented yet: planned = adjusted


# ---- a session that fits the hour ----


def test_every_session_states_its_minutes_within_the_hour(plan: TreatmentPlan) -> None:
    for s in plan.sessions:
        assert s.minutes is not None and s.minutes <= 60 == s.budget_minutes
        assert s.minutes == s.check_in_minutes + s.reassessment_minutes + sum(
            i.minutes or 0 for i in s.items
        )
        assert all(i.minutes and i.time_text for i in s.items)
    # the reassessment visits hold the outcome measures, so they carry less treatment
    assert [s.reassessment_minutes for s in plan.sessions if s.reassessment] == [20, 20]


def test_whatever_does_not_fit_is_listed_with_where_it_went_and_why() -> None:
    """The example has more than an hour of candidate items in the hip arm: hip mobilisation,
    strengthening and the day's talk come first; the rest take turns or are done at home."""
    plan = generate_plan(_example(), "hip", START)
    first = plan.sessions[0]
    clinic = {i.id for i in first.items}
    assert {
        "hip_long_axis_distraction",
        "seated_hip_ir_band",
        "bridge",
        "edu_pain_pacing",
    } <= clinic
    assert first.left_out
    home = {h.id for h in first.home_program}
    for x in first.left_out:
        assert x.goes == ("home" if x.id in home else "later")
        assert "60-minute session is full" in x.reason
    stretches = {x.id for s in plan.sessions for x in s.items if x.category == "hip_flexibility"}
    assert "hip_flexor_stretch" in stretches  # taught in the clinic when its turn comes


def test_a_shorter_session_setting_is_respected() -> None:
    plan = generate_plan(_example(), "hip", START, session_minutes=45)
    assert all(s.minutes is not None and s.minutes <= 45 for s in plan.sessions)
    assert plan.session_minutes == 45
    assert any("45-minute session is full" in x.reason for x in plan.sessions[0].left_out)


# ---- education in both arms ----


def test_both_arms_get_education_in_their_own_words(plan: TreatmentPlan) -> None:
    talks = [(s.number, e.id) for s in plan.sessions for e in s.education]
    topics = {t for _, t in talks}
    assert {"edu_pain_pacing", "edu_body_mechanics", "edu_flare_plan", "edu_staying_active"} <= (
        topics
    )
    own = "edu_hip_and_back" if plan.arm.value == "hip" else "edu_back_movement"
    other = "edu_back_movement" if plan.arm.value == "hip" else "edu_hip_and_back"
    assert own in topics and other not in topics
    assert plan.sessions[0].education  # the first visit explains pain and pacing
    assert not [n for n, _ in talks if n in (8, 16)]  # not on reassessment visits
    for s in plan.sessions:
        for e in s.education:
            assert e.part == "education" and e.dose.minutes and e.minutes == e.dose.minutes


# ---- holiday-aware calendar ----


@pytest.mark.parametrize("start", [dt.date(2026, 11, 2), START, dt.date(2027, 1, 4)])
@pytest.mark.parametrize("arm", ["hip", "spine"])
def test_no_session_or_reassessment_on_a_us_federal_holiday(start: dt.date, arm: str) -> None:
    plan = generate_plan(_example(), arm, start)
    days = [s.on for s in plan.sessions]
    assert not FEDERAL & set(days)
    assert not FEDERAL & {r.on for r in plan.reassessments}
    # still two sessions in each of the 8 treatment weeks
    assert [s.week for s in plan.sessions] == [w for w in range(1, 9) for _ in (0, 1)]


def test_christmas_and_new_year_move_to_the_thursday_and_say_why() -> None:
    plan = generate_plan(_example(), "hip", START)
    moved = {s.on: s.notes for s in plan.sessions if s.notes}
    assert moved == {
        dt.date(2026, 12, 24): ["moved from 2026-12-25 (Christmas Day, a public holiday)"],
        dt.date(2026, 12, 31): ["moved from 2027-01-01 (New Year's Day, a public holiday)"],
    }
    assert plan.reassessments[0].on == dt.date(2026, 12, 24)
    assert plan.calendar is not None and plan.calendar.country == "US"


def test_without_holidays_the_plain_rhythm_lands_on_them() -> None:
    plan = generate_plan(_example(), "hip", START, calendar=ClinicCalendar(country=None))
    days = {s.on for s in plan.sessions}
    assert {dt.date(2026, 12, 25), dt.date(2027, 1, 1)} <= days


# ---- severity and irritability ----


def _grade(dose: Dose) -> int:
    return 0 if dose.grade is None else GRADES.index(dose.grade) + 1


def _amount(dose: Dose) -> tuple[int, ...]:
    return (_grade(dose), dose.sets or 0, dose.reps or 0, dose.hold_s or 0, dose.bouts or 0,
            dose.minutes or 0)  # fmt: skip


def test_an_irritable_presentation_gets_a_gentler_first_session_than_a_mild_one() -> None:
    """Back pain 9/10 with every HOOS item 4 (extreme) against back pain 4/10 with every item
    2 (moderate), everything else as the example: the irritable patient's first visit has fewer
    items, and none of them at a higher level, grade, number of sets, repetitions, hold, bouts
    or minutes than the same item for the mild patient; some are lower."""
    irritable = generate_plan(_variant(9, 4), "hip", START)
    mild = generate_plan(_variant(4, 2), "hip", START)
    assert irritable.irritability is not None and irritable.irritability.level == "high"
    assert mild.irritability is not None and mild.irritability.level != "high"
    gentle, usual = irritable.sessions[0], mild.sessions[0]
    assert len(gentle.items) < len(usual.items)
    assert len(gentle.home_program) <= len(usual.home_program)
    assert {i.id for i in gentle.items} <= {i.id for i in usual.items}
    lower = 0
    for item in gentle.items:
        other = usual.find(item.id)
        assert other is not None
        assert item.level <= other.level
        pairs = list(zip(_amount(item.dose), _amount(other.dose), strict=True))
        assert all(a <= b for a, b in pairs), (item.id, item.dose_text, other.dose_text)
        lower += any(a < b for a, b in pairs) or item.level < other.level
    assert lower >= 3
    for item in gentle.items:
        other = usual.find(item.id)
        if other is not None and item.dose != other.dose:
            assert any(w.rule == "IRRITABILITY" for w in item.why), item.id


def test_the_irritable_plan_builds_up_as_symptoms_settle() -> None:
    """Weeks 1-2 gentle (grades I-II, one set or bout fewer, at most 6 items), then the full
    planned dose and the held-back items from session 5, each saying so; planned level steps
    start a week later than for the mild patient, but session 16 is still well above session 1."""
    plan = generate_plan(_variant(9, 4), "hip", START)
    first, fifth = plan.sessions[0], plan.sessions[4]
    assert len(first.items) <= 6
    assert all(_grade(i.dose) <= GRADES.index("II") + 1 for i in first.items)
    held = {x.id for x in first.left_out if x.goes == "held back"}
    assert held and all("planned from session 5" in x.reason for x in first.left_out
                        if x.goes == "held back")  # fmt: skip
    assert held <= {i.id for i in [*fifth.items, *fifth.left_out]}
    bridge1, bridge5 = first.find("bridge"), fifth.find("bridge")
    assert bridge1 is not None and bridge5 is not None
    assert (bridge1.dose.sets, bridge5.dose.sets) == (1, 2)
    assert any("building up as irritability settles" in w.text for w in bridge5.why)
    levels = [_levels(s, "hip_strengthening").get("bridge") for s in plan.sessions]
    assert levels[:6] == [1] * 6 and levels[6] == 2  # first step at session 7, not 5
    assert levels[15] == 4


def test_the_why_of_each_gentler_dose_says_what_changed() -> None:
    plan = generate_plan(_variant(9, 4), "hip", START)
    distraction = plan.sessions[0].find("hip_long_axis_distraction")
    assert distraction is not None
    (why,) = [w for w in distraction.why if w.rule == "IRRITABILITY"]
    assert "2 bouts instead of 3" in why.text
    assert "sessions 1-4" in why.text


def test_a_stiff_but_not_painful_hip_is_mobilised_into_resistance_unless_irritable() -> None:
    """The example's right hip without pain on internal rotation and with a negative FADIR: a
    capsular restriction alone calls for mobilisation into resistance (grade III) from the
    start. Highly irritable: grades I-II instead (level 1), 2 bouts, and the why says both."""

    def stiff(back_pain: int, hoos_item: int) -> dict[str, Any]:
        data = _variant(back_pain, hoos_item)
        data["hip_exam"]["right"]["pain_on_internal_rotation"] = False
        data["hip_exam"]["right"]["fadir"] = {"positive": False, "pain_location": "none"}
        return data

    mild = generate_plan(stiff(4, 2), "hip", START).sessions[0].find("hip_long_axis_distraction")
    gentle = generate_plan(stiff(9, 4), "hip", START).sessions[0].find("hip_long_axis_distraction")
    assert mild is not None and gentle is not None
    assert (mild.level, mild.dose.grade, mild.dose.bouts) == (2, "III", 3)
    assert (gentle.level, gentle.dose.grade, gentle.dose.bouts) == (1, "I-II", 2)
    texts = [w.text for w in gentle.why if w.rule == "IRRITABILITY"]
    assert any("starts at level 1 instead of 2" in t for t in texts)
    assert any("2 bouts instead of 3" in t for t in texts)
