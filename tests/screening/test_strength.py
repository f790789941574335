"""Dynamometry normalisation (hand calculations in comments)."""

from __future__ import annotations

import pytest

from hipback.screening import (
    STANDARD_GRAVITY_M_PER_S2,
    force_newtons,
    reading_to_body_weight,
    strength_to_body_weight,
    torque_to_body_mass,
)


def test_standard_gravity_is_the_conventional_value() -> None:
    assert STANDARD_GRAVITY_M_PER_S2 == 9.80665  # CGPM 1901


def test_kgf_to_newtons() -> None:
    # 15 kgf × 9.80665 = 147.09975 N
    assert force_newtons(force_n=None, force_kg=15) == pytest.approx(147.09975)
    assert force_newtons(force_n=150, force_kg=None) == 150
    assert force_newtons(force_n=None, force_kg=None) is None


def test_ratio_is_unitless_force_over_body_weight() -> None:
    # 196.133 N / (80 kg × 9.80665 m/s²) = 196.133 / 784.532 = 0.25
    assert strength_to_body_weight(196.133, 80) == pytest.approx(0.25)
    # kgf path: 20 kgf / 80 kg = 0.25, the same ratio
    assert reading_to_body_weight(force_n=None, force_kg=20, weight_kg=80) == 0.25
    assert reading_to_body_weight(force_n=None, force_kg=None, weight_kg=80) is None


def test_torque_alternative() -> None:
    # 120 N × 0.25 m / 60 kg = 0.5 N·m/kg
    assert torque_to_body_mass(120, 25, 60) == pytest.approx(0.5)
