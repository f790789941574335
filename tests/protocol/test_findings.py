"""Flattening an evaluation into findings: strength normalisation, conditions, gait speed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hipback.errors import InvalidInput
from hipback.protocol.catalog import Condition
from hipback.protocol.findings import findings_from_evaluation
from hipback.screening import load_evaluation

VIGNETTES = Path(__file__).parents[1] / "vignettes"


def ev(name: str) -> Any:
    return load_evaluation(json.loads((VIGNETTES / f"{name}.json").read_text()))


def test_strength_is_force_over_body_weight() -> None:
    """V01 right IR 14.5 kgf, 68 kg: 14.5 g / (68 g) = 0.2132 → 0.213 (N/N)."""
    f = findings_from_evaluation(ev("v01_capsular_painful_right_hip"))
    assert f.get("hip.ir_bw", "right") == 0.213
    assert f.get("hip.ir_end_feel", "right") == "capsular"
    assert f.get("hip.painful", "right") is True
    assert f.get("hip.painful", "left") is False
    assert f.get("lumbar.hypomobile_levels") == ("L3-L4", "L4-L5")
    assert f.get("trunk.side_bridge_min_s") == 10.0  # min(12, 10)


def test_gait_speed_from_baseline_10mwt() -> None:
    """V03: 10 m in 12.0 s = 0.833 m/s."""
    f = findings_from_evaluation(ev("v03_weak_no_rom_loss_slow_gait"))
    assert f.get("gait.speed_m_s") == pytest.approx(10 / 12)


def test_conditions_from_history() -> None:
    def conditions(name: str) -> Any:
        return findings_from_evaluation(ev(name)).conditions

    assert Condition.OSTEOPOROSIS in conditions("v02_osteoporosis_severe_capsular")
    assert Condition.LUMBAR_STENOSIS in conditions("v04_stenosis_override")
    assert Condition.LUMBAR_HYPERMOBILITY in conditions("v07_lumbar_mixed_mobility")


def test_hip_replacement_without_approach_gets_posterior_precautions_on_that_side() -> None:
    f = findings_from_evaluation(ev("v06_left_hip_replacement_override"))
    assert f.conditions[Condition.HIP_REPLACEMENT_POSTERIOR] == frozenset({"left"})
    assert "posterior-approach precautions" in f.condition_notes[0]


def test_declared_other_approach_replaces_the_posterior_default() -> None:
    f = findings_from_evaluation(
        ev("v06_left_hip_replacement_override"),
        {Condition.HIP_REPLACEMENT_OTHER: frozenset({"left"})},
    )
    assert Condition.HIP_REPLACEMENT_POSTERIOR not in f.conditions
    assert f.conditions[Condition.HIP_REPLACEMENT_OTHER] == frozenset({"left"})


def test_not_assessed_is_none() -> None:
    f = findings_from_evaluation(ev("v09_incomplete_strength"))
    assert f.get("hip.ir_bw", "left") is None


def test_unknown_finding_and_missing_side_are_errors() -> None:
    f = findings_from_evaluation(ev("v01_capsular_painful_right_hip"))
    with pytest.raises(InvalidInput, match="finding"):
        f.get("hip.nope", "left")
    with pytest.raises(InvalidInput, match="per side"):
        f.get("hip.ir_bw")


@pytest.mark.parametrize(("tug_s", "flagged"), [(11.9, False), (12.0, True)])
def test_slow_tug_adds_fall_risk_precautions(tug_s: float, flagged: bool) -> None:
    data = json.loads((VIGNETTES / "v03_weak_no_rom_loss_slow_gait.json").read_text())
    data["baseline_measures"]["tug"] = {"time_s": tug_s, "age": 68}
    f = findings_from_evaluation(load_evaluation(data))
    assert (Condition.FALL_RISK in f.conditions) is flagged
    assert any("TUG" in n for n in f.condition_notes) is flagged
