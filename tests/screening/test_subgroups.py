"""Hicks 2021 cohort subgroups from the MASH cut-offs: weak = I5a met, painful = I5b met."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hipback.screening import screen

Edit = Callable[[str, Any], None]  # the `edit` fixture in conftest.py


def _case(base: dict[str, Any], edit: Edit, ir_kg: float | None, p4: int | None) -> dict[str, Any]:
    """Body mass 80 kg, IR force in kgf on both hips (ratio = kgf / 80); HOOS P5-P8 = 1 each,
    so P4-P8 sum = p4 + 4 (painful when p4 ≥ 2)."""
    edit("patient.weight_kg", 80)
    for side in ("left", "right"):
        reading = ... if ir_kg is None else {"force_kg": ir_kg}
        edit(f"hip_exam.{side}.strength.internal_rotation", reading)
    for item in ("p5", "p6", "p7", "p8"):
        edit(f"hip_pain.hoos_pain.{item}", 1)
    edit("hip_pain.hoos_pain.p4", p4)
    return base


@pytest.mark.parametrize(
    ("ir_kg", "p4", "name", "decision"),
    [
        (28.0, 0, "strong_nonsymptomatic", "ineligible"),  # 0.35, sum 4
        (16.0, 1, "weak_nonsymptomatic", "ineligible"),  # 0.20, sum 5
        (16.0, 2, "weak_symptomatic", "eligible"),  # 0.20, sum 6
        (20.8, 2, "strong_symptomatic", "ineligible"),  # 0.26 is not weak, sum 6
        (None, 2, "not_assessed", "incomplete"),
        (16.0, None, "not_assessed", "incomplete"),
    ],
)
def test_subgroup(
    base: dict[str, Any], edit: Edit, ir_kg: float | None, p4: int | None, name: str, decision: str
) -> None:
    result = screen(_case(base, edit, ir_kg, p4))
    assert result.subgroup.name == name
    assert result.decision == decision


def test_strong_symptomatic_is_not_a_cohort_class(base: dict[str, Any], edit: Edit) -> None:
    subgroup = screen(_case(base, edit, 24.0, 4)).subgroup
    assert subgroup.is_cohort_class is False
    assert "not one of the three cohort classes" in subgroup.label


def test_subgroup_confidence_is_uncertain(base: dict[str, Any]) -> None:
    # mash.md §8: how the LVMM classes became the trial cut-offs is not published.
    subgroup = screen(base).subgroup
    assert subgroup.confidence == "uncertain"
    assert "Hicks 2021" in subgroup.source


def test_stratification_is_site_and_sex(base: dict[str, Any]) -> None:
    assert screen(base).stratification == {"site": "newark", "sex": "female"}
