"""The treatment plan as data: the JSON ``hipback plan`` writes and ``hipback progress`` reads.

Pydantic models (``extra="forbid"``) so a plan file round-trips exactly; built by
:func:`hipback.protocol.plan.generate_plan`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hipback.errors import InvalidInput
from hipback.protocol.catalog import Arm, Dose
from hipback.protocol.findings import Side

Part = Literal["manual", "supervised", "home"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WhyOut(_Out):
    """Why an item is in the plan: the rule and, for tailored items, finding and threshold.

    The citation of each threshold is in the plan's ``rationale`` (once, not per session)."""

    rule: str
    side: Side | None = None
    finding: str | None = None
    value: float | bool | str | list[str] | None = None
    threshold: str | None = None
    source: str
    confidence: str
    text: str


class RationaleOut(_Out):
    """A rule or threshold used by this plan, with its citation."""

    id: str
    kind: Literal["rule", "criterion"]
    text: str
    source: str
    citation: str
    confidence: str


class PlanItem(_Out):
    id: str
    name: str
    category: str
    part: Part
    sides: list[Side]
    level: int
    level_name: str
    dose: Dose
    dose_text: str
    why: list[WhyOut]
    modifications: list[str] = Field(default_factory=list)


class HomeItem(_Out):
    """One home exercise: what the patient does between visits (its why is on the plan item)."""

    id: str
    patient_name: str
    sides: list[Side]
    level: int
    dose: Dose
    dose_text: str
    modifications: list[str] = Field(default_factory=list)


class SetAsideOut(_Out):
    id: str
    name: str
    sides: list[Side]
    reason: str
    condition: str | None = None
    why: list[WhyOut]


class PlanSession(_Out):
    number: int
    on: dt.date
    week: int
    notes: list[str]
    reassessment: str | None = None
    items: list[PlanItem] = Field(description="Manual therapy, then supervised exercises.")
    home_program: list[HomeItem] = Field(description="Exercises to do at home until next visit.")


class Reassessment(_Out):
    label: str
    after_session: int
    on: dt.date
    measures: list[str]
    note: str


class ScreeningOut(_Out):
    decision: str
    summary: str
    overridden: bool
    subgroup: str


class TreatmentPlan(_Out):
    plan_format: Literal[1] = 1
    patient_id: str
    arm: Arm
    assessed_on: dt.date
    start_on: dt.date
    end_on: dt.date
    pattern: list[str]
    screening: ScreeningOut
    disclaimer: str
    versions: dict[str, str]
    conditions: list[str]
    sessions: list[PlanSession]
    excluded: list[SetAsideOut]
    deferred: list[SetAsideOut]
    unassessed: list[str]
    notes: list[str]
    reassessments: list[Reassessment]
    rationale: list[RationaleOut]
    baseline_measures: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="From the evaluation; compared at reassessment."
    )
    patient: dict[str, Any] = Field(
        default_factory=dict, description="Age and sex, for norms at reassessment."
    )

    def to_json(self) -> str:
        return self.model_dump_json(indent=2, exclude_none=True)


def load_plan(data: Mapping[str, Any]) -> TreatmentPlan:
    """Read a plan written by :func:`generate_plan` (e.g. ``hipback plan`` JSON)."""
    try:
        return TreatmentPlan.model_validate(dict(data))
    except ValidationError as exc:
        raise InvalidInput.one(
            "plan", "…", "a plan written by `hipback plan`", str(exc).splitlines()[0]
        ) from None
