"""compare(): verdict rules, direction, relative thresholds, patient validation."""

from __future__ import annotations

import pytest

from hipback.errors import InvalidInput
from hipback.measures import Patient, compare, interpret, score


def test_relative_threshold_met_by_share() -> None:
    # ODI 10 % → 6 %: 4 points (< 10) but 40 % relative (≥ 30 %) → MIC met; MDC 10 not met
    before = {"items": [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]}
    after = {"items": [1, 1, 1, 0, 0, 0, 0, 0, 0, 0]}
    change = compare("odi", before, after).primary
    assert change.improvement == pytest.approx(4.0)
    assert change.relative_improvement == pytest.approx(0.4)
    assert change.exceeds_mcid is True
    assert change.exceeds_mdc is False
    assert change.verdict == "no_meaningful_change"


def test_no_change() -> None:
    same = {"items": [2] * 20}
    change = compare("qbpds", same, same).primary
    assert change.verdict == "no_meaningful_change"
    assert change.explanation.startswith("QBPDS did not change")


def test_bad_patient_named() -> None:
    with pytest.raises(InvalidInput) as err:
        compare("qbpds", {"items": [1] * 20}, {"items": [1] * 20}, {"age": 12, "sex": "x"})
    assert [p.field for p in err.value.problems] == ["patient.age", "patient.sex"]


def test_patient_unknown_key() -> None:
    with pytest.raises(InvalidInput, match=r"patient\.dob"):
        Patient.from_mapping({"dob": "1950-01-01"})


def test_interpret_flags_unverified_rules() -> None:
    result = interpret(score("qbpds", {"items": [1] * 20}))
    assert "missing-item rule" in result["unverified"]
    assert result["mcid"]["value"] == 5
    assert result["mdc"]["value"] == 15
