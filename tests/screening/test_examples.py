"""The example evaluations screen as their ``notes`` say (hand calculations in each file)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hipback.screening import screen

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# file → (decision, subgroup, ids of the rules that stand in the way or are not assessed)
EXPECTED = {
    "evaluation.json": ("eligible", "weak_symptomatic", []),
    "evaluations/strong_hip_no_symptoms.json": (
        "ineligible",
        "strong_nonsymptomatic",
        ["I5a", "I5b"],
    ),
    "evaluations/weak_hip_no_symptoms.json": ("ineligible", "weak_nonsymptomatic", ["I5b"]),
    "evaluations/red_flag_weight_loss_night_pain_refer.json": (
        "refer",
        "weak_symptomatic",
        ["E9", "RF1", "RF3", "RF4"],
    ),
    "evaluations/too_young_58.json": ("ineligible", "weak_symptomatic", ["I1"]),
    "evaluations/leg_pain_worse_than_back.json": ("ineligible", "weak_symptomatic", ["E10"]),
    "evaluations/total_hip_replacement_left.json": ("ineligible", "weak_symptomatic", ["E3"]),
    "evaluations/osteoporosis_weak_painful_eligible.json": ("eligible", "weak_symptomatic", []),
    "evaluations/weak_painful_short_hip_flexors_male.json": ("eligible", "weak_symptomatic", []),
    "evaluations/missing_exam_parts.json": (
        "incomplete",
        "not_assessed",
        ["I5a", "I5b", "E6", "E9", "RF6"],
    ),
}


def test_every_example_is_covered() -> None:
    found = {str(p.relative_to(EXAMPLES)) for p in EXAMPLES.glob("evaluation*/*.json")}
    found.add("evaluation.json")
    assert found == set(EXPECTED)


@pytest.mark.parametrize(("name", "expected"), EXPECTED.items())
def test_example(name: str, expected: tuple[str, str, list[str]]) -> None:
    data = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    result = screen(data)
    decision, subgroup, blocking = expected
    assert result.decision == decision
    assert result.subgroup.name == subgroup
    assert [
        r.id for r in [*result.criteria, *result.red_flags] if not r.allows_enrolment
    ] == blocking
    assert decision in data["notes"]


def test_missing_parts_are_listed() -> None:
    data = json.loads((EXAMPLES / "evaluations/missing_exam_parts.json").read_text("utf-8"))
    missing = screen(data).not_assessed
    assert "hip_exam.right.strength.internal_rotation" in missing
    assert "hip_pain.hoos_pain.p7" in missing
    assert "medical_history.mmse_score" in missing
    assert "red_flags.saddle_anaesthesia" in missing
