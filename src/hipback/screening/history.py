"""Patient details and the history part of the first visit: back pain, hip pain, medical
history relevant to the MASH exclusions, and red-flag questions.

HOOS item topics are short labels written by us; the questionnaire wording is not reproduced.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from hipback.screening._model import Record, answer, number

Sex = Literal["female", "male"]
Side = Literal["left", "right"]
HipPainSide = Literal["left", "right", "both", "none"]
#: NIH Research Task Force chronicity question: how often LBP was an ongoing problem over the
#: past 6 months (Deyo et al. 2014). MASH I3 needs "at least half the days" or more.
LbpFrequency = Literal["every_day_or_nearly_every_day", "at_least_half_the_days", "less_than_half"]
SpinalPathology = Literal[
    "recent_back_surgery",
    "vertebral_fracture_past_year",
    "rheumatoid_arthritis",
    "metastases",
    "spinal_stenosis",
    "ankylosing_spondylitis",
    "other",
]


class PatientDetails(Record):
    id: str = Field(min_length=1, max_length=64, description="Clinic or study identifier.")
    age_years: int = Field(ge=18, le=120, description="Age in whole years on the assessment date.")
    sex: Sex = Field(description="Sex, 'female' or 'male' (a MASH stratification variable).")
    height_cm: float = Field(ge=100, le=230, allow_inf_nan=False, description="Height, cm.")
    weight_kg: float = Field(
        ge=25, le=300, allow_inf_nan=False, description="Body mass, kg; normalises hip strength."
    )
    site: str = Field(
        min_length=1, max_length=64, description="Clinic or trial site (a stratification variable)."
    )


class LowBackPain(Record):
    duration_months: float | None = number(0, 1200, "How long LBP has been a problem, months.")
    frequency_6_months: LbpFrequency | None = answer(
        "NIH RTF chronicity: how often LBP was an ongoing problem over the past 6 months."
    )
    intensity_nprs: int | None = number(
        0, 10, "Usual LBP intensity, whole-number NPRS 0 (no pain) to 10 (worst imaginable)."
    )
    leg_pain_worse_than_back: bool | None = answer(
        "True if significant leg pain is greater than the back pain (MASH exclusion E10)."
    )


def _hoos(topic: str) -> Any:
    return number(0, 4, f"HOOS pain, {topic}: 0 none … 4 extreme (last week).")


class HoosPain(Record):
    """HOOS pain subscale items P1-P10 (0 none … 4 extreme); ``None`` = not answered."""

    p1: int | None = _hoos("how often hip pain is felt")
    p2: int | None = _hoos("straightening the hip fully")
    p3: int | None = _hoos("bending the hip fully")
    p4: int | None = _hoos("walking on a flat surface")
    p5: int | None = _hoos("going up or down stairs")
    p6: int | None = _hoos("at night while in bed")
    p7: int | None = _hoos("sitting or lying")
    p8: int | None = _hoos("standing upright")
    p9: int | None = _hoos("walking on a hard surface")
    p10: int | None = _hoos("walking on an uneven surface")

    def items(self, first: int, last: int) -> dict[str, int | None]:
        """Items ``p{first}``…``p{last}`` by id, e.g. ``items(4, 8)`` for the MASH rule."""
        return {f"p{i}": getattr(self, f"p{i}") for i in range(first, last + 1)}


class HipPain(Record):
    side: HipPainSide | None = answer("Which hip hurts: 'left', 'right', 'both' or 'none'.")
    hoos_pain: HoosPain = Field(
        default_factory=HoosPain,
        description="HOOS pain items. Whether they must refer to the weak hip is unknown (❌).",
    )


#: How easily the usual symptoms are provoked (Maitland's irritability, first part).
Provocation = Literal["little_activity", "moderate_activity", "sustained_or_strenuous_activity"]
#: How long provoked symptoms take to settle back to the usual level (irritability, second part).
Settling = Literal["under_30_minutes", "30_minutes_to_a_few_hours", "next_day_or_longer"]


class SymptomBehaviour(Record):
    """Irritability in the therapist's terms: how easily symptoms are provoked and how long
    they take to settle. Severity is read from the pain ratings (back pain NPRS, HOOS pain)."""

    provoked_by: Provocation | None = Field(
        default=None,
        title="How easily symptoms are provoked",
        description="The least activity that brings on or clearly increases the usual symptoms: "
        "little activity (a single movement, or under about 10 minutes of walking, sitting or "
        "standing), moderate activity (about 10-30 minutes), or only sustained or strenuous "
        "activity (over 30 minutes, or heavy tasks).",
    )
    settles_within: Settling | None = Field(
        default=None,
        title="How long symptoms take to settle",
        description="Once provoked, how long until the symptoms are back to their usual level: "
        "under 30 minutes, 30 minutes to a few hours, or not until the next day or longer.",
    )


class HipFracture(Record):
    side: Side = Field(description="Which hip was fractured.")
    surgical_repair: bool = Field(description="True if the fracture was repaired surgically.")
    years_ago: float = Field(
        ge=0, le=100, allow_inf_nan=False, description="Years since the fracture."
    )


class MedicalHistory(Record):
    hip_fractures: list[HipFracture] | None = Field(
        default=None, description="Previous hip fractures; [] = none, null = not asked."
    )
    total_hip_replacement_left: bool | None = answer("Left total hip replacement.")
    total_hip_replacement_right: bool | None = answer("Right total hip replacement.")
    other_spinal_pathology: list[SpinalPathology] | None = Field(
        default=None,
        description="Spinal pathology other than osteoarthritis; [] = none, null = not asked.",
    )
    osteoporosis: bool | None = answer("Osteoporosis (a treatment precaution, not an exclusion).")
    non_ambulatory: bool | None = answer("Non-ambulatory or severely impaired mobility.")
    mmse_score: int | None = number(0, 30, "Folstein Mini-Mental State Examination, 0-30 points.")
    severe_visual_impairment: bool | None = answer("Severe visual impairment.")
    severe_hearing_impairment: bool | None = answer("Severe hearing impairment.")
    reads_and_speaks_english: bool | None = answer("Able to read and speak English.")

    @model_validator(mode="after")
    def _unique_pathologies(self) -> MedicalHistory:
        found = self.other_spinal_pathology or []
        if len(set(found)) != len(found):
            raise ValueError("each spinal pathology may be listed once")
        return self


class RedFlags(Record):
    """Screening questions for serious pathology; any positive answer means refer, no plan."""

    unexplained_weight_loss_lb: float | None = number(
        0, 200, "Unintentional weight loss, pounds (MASH: > 10 lb is a red flag)."
    )
    history_of_cancer: bool | None = answer("Personal history of cancer.")
    bowel_or_bladder_change: bool | None = answer("New bowel or bladder dysfunction.")
    saddle_anaesthesia: bool | None = answer("Numbness in the saddle (perineal) area.")
    recent_trauma: bool | None = answer("Recent significant trauma, e.g. a fall, before the pain.")
    fever: bool | None = answer("Fever with the low back pain.")
    progressive_neurological_deficit: bool | None = answer(
        "Progressive weakness, numbness or reflex loss in the legs."
    )
    night_pain: bool | None = answer("Pain that wakes or keeps the patient awake at night.")
