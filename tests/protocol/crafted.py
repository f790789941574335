"""Crafted findings for the tailoring tests: a patient with every finding normal."""

from __future__ import annotations

from collections.abc import Mapping

from hipback.protocol.catalog import Condition
from hipback.protocol.findings import Findings, Side, Value

NORMAL_HIP: dict[str, Value] = {
    "hip.ir_rom_deg": 40.0,
    "hip.er_rom_deg": 40.0,
    "hip.flexion_rom_deg": 120.0,
    "hip.extension_rom_deg": 15.0,
    "hip.abduction_rom_deg": 40.0,
    "hip.ir_end_feel": "normal",
    "hip.pain_on_ir": False,
    "hip.fadir_positive": False,
    "hip.faber_positive": False,
    "hip.abduction_bw": 0.40,
    "hip.extension_bw": 0.40,
    "hip.ir_bw": 0.35,
    "hip.thomas_angle_deg": -10.0,
    "hip.thomas_positive": False,
    "hip.ober_positive": False,
    "hip.slr_deg": 85.0,
    "hip.painful": False,
}
NORMAL_GENERAL: dict[str, Value] = {
    "hoos.p5_stairs": 0,
    "lumbar.hypomobile_levels": (),
    "lumbar.hypermobile_levels": (),
    "lumbar.flexion_limited": False,
    "lumbar.extension_limited": False,
    "trunk.side_bridge_min_s": 60.0,
    "trunk.extensor_hold_s": 90.0,
    "gait.speed_m_s": 1.2,
}


def make_findings(
    *,
    left: Mapping[str, Value] | None = None,
    right: Mapping[str, Value] | None = None,
    general: Mapping[str, Value] | None = None,
    conditions: Mapping[Condition, frozenset[Side] | None] | None = None,
    age: int | None = None,
    sex: str | None = None,
) -> Findings:
    return Findings(
        hip={
            "left": {**NORMAL_HIP, **(left or {})},
            "right": {**NORMAL_HIP, **(right or {})},
        },
        general={**NORMAL_GENERAL, **(general or {})},
        conditions=dict(conditions or {}),
        age=age,
        sex=sex,
    )
