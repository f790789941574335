"""The evaluation record: validation, error messages naming fields, JSON Schema."""

from __future__ import annotations

import json
from typing import Any

import pydantic
import pytest

from hipback.errors import InvalidInput
from hipback.screening import Evaluation, evaluation_schema, load_evaluation


def _problems(data: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(InvalidInput) as info:
        load_evaluation(data)
    return {p.field: p for p in info.value.problems}


def test_example_loads_and_scores_baseline(base: dict[str, Any]) -> None:
    ev = load_evaluation(base)
    assert ev.patient.weight_kg == 68
    assert ev.hip_exam.right.rom_deg.internal_rotation == 18
    # QBPDS = sum of the 20 items in examples/evaluation.json:
    # 2+2+1+2+3+2+1+1+2+2 + 3+2+2+1+2+3+2+1+2+2 = 18 + 20 = 38
    assert ev.baseline_scores()["qbpds"].value == 38


def test_minimal_evaluation_leaves_findings_unassessed() -> None:
    ev = load_evaluation(
        {
            "patient": {
                "id": "m",
                "age_years": 70,
                "sex": "male",
                "height_cm": 175,
                "weight_kg": 80,
                "site": "s",
            },
            "assessed_on": "2026-01-05",
        }
    )
    assert ev.low_back_pain.intensity_nprs is None
    assert ev.hip_exam.left.strength.internal_rotation is None
    assert ev.medical_history.hip_fractures is None


def test_out_of_range_value_names_path_value_and_range(base: dict[str, Any]) -> None:
    base["hip_exam"]["left"]["rom_deg"]["internal_rotation"] = 120
    p = _problems(base)["hip_exam.left.rom_deg.internal_rotation"]
    assert p.value == 120
    assert p.allowed.startswith("a number from 0 to 90")


def test_every_bad_field_is_listed_at_once(base: dict[str, Any]) -> None:
    base["patient"]["age_years"] = "72"  # a string is not an age
    base["patient"]["sex"] = "f"
    del base["assessed_on"]
    base["low_back_pain"]["intensity_nprs"] = 11
    base["hip_pain"]["hoos_pain"]["p5"] = 5
    base["medical_history"]["mmse_score"] = 31
    base["red_flags"]["fever"] = "no"
    problems = _problems(base)
    assert set(problems) == {
        "patient.age_years",
        "patient.sex",
        "assessed_on",
        "low_back_pain.intensity_nprs",
        "hip_pain.hoos_pain.p5",
        "medical_history.mmse_score",
        "red_flags.fever",
    }
    assert problems["assessed_on"].message == "missing"
    assert "0 to 30" in problems["medical_history.mmse_score"].allowed
    assert "'female', 'male'" in problems["patient.sex"].allowed


def test_booleans_are_not_numbers(base: dict[str, Any]) -> None:
    base["low_back_pain"]["intensity_nprs"] = True
    assert "low_back_pain.intensity_nprs" in _problems(base)


def test_decimal_nprs_is_refused(base: dict[str, Any]) -> None:
    base["low_back_pain"]["intensity_nprs"] = 3.5
    p = _problems(base)["low_back_pain.intensity_nprs"]
    assert "whole number from 0 to 10" in p.allowed


def test_unknown_field_lists_known_fields(base: dict[str, Any]) -> None:
    base["hip_exam"]["left"]["rom_deg"]["ir"] = 30
    p = _problems(base)["hip_exam.left.rom_deg.ir"]
    assert p.message == "unknown field"
    assert "internal_rotation" in p.allowed


def test_list_items_get_indexed_paths(base: dict[str, Any]) -> None:
    base["medical_history"]["hip_fractures"] = [{"side": "up", "surgical_repair": True}]
    problems = _problems(base)
    assert problems["medical_history.hip_fractures[0].side"].value == "up"
    assert problems["medical_history.hip_fractures[0].years_ago"].message == "missing"


def test_dynamometer_needs_exactly_one_unit(base: dict[str, Any]) -> None:
    base["hip_exam"]["left"]["strength"]["internal_rotation"] = {"force_n": 150, "force_kg": 15}
    assert "hip_exam.left.strength.internal_rotation" in _problems(base)


def test_duplicate_lumbar_level_refused(base: dict[str, Any]) -> None:
    base["lumbar_exam"]["segments"].append({"level": "L4-L5", "mobility": "normal", "pain": False})
    assert "lumbar_exam" in _problems(base)


def test_baseline_measures_are_validated_by_measures(base: dict[str, Any]) -> None:
    base["baseline_measures"] = {"qbpds": {"items": [1, 2, 3]}, "nonsense": {}}
    problems = _problems(base)
    assert "baseline_measures.qbpds.items" in problems
    assert problems["baseline_measures.nonsense"].message == "unknown instrument"


def test_evaluation_is_frozen(base: dict[str, Any]) -> None:
    ev = load_evaluation(base)
    with pytest.raises(pydantic.ValidationError):
        ev.patient.age_years = 50  # type: ignore[misc]


def test_non_mapping_input() -> None:
    with pytest.raises(InvalidInput) as info:
        load_evaluation([1, 2])  # type: ignore[arg-type]
    assert info.value.problems[0].field == "evaluation"


def test_json_schema_is_closed_and_round_trips(base: dict[str, Any]) -> None:
    schema = evaluation_schema()
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"patient", "assessed_on"}
    hip_rom = schema["$defs"]["HipRom"]["properties"]["internal_rotation"]["anyOf"][0]
    assert (hip_rom["minimum"], hip_rom["maximum"]) == (0, 90)
    json.dumps(schema)  # serialisable
    ev = load_evaluation(base)
    again = load_evaluation(json.loads(ev.model_dump_json()))
    assert again == ev
    assert isinstance(again, Evaluation)


def test_exclusive_bound_is_described(base: dict[str, Any]) -> None:
    base["hip_exam"]["left"]["strength"]["internal_rotation"] = {"force_n": 0}
    p = _problems(base)["hip_exam.left.strength.internal_rotation.force_n"]
    assert p.allowed.startswith("a number above 0 and at most 1500")


def test_hoos_p2_p3_are_labelled_with_the_hip_wording() -> None:
    """HOOS LK 2.0 pain items: P2 straightening the hip fully, P3 bending it fully (the KOOS
    knee form has twisting/pivoting and straightening the knee there)."""
    props = evaluation_schema()["$defs"]["HoosPain"]["properties"]
    assert "straightening the hip fully" in props["p2"]["description"]
    assert "bending the hip fully" in props["p3"]["description"]
    assert not any("twist" in p["description"] or "pivot" in p["description"]
                   for p in props.values())  # fmt: skip


def test_symptom_behaviour_is_recorded_in_clinical_terms(base: dict[str, Any]) -> None:
    schema = evaluation_schema()
    section = schema["properties"]["symptom_behaviour"]
    assert section["title"] == "Symptom behaviour: severity and irritability"
    fields = schema["$defs"]["SymptomBehaviour"]["properties"]
    assert fields["provoked_by"]["title"] == "How easily symptoms are provoked"
    assert fields["settles_within"]["title"] == "How long symptoms take to settle"
    options = fields["settles_within"]["anyOf"][0]["enum"]
    assert options == ["under_30_minutes", "30_minutes_to_a_few_hours", "next_day_or_longer"]
    with pytest.raises(InvalidInput) as err:
        load_evaluation({**base, "symptom_behaviour": {"provoked_by": "sometimes"}})
    assert err.value.problems[0].field == "symptom_behaviour.provoked_by"
