"""Decision order, missing data and the result's evidence."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from hipback.errors import InvalidInput, NotFound
from hipback.screening import load_evaluation, render_text, screen

Edit = Callable[[str, Any], None]  # the `edit` fixture in conftest.py


def test_minimal_evaluation_is_incomplete_and_lists_what_is_missing() -> None:
    result = screen(
        {
            "patient": {
                "id": "m1",
                "age_years": 70,
                "sex": "male",
                "height_cm": 178,
                "weight_kg": 82,
                "site": "durham",
            },
            "assessed_on": "2026-11-02",
        }
    )
    assert result.decision == "incomplete"
    assert result.criterion("I1").status == "met"
    for field in (
        "low_back_pain.intensity_nprs",
        "hip_exam.left.strength.internal_rotation",
        "hip_pain.hoos_pain.p4",
        "medical_history.mmse_score",
        "red_flags.fever",
    ):
        assert field in result.not_assessed
    assert "not assessed" in result.criterion("I4").explanation


def test_ineligible_outranks_incomplete(base: dict[str, Any], edit: Edit) -> None:
    edit("medical_history.mmse_score", None)
    edit("patient.age_years", 59)
    result = screen(base)
    assert result.decision == "ineligible"
    assert "I1" in result.summary


def test_outcome_carries_value_threshold_and_confidence(base: dict[str, Any]) -> None:
    i1 = screen(base).criterion("I1")
    assert i1.measured[0].value == 72
    assert i1.threshold == [60, 85]
    assert i1.unit == "years"
    assert i1.confidence == "verified"
    assert "72 years" in i1.explanation
    assert "from 60 to 85 years" in i1.explanation


def test_unknown_exclusions_are_reported(base: dict[str, Any]) -> None:
    notes = screen(base).unknown_rules
    assert [n.id for n in notes] == ["E11+"]
    assert notes[0].confidence == "unverified"


def test_result_is_json_serialisable(base: dict[str, Any]) -> None:
    data = json.loads(screen(base).model_dump_json())
    assert data["decision"] == "eligible"
    assert data["assessed_on"] == "2026-11-23"
    assert {c["id"] for c in data["criteria"]} >= {"I1", "I5a", "I5b", "E10"}


def test_accepts_an_evaluation_object(base: dict[str, Any]) -> None:
    assert screen(load_evaluation(base)).decision == "eligible"


def test_bad_input_raises_invalid_input(base: dict[str, Any], edit: Edit) -> None:
    edit("low_back_pain.intensity_nprs", 12)
    with pytest.raises(InvalidInput) as info:
        screen(base)
    assert info.value.problems[0].field == "low_back_pain.intensity_nprs"


def test_unknown_rule_id(base: dict[str, Any]) -> None:
    with pytest.raises(NotFound):
        screen(base).criterion("I9")


def test_text_rendering(base: dict[str, Any]) -> None:
    text = render_text(screen(base))
    assert "Decision: ELIGIBLE" in text
    assert "Stratification: site = newark, sex = female" in text
    assert "E11+" in text
