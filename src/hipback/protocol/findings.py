"""Exam findings as a flat table the tailoring rules can read.

The tailoring rules (``data/tailoring_rules.toml``) name findings such as ``hip.ir_rom_deg``
(per side) or ``lumbar.hypomobile_levels``. This module is the one place that knows the
evaluation record's shape (:class:`hipback.screening.Evaluation`); ``None`` always means *not
assessed*, and a rule reading a missing finding is reported, never guessed.

Strength is force / body weight (N/N), the reading of MASH's 0.26 that screening uses
(``hipback.screening.strength``; the unit is unverified, mash.md §2.1 ❌).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from hipback.errors import InvalidInput
from hipback.measures import score
from hipback.protocol.catalog import Condition
from hipback.screening import Evaluation
from hipback.screening.exam import DynamometerReading, HipSideExam
from hipback.screening.strength import force_newtons, strength_to_body_weight

#: Timed Up and Go at or above this many seconds → fall-risk precautions (CDC STEADI 12 s;
#: hipback.measures.tug lists it with its caveats). hipback default, unverified as a rule.
TUG_FALL_RISK_S = 12.0

Side = Literal["left", "right"]
SIDES: tuple[Side, ...] = ("left", "right")
Value = float | bool | str | tuple[str, ...] | None

#: Finding name → (unit, what it is). Names starting ``hip.`` are read per side.
FINDINGS: Mapping[str, tuple[str, str]] = {
    "hip.ir_rom_deg": ("°", "passive hip internal rotation"),
    "hip.er_rom_deg": ("°", "passive hip external rotation"),
    "hip.flexion_rom_deg": ("°", "passive hip flexion"),
    "hip.extension_rom_deg": ("°", "passive hip extension"),
    "hip.abduction_rom_deg": ("°", "passive hip abduction"),
    "hip.ir_end_feel": ("", "end-feel of hip internal rotation"),
    "hip.pain_on_ir": ("", "pain on passive hip internal rotation"),
    "hip.fadir_positive": ("", "FADIR provocation test"),
    "hip.faber_positive": ("", "FABER provocation test"),
    "hip.abduction_bw": ("× body weight", "hip abduction strength"),
    "hip.extension_bw": ("× body weight", "hip extension strength"),
    "hip.ir_bw": ("× body weight", "hip internal-rotation strength"),
    "hip.thomas_angle_deg": ("°", "Thomas test thigh angle above horizontal"),
    "hip.thomas_positive": ("", "Thomas test judged positive"),
    "hip.ober_positive": ("", "Ober test judged positive"),
    "hip.slr_deg": ("°", "passive straight-leg raise"),
    "hip.painful": ("", "hip reported as painful"),
    "hoos.p5_stairs": ("", "HOOS pain on stairs (item P5)"),
    "lumbar.hypomobile_levels": ("", "hypomobile lumbar segments on PA testing"),
    "lumbar.hypermobile_levels": ("", "hypermobile lumbar segments on PA testing"),
    "lumbar.flexion_limited": ("", "active lumbar flexion limited"),
    "lumbar.extension_limited": ("", "active lumbar extension limited"),
    "trunk.side_bridge_min_s": ("s", "shorter side-bridge hold"),
    "trunk.extensor_hold_s": ("s", "trunk extensor (Biering-Sørensen) hold"),
    "gait.speed_m_s": ("m/s", "baseline gait speed (10MWT)"),
}


@dataclass(frozen=True)
class Findings:
    """Per-side hip findings, whole-body findings and precaution conditions."""

    hip: Mapping[Side, Mapping[str, Value]]
    general: Mapping[str, Value]
    conditions: Mapping[Condition, frozenset[Side] | None] = field(default_factory=dict)
    condition_notes: tuple[str, ...] = ()
    #: for age- and sex-specific norms (None: fixed thresholds only)
    age: int | None = None
    sex: str | None = None

    def get(self, name: str, side: Side | None = None) -> Value:
        if name not in FINDINGS:
            raise InvalidInput.one("finding", name, "one of " + ", ".join(FINDINGS))
        if name.startswith("hip."):
            if side is None:
                raise InvalidInput.one("side", None, "'left' or 'right'", f"{name} is per side")
            return self.hip[side].get(name)
        return self.general.get(name)


def _bw(reading: DynamometerReading | None, weight_kg: float) -> float | None:
    if reading is None:
        return None
    force = force_newtons(force_n=reading.force_n, force_kg=reading.force_kg)
    return None if force is None else round(strength_to_body_weight(force, weight_kg), 3)


def _side(exam: HipSideExam, weight_kg: float, painful: bool | None) -> dict[str, Value]:
    rom, length = exam.rom_deg, exam.muscle_length
    return {
        "hip.ir_rom_deg": rom.internal_rotation,
        "hip.er_rom_deg": rom.external_rotation,
        "hip.flexion_rom_deg": rom.flexion,
        "hip.extension_rom_deg": rom.extension,
        "hip.abduction_rom_deg": rom.abduction,
        "hip.ir_end_feel": exam.end_feel.internal_rotation,
        "hip.pain_on_ir": exam.pain_on_internal_rotation,
        "hip.fadir_positive": exam.fadir.positive,
        "hip.faber_positive": exam.faber.positive,
        "hip.abduction_bw": _bw(exam.strength.abduction, weight_kg),
        "hip.extension_bw": _bw(exam.strength.extension, weight_kg),
        "hip.ir_bw": _bw(exam.strength.internal_rotation, weight_kg),
        "hip.thomas_angle_deg": length.thomas.hip_angle_deg,
        "hip.thomas_positive": length.thomas.positive,
        "hip.ober_positive": length.ober.positive,
        "hip.slr_deg": length.hamstring.slr_angle_deg,
        "hip.painful": painful,
    }


def _gait_speed(evaluation: Evaluation) -> float | None:
    responses = evaluation.baseline_measures.get("ten_mwt")
    if responses is None:
        return None
    return score("ten_mwt", responses).value


def _conditions(
    evaluation: Evaluation, declared: Mapping[Condition, frozenset[Side] | None]
) -> tuple[dict[Condition, frozenset[Side] | None], list[str]]:
    history = evaluation.medical_history
    found: dict[Condition, frozenset[Side] | None] = dict(declared)
    notes: list[str] = []
    if history.osteoporosis:
        found[Condition.OSTEOPOROSIS] = None
    replaced = frozenset(
        side
        for side, flag in (
            ("left", history.total_hip_replacement_left),
            ("right", history.total_hip_replacement_right),
        )
        if flag
    )
    if replaced and Condition.HIP_REPLACEMENT_OTHER not in declared:
        # The evaluation does not record the surgical approach: apply the strictest
        # (posterior-approach) precautions unless the clinician declares another approach.
        found[Condition.HIP_REPLACEMENT_POSTERIOR] = replaced  # type: ignore[assignment]
        notes.append(
            "Total hip replacement recorded without the surgical approach: posterior-approach "
            "precautions applied (no flexion > 90°, no adduction past midline, no internal "
            "rotation). Declare another approach with the hip_replacement_other condition."
        )
    if "spinal_stenosis" in (history.other_spinal_pathology or []):
        found[Condition.LUMBAR_STENOSIS] = None
    if any(s.mobility == "hypermobile" for s in evaluation.lumbar_exam.segments or []):
        found[Condition.LUMBAR_HYPERMOBILITY] = None
    tug = evaluation.baseline_measures.get("tug")
    tug_s = None if tug is None else score("tug", tug).value
    if tug_s is not None and tug_s >= TUG_FALL_RISK_S and Condition.FALL_RISK not in found:
        found[Condition.FALL_RISK] = None
        notes.append(
            f"Fall-risk precautions applied: baseline TUG {tug_s:g} s ≥ {TUG_FALL_RISK_S:g} s "
            "(CDC STEADI cut-off; TUG alone predicts falls poorly, Barry et al. 2014; unverified)."
        )
    return found, notes


def findings_from_evaluation(
    evaluation: Evaluation,
    declared: Mapping[Condition, frozenset[Side] | None] | None = None,
) -> Findings:
    """Flatten an evaluation. ``declared`` adds conditions the record has no field for
    (e.g. anticoagulation, cannot kneel, fall risk), as declared by the clinician."""
    weight = evaluation.patient.weight_kg
    pain_side = evaluation.hip_pain.side
    hip = {
        side: _side(
            evaluation.hip_exam.side(side),
            weight,
            None if pain_side is None else pain_side in (side, "both"),
        )
        for side in SIDES
    }
    lumbar = evaluation.lumbar_exam
    segments = lumbar.segments
    endurance = lumbar.trunk_endurance
    bridges = [
        v
        for v in (endurance.side_bridge_left_hold_s, endurance.side_bridge_right_hold_s)
        if v is not None
    ]
    general: dict[str, Value] = {
        "hoos.p5_stairs": evaluation.hip_pain.hoos_pain.p5,
        "lumbar.hypomobile_levels": None
        if segments is None
        else tuple(s.level for s in segments if s.mobility == "hypomobile"),
        "lumbar.hypermobile_levels": None
        if segments is None
        else tuple(s.level for s in segments if s.mobility == "hypermobile"),
        "lumbar.flexion_limited": lumbar.flexion_limited,
        "lumbar.extension_limited": lumbar.extension_limited,
        "trunk.side_bridge_min_s": min(bridges) if bridges else None,
        "trunk.extensor_hold_s": endurance.extensor_hold_s,
        "gait.speed_m_s": _gait_speed(evaluation),
    }
    conditions, notes = _conditions(evaluation, declared or {})
    return Findings(
        hip=hip,
        general=general,
        conditions=conditions,
        condition_notes=tuple(notes),
        age=evaluation.patient.age_years,
        sex=evaluation.patient.sex,
    )
