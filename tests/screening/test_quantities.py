"""Derived quantities, including the alternatives mash.md §9 asks to keep configurable."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hipback.screening import load_evaluation
from hipback.screening.outcomes import outcome
from hipback.screening.rules import Criterion

Edit = Callable[[str, Any], None]  # the `edit` fixture in conftest.py


def _rule(field: str) -> Criterion:
    return Criterion.model_validate(
        {
            "id": "X1",
            "kind": "inclusion",
            "text": "alternative I5a",
            "fields": [field],
            "operator": "<",
            "threshold": 0.26,
            "source": "test",
            "confidence": "unverified",
        }
    )


SAME_SIDE = "derived:ir_strength_to_body_weight_painful_hip.{side}"


@pytest.mark.parametrize(
    ("pain_side", "status"),
    [
        ("right", "not_met"),  # only the left hip is weak (15/68 = 0.221); right 20/68 = 0.294
        ("left", "met"),
        ("both", "met"),
        ("none", "not_met"),
        (None, "not_assessed"),
    ],
)
def test_same_side_reading(
    base: dict[str, Any], edit: Edit, pain_side: str | None, status: str
) -> None:
    edit("hip_exam.left.strength.internal_rotation", {"force_kg": 15.0})
    edit("hip_exam.right.strength.internal_rotation", {"force_kg": 20.0})
    edit("hip_pain.side", pain_side)
    result = outcome(_rule(SAME_SIDE), "inclusion", load_evaluation(base))
    assert result.status == status


def test_torque_reading_needs_the_lever_arm(base: dict[str, Any], edit: Edit) -> None:
    edit("hip_exam.right.strength.internal_rotation", {"force_kg": 14.5, "lever_arm_cm": 30})
    result = outcome(
        _rule("derived:ir_torque_to_body_mass.{side}"), "inclusion", load_evaluation(base)
    )
    left, right = result.measured
    assert not left.assessed  # no lever arm recorded on the left
    assert "hip_exam.left.strength.internal_rotation.lever_arm_cm" in left.fields
    # 14.5 kgf × 9.80665 = 142.196 N; × 0.30 m = 42.659 N·m; / 68 kg = 0.6273 N·m/kg
    assert right.value == pytest.approx(0.6273, abs=1e-4)
    assert result.status == "not_assessed"  # right is not below 0.26; left unknown
