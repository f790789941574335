"""The physical examination: hip exam per side and the lumbar exam.

Every number carries its unit in its name (``rom_deg``, ``force_n``, ``hold_s``). Ranges are
wide plausibility limits for older adults, not norms: they catch typos (a 900° flexion), not
unusual patients.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from hipback.screening._model import Record, answer, number, section

#: Cyriax end-feel categories; "normal" is the expected end-feel for that motion.
EndFeel = Literal["normal", "capsular", "springy", "empty", "hard", "spasm"]
PainLocation = Literal[
    "none", "groin", "lateral_hip", "buttock", "posterior_pelvis", "low_back", "thigh", "other"
]
LumbarLevel = Literal["T12-L1", "L1-L2", "L2-L3", "L3-L4", "L4-L5", "L5-S1"]
SegmentalMobility = Literal["hypomobile", "normal", "hypermobile"]


class HipRom(Record):
    """Passive range of motion, degrees (goniometer)."""

    flexion: float | None = number(0, 160, "Passive hip flexion, degrees.")
    extension: float | None = number(
        -40, 50, "Passive hip extension, degrees; negative = cannot reach neutral."
    )
    internal_rotation: float | None = number(0, 90, "Passive hip internal rotation, degrees.")
    external_rotation: float | None = number(0, 90, "Passive hip external rotation, degrees.")
    abduction: float | None = number(0, 90, "Passive hip abduction, degrees.")


class HipEndFeel(Record):
    """End-feel at the limit of each passive motion."""

    flexion: EndFeel | None = answer("End-feel of passive flexion.")
    extension: EndFeel | None = answer("End-feel of passive extension.")
    internal_rotation: EndFeel | None = answer("End-feel of passive internal rotation.")
    external_rotation: EndFeel | None = answer("End-feel of passive external rotation.")
    abduction: EndFeel | None = answer("End-feel of passive abduction.")


class DynamometerReading(Record):
    """One hand-held dynamometry result, in newtons **or** kilograms-force (not both)."""

    force_n: float | None = Field(
        default=None, gt=0, le=1500, allow_inf_nan=False, description="Force, newtons."
    )
    force_kg: float | None = Field(
        default=None,
        gt=0,
        le=150,
        allow_inf_nan=False,
        description="Force, kilograms-force (dial in kg).",
    )
    lever_arm_cm: float | None = number(
        5, 100, "Distance from joint axis to dynamometer, cm (for torque)."
    )

    @model_validator(mode="after")
    def _one_unit(self) -> DynamometerReading:
        if (self.force_n is None) == (self.force_kg is None):
            raise ValueError("give exactly one of force_n or force_kg")
        return self


class HipStrength(Record):
    """Hand-held dynamometry; procedure (position, make/break, trials) is not published (❌)."""

    abduction: DynamometerReading | None = answer("Hip abduction strength.")
    extension: DynamometerReading | None = answer("Hip extension strength.")
    internal_rotation: DynamometerReading | None = answer(
        "Hip internal-rotation strength (the MASH inclusion rule I5a)."
    )


class ThomasTest(Record):
    hip_angle_deg: float | None = number(
        -30, 60, "Thigh angle above horizontal, degrees; > 0 = hip flexor shortness."
    )
    knee_flexion_deg: float | None = number(
        0, 160, "Knee flexion of the hanging leg, degrees; < ~80 suggests short rectus femoris."
    )
    positive: bool | None = answer("Therapist's overall judgement: hip flexors short.")


class OberTest(Record):
    adduction_angle_deg: float | None = number(
        -30, 40, "Adduction below horizontal, degrees; ≤ 0 = TFL/ITB tightness."
    )
    positive: bool | None = answer("Therapist's overall judgement: TFL/ITB tight.")


class HamstringLength(Record):
    slr_angle_deg: float | None = number(0, 130, "Passive straight-leg raise angle, degrees.")


class MuscleLength(Record):
    thomas: ThomasTest = section(ThomasTest, "Modified Thomas test (hip flexors).")
    ober: OberTest = section(OberTest, "Ober test (TFL/iliotibial band).")
    hamstring: HamstringLength = section(HamstringLength, "Hamstring length.")


class Provocation(Record):
    positive: bool | None = answer("True if the test reproduced pain.")
    pain_location: PainLocation | None = answer("Where the pain was felt.")


class HipSideExam(Record):
    rom_deg: HipRom = section(HipRom, "Passive range of motion, degrees.")
    end_feel: HipEndFeel = section(HipEndFeel, "End-feel per motion.")
    pain_on_internal_rotation: bool | None = answer("Pain on passive internal rotation.")
    strength: HipStrength = section(HipStrength, "Hand-held dynamometry.")
    muscle_length: MuscleLength = section(MuscleLength, "Muscle length tests.")
    faber: Provocation = section(Provocation, "FABER (flexion-abduction-external rotation).")
    fadir: Provocation = section(Provocation, "FADIR (flexion-adduction-internal rotation).")


class HipExam(Record):
    left: HipSideExam = section(HipSideExam, "Left hip.")
    right: HipSideExam = section(HipSideExam, "Right hip.")

    def side(self, name: Literal["left", "right"]) -> HipSideExam:
        return self.left if name == "left" else self.right


class SegmentFinding(Record):
    level: LumbarLevel = Field(description="Motion segment, e.g. 'L4-L5'.")
    mobility: SegmentalMobility = Field(description="Posterior-anterior passive mobility.")
    pain: bool = Field(description="True if PA pressure at this level reproduced pain.")


class TrunkEndurance(Record):
    """Hold times, seconds."""

    flexor_hold_s: float | None = number(0, 600, "Trunk flexor endurance hold, seconds.")
    extensor_hold_s: float | None = number(
        0, 600, "Trunk extensor (Biering-Sørensen) hold, seconds."
    )
    side_bridge_left_hold_s: float | None = number(0, 600, "Left side-bridge hold, seconds.")
    side_bridge_right_hold_s: float | None = number(0, 600, "Right side-bridge hold, seconds.")


class LumbarExam(Record):
    segments: list[SegmentFinding] | None = Field(
        default=None, description="Segmental mobility and pain per level; null = not assessed."
    )
    flexion_limited: bool | None = answer("Active lumbar flexion range limited.")
    extension_limited: bool | None = answer("Active lumbar extension range limited.")
    trunk_endurance: TrunkEndurance = section(TrunkEndurance, "Trunk endurance times.")

    @model_validator(mode="after")
    def _levels_once(self) -> LumbarExam:
        levels = [s.level for s in self.segments or []]
        if len(set(levels)) != len(levels):
            raise ValueError("each lumbar level may be listed once")
        return self
