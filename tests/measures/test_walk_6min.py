"""6MWT distance with Enright & Sherrill 1998 predicted distance and LLN (measures.md §6)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from hipback.core import Confidence
from hipback.errors import InvalidInput
from hipback.measures import Score, compare, get, interpret, score, score_batch

MAN = {"age": 70, "sex": "male", "height_cm": 175, "weight_kg": 80}
WOMAN = {"age": 70, "sex": "female", "height_cm": 160, "weight_kg": 65}


def _finding(s: Score, table_start: str, patient: dict[str, Any] | None = None) -> dict[str, Any]:
    found = [n for n in interpret(s, patient)["norms"] if n["table"].startswith(table_start)]
    assert len(found) == 1, found
    result: dict[str, Any] = found[0]
    return result


def test_distance_is_the_score() -> None:
    s = score("six_mwt", {"distance_m": 450})
    assert s.value == 450.0 and s.unit == "m"
    assert s.details["predicted_m"] is None and s.details["lln_m"] is None
    assert s.category is None


def test_men_hand_calculation() -> None:
    # 7.57×175 − 5.02×70 − 1.76×80 − 309 = 1324.75 − 351.4 − 140.8 − 309 = 523.55 m
    # LLN = 523.55 − 153 = 370.55 m; 450 / 523.55 = 85.95 %
    s = score("six_mwt", {"distance_m": 450, **MAN})
    assert s.details["predicted_m"] == pytest.approx(523.55)
    assert s.details["lln_m"] == pytest.approx(370.55)
    assert s.details["percent_predicted"] == pytest.approx(450 / 523.55 * 100)
    lln = _finding(s, "Enright & Sherrill 1998 lower limit")
    assert lln["category"] == "at or above the lower limit of normal"
    assert lln["confidence"] == Confidence.VERIFIED.value
    assert "86%" in _finding(s, "Enright & Sherrill 1998 predicted")["detail"]


def test_women_hand_calculation_and_not_the_swapped_coefficients() -> None:
    # 2.11×160 − 2.29×65 − 5.78×70 + 667 = 337.6 − 148.85 − 404.6 + 667 = 451.15 m
    # (the known bug, 2.29×age and 5.78×weight: 337.6 − 160.3 − 375.7 + 667 = 468.6 m)
    s = score("six_mwt", {"distance_m": 300, **WOMAN})
    assert s.details["predicted_m"] == pytest.approx(451.15)
    assert s.details["predicted_m"] != pytest.approx(468.6)
    # LLN 451.15 − 139 = 312.15 (not − 153 = 298.15): 300 m is below it
    assert s.details["lln_m"] == pytest.approx(312.15)
    lln = _finding(s, "Enright & Sherrill 1998 lower limit")
    assert lln["category"] == "below the lower limit of normal"
    assert lln["confidence"] == Confidence.UNVERIFIED.value and lln["verified"] is False
    assert "not confirmed" in lln["detail"]


def test_lln_edge_is_not_below() -> None:
    # man: predicted 523.55, LLN 370.55; 370.55 m is at the LLN, 370.5 m is below it
    at = score("six_mwt", {"distance_m": 370.55, **MAN})
    below = score("six_mwt", {"distance_m": 370.5, **MAN})
    assert _finding(at, "Enright & Sherrill 1998 lower")["category"].startswith("at or above")
    assert _finding(below, "Enright & Sherrill 1998 lower")["category"].startswith("below")


def test_patient_mapping_supplies_age_and_sex() -> None:
    s = score("six_mwt", {"distance_m": 450, "height_cm": 175, "weight_kg": 80})
    assert s.details["predicted_m"] is None
    found = _finding(s, "Enright & Sherrill 1998 predicted", {"age": 70, "sex": "male"})
    assert "524 m" in found["detail"]


def test_non_positive_prediction_not_shown() -> None:
    # man 100 cm, 120 y, 300 kg: 757 − 602.4 − 528 − 309 = −682.4 → no prediction
    s = score(
        "six_mwt",
        {"distance_m": 100, "age": 120, "sex": "male", "height_cm": 100, "weight_kg": 300},
    )
    assert s.details["predicted_m"] is None and s.details["percent_predicted"] is None
    assert any("no positive prediction" in w for w in s.warnings)
    assert [n for n in interpret(s)["norms"] if n["table"].startswith("Enright")] == []


@pytest.mark.parametrize(("age", "warned"), [(40, False), (80, False), (39, True), (81, True)])
def test_extrapolation_warning_outside_40_to_80(age: int, warned: bool) -> None:
    s = score("six_mwt", {"distance_m": 450, **{**MAN, "age": age}})
    assert any("extrapolation" in w for w in s.warnings) is warned


@pytest.mark.parametrize(("distance", "warned"), [(800, False), (801, True)])
def test_review_above_800_m(distance: float, warned: bool) -> None:
    assert bool(score("six_mwt", {"distance_m": distance}).warnings) is warned


@pytest.mark.parametrize(
    ("responses", "field"),
    [
        ({}, "distance_m"),
        ({"distance_m": -1}, "distance_m"),
        ({"distance_m": 1001}, "distance_m"),
        ({"distance_m": 400, "height_cm": 1.75}, "height_cm"),
        ({"distance_m": 400, "weight_kg": 10}, "weight_kg"),
        ({"distance_m": 400, "sex": "m"}, "sex"),
        ({"distance_m": 400, "track_m": 30}, "track_m"),
    ],
)
def test_bad_input_names_the_field(responses: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        score("six_mwt", responses)
    assert [p.field for p in err.value.problems] == [field]


def test_batch_details_match_hand_calculation() -> None:
    out = score_batch(
        "six_mwt",
        {
            "distance_m": np.array([450.0, 300.0, 500.0]),
            "age": np.array([70.0, 70.0, np.nan]),
            "sex": np.array(["male", "female", None], dtype=object),
            "height_cm": np.array([175.0, 160.0, np.nan]),
            "weight_kg": np.array([80.0, 65.0, np.nan]),
        },
    )
    assert out.ok.all()
    assert out.details["predicted_m"][:2] == pytest.approx([523.55, 451.15])
    assert np.isnan(out.details["predicted_m"][2])


def test_compare_small_and_substantial_change() -> None:
    # +20 m reaches Perera's small meaningful change (primary); +19 m does not
    assert (
        compare("six_mwt", {"distance_m": 400}, {"distance_m": 420}).primary.verdict == "improved"
    )
    c = compare("six_mwt", {"distance_m": 400}, {"distance_m": 381})
    assert c.primary.verdict == "no_meaningful_change" and c.primary.mcid is not None
    assert c.primary.mcid.value == 20
    assert (
        compare("six_mwt", {"distance_m": 400}, {"distance_m": 350}).primary.verdict == "worsened"
    )


def test_loinc_is_flagged_uncertain() -> None:
    loinc = get("six_mwt").spec.loinc
    assert loinc is not None and loinc.code == "64098-7"
    assert loinc.confidence == Confidence.UNCERTAIN
