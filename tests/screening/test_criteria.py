"""Each MASH eligibility criterion at and around its threshold (mash.md §2).

Base case: ``examples/evaluation.json`` (eligible). Each test changes one finding and checks the
criterion's status and the overall decision. Expected values are the thresholds as mash.md §2
states them (I1 60-85 inclusive, I2 ≥ 3 months, I4 > 3/10, I5a < 0.26, I5b > 5, E2 ≤ 15 years,
E6 < 24).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hipback.screening import screen

Edit = Callable[[str, Any], None]  # the `edit` fixture in conftest.py


def _check(base: dict[str, Any], edit: Edit, changes: dict[str, Any], rule: str) -> tuple[str, str]:
    for path, value in changes.items():
        edit(path, value)
    result = screen(base)
    return result.criterion(rule).status, result.decision


def test_base_example_is_eligible(base: dict[str, Any]) -> None:
    result = screen(base)
    assert result.decision == "eligible"
    assert all(c.allows_enrolment for c in result.criteria)


@pytest.mark.parametrize(
    ("age", "status", "decision"),
    [
        (59, "not_met", "ineligible"),
        (60, "met", "eligible"),
        (85, "met", "eligible"),
        (86, "not_met", "ineligible"),
    ],
)
def test_i1_age_60_to_85_inclusive(
    base: dict[str, Any], edit: Edit, age: int, status: str, decision: str
) -> None:
    assert _check(base, edit, {"patient.age_years": age}, "I1") == (status, decision)


@pytest.mark.parametrize(("months", "status"), [(2.9, "not_met"), (3, "met"), (3.1, "met")])
def test_i2_duration_at_least_3_months(
    base: dict[str, Any], edit: Edit, months: float, status: str
) -> None:
    assert _check(base, edit, {"low_back_pain.duration_months": months}, "I2")[0] == status


@pytest.mark.parametrize(
    ("frequency", "status"),
    [
        ("less_than_half", "not_met"),
        ("at_least_half_the_days", "met"),
        ("every_day_or_nearly_every_day", "met"),
    ],
)
def test_i3_at_least_half_the_days(
    base: dict[str, Any], edit: Edit, frequency: str, status: str
) -> None:
    assert _check(base, edit, {"low_back_pain.frequency_6_months": frequency}, "I3")[0] == status


@pytest.mark.parametrize(("nprs", "status"), [(3, "not_met"), (4, "met"), (10, "met")])
def test_i4_intensity_above_3(base: dict[str, Any], edit: Edit, nprs: int, status: str) -> None:
    assert _check(base, edit, {"low_back_pain.intensity_nprs": nprs}, "I4")[0] == status


def test_i4_and_i5a_are_flagged_uncertain(base: dict[str, Any]) -> None:
    result = screen(base)
    assert result.criterion("I4").confidence == "uncertain"
    assert result.criterion("I5a").confidence == "uncertain"
    assert "unverified" in result.criterion("I5a").explanation


def _ir(left_kg: float | None, right_kg: float | None) -> dict[str, Any]:
    """Body mass 80 kg; kgf / kg is the ratio: 20.72/80 = 0.259, 20.8/80 = 0.26."""
    changes: dict[str, Any] = {"patient.weight_kg": 80}
    for side, kg in (("left", left_kg), ("right", right_kg)):
        path = f"hip_exam.{side}.strength.internal_rotation"
        changes[path] = ... if kg is None else {"force_kg": kg}
    return changes


@pytest.mark.parametrize(
    ("left", "right", "status"),
    [
        (20.72, 20.8, "met"),  # left 0.259 < 0.26: weak in at least one hip
        (20.8, 20.72, "met"),  # right 0.259
        (20.8, 20.8, "not_met"),  # 0.26 is not below 0.26
        (24.0, 28.0, "not_met"),  # 0.30 and 0.35
        (20.72, None, "met"),  # one weak hip suffices even if the other was not tested
        (20.8, None, "not_assessed"),  # the untested hip might be weak
        (None, None, "not_assessed"),
    ],
)
def test_i5a_ir_strength_ratio_below_026_in_either_hip(
    base: dict[str, Any], edit: Edit, left: float | None, right: float | None, status: str
) -> None:
    assert _check(base, edit, _ir(left, right), "I5a")[0] == status


def test_i5a_newtons_are_normalised_with_standard_gravity(base: dict[str, Any], edit: Edit) -> None:
    # 0.259 × 80 kg × 9.80665 m/s² = 203.19 N → 0.259 (weak); 0.261 × 784.532 N = 204.76 N → 0.261.
    changes = _ir(None, None) | {
        "hip_exam.left.strength.internal_rotation": {"force_n": 203.19},
        "hip_exam.right.strength.internal_rotation": {"force_n": 204.76},
    }
    for path, value in changes.items():
        edit(path, value)
    outcome = screen(base).criterion("I5a")
    assert outcome.status == "met"
    left, right = (m.value for m in outcome.measured)
    assert left == pytest.approx(0.259, abs=1e-5)
    assert right == pytest.approx(0.261, abs=1e-5)


def _hoos(p4: int | None, p5: int, p6: int, p7: int, p8: int) -> dict[str, Any]:
    items = {"p4": p4, "p5": p5, "p6": p6, "p7": p7, "p8": p8}
    return {f"hip_pain.hoos_pain.{k}": v for k, v in items.items()}


@pytest.mark.parametrize(
    ("items", "status"),
    [
        ((1, 1, 1, 1, 1), "not_met"),  # 5 is not above 5
        ((2, 1, 1, 1, 1), "met"),  # 6
        ((0, 0, 0, 0, 0), "not_met"),
        ((4, 4, 4, 4, 4), "met"),  # 20, the maximum
        ((None, 4, 4, 4, 4), "not_assessed"),  # no imputation of a missing item
    ],
)
def test_i5b_hoos_p4_p8_sum_above_5(
    base: dict[str, Any], edit: Edit, items: tuple[Any, ...], status: str
) -> None:
    assert _check(base, edit, _hoos(*items), "I5b")[0] == status


def test_hoos_items_outside_p4_p8_do_not_count(base: dict[str, Any], edit: Edit) -> None:
    changes = _hoos(1, 1, 1, 1, 1) | {"hip_pain.hoos_pain.p1": 4, "hip_pain.hoos_pain.p9": 4}
    assert _check(base, edit, changes, "I5b")[0] == "not_met"


def _fracture(surgical: bool, years: float) -> list[dict[str, Any]]:
    return [{"side": "left", "surgical_repair": surgical, "years_ago": years}]


@pytest.mark.parametrize(
    ("fractures", "e1", "e2", "decision"),
    [
        ([], "not_met", "not_met", "eligible"),
        (_fracture(True, 30), "met", "not_met", "ineligible"),  # any surgical repair
        (_fracture(False, 14), "not_met", "met", "ineligible"),
        (_fracture(False, 15), "not_met", "met", "ineligible"),  # "within 15 years", inclusive
        (_fracture(False, 15.5), "not_met", "not_met", "eligible"),
        (_fracture(False, 40) + _fracture(False, 3), "not_met", "met", "ineligible"),
        (None, "not_assessed", "not_assessed", "incomplete"),
    ],
)
def test_e1_e2_hip_fracture(
    base: dict[str, Any], edit: Edit, fractures: Any, e1: str, e2: str, decision: str
) -> None:
    edit("medical_history.hip_fractures", fractures)
    result = screen(base)
    assert (result.criterion("E1").status, result.criterion("E2").status) == (e1, e2)
    assert result.decision == decision


@pytest.mark.parametrize(
    ("rule", "path", "value", "status", "decision"),
    [
        ("E3", "medical_history.total_hip_replacement_left", True, "met", "ineligible"),
        ("E3", "medical_history.total_hip_replacement_right", True, "met", "ineligible"),
        ("E3", "medical_history.total_hip_replacement_right", None, "not_assessed", "incomplete"),
        ("E4", "medical_history.other_spinal_pathology", ["metastases"], "met", "ineligible"),
        ("E4", "medical_history.other_spinal_pathology", [], "not_met", "eligible"),
        ("E5", "medical_history.non_ambulatory", True, "met", "ineligible"),
        ("E6", "medical_history.mmse_score", 23, "met", "ineligible"),
        ("E6", "medical_history.mmse_score", 24, "not_met", "eligible"),
        ("E6", "medical_history.mmse_score", None, "not_assessed", "incomplete"),
        ("E7", "medical_history.severe_visual_impairment", True, "met", "ineligible"),
        ("E7", "medical_history.severe_hearing_impairment", True, "met", "ineligible"),
        ("E8", "medical_history.reads_and_speaks_english", False, "met", "ineligible"),
        ("E8", "medical_history.reads_and_speaks_english", True, "not_met", "eligible"),
        ("E10", "low_back_pain.leg_pain_worse_than_back", True, "met", "ineligible"),
        ("E10", "low_back_pain.leg_pain_worse_than_back", False, "not_met", "eligible"),
    ],
)
def test_exclusions(
    base: dict[str, Any], edit: Edit, rule: str, path: str, value: Any, status: str, decision: str
) -> None:
    assert _check(base, edit, {path: value}, rule) == (status, decision)


def test_e7_visual_yes_hearing_unknown_still_excludes(base: dict[str, Any], edit: Edit) -> None:
    changes = {
        "medical_history.severe_visual_impairment": True,
        "medical_history.severe_hearing_impairment": None,
    }
    assert _check(base, edit, changes, "E7") == ("met", "ineligible")


def test_e9_any_red_flag_is_an_exclusion_and_a_referral(base: dict[str, Any], edit: Edit) -> None:
    assert _check(base, edit, {"red_flags.fever": True}, "E9") == ("met", "refer")
