"""The treatment plan as data: the JSON ``hipback plan`` writes and ``hipback progress`` reads.

Pydantic models (``extra="forbid"``) so a plan file round-trips exactly; built by
:func:`hipback.protocol.plan.generate_plan`. Format 2 adds, per session, its own items (planned
progression), each item's planned and adjusted dose and minutes, what was left out of the
session and why, the session's minutes and budget; per plan, the severity and irritability and
the calendar used. Format 1 plans (every session alike) still load: the new fields default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hipback.errors import InvalidInput
from hipback.protocol.catalog import Arm, Dose
from hipback.protocol.findings import Side
from hipback.protocol.irritability import Phase

Part = Literal["manual", "supervised", "home", "education"]
#: where a candidate item went when it was not done in the clinic this session
Goes = Literal["home", "later", "held back"]


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
    kind: Literal["rule", "criterion", "norm", "schedule"]
    text: str
    source: str
    citation: str
    confidence: str


class PlanItem(_Out):
    """One item of one session. ``level``/``dose`` are what to do (adjusted by documented
    sessions); ``planned_level``/``planned_dose_text`` are what the plan scheduled."""

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
    planned_level: int | None = None
    planned_dose: Dose | None = None
    planned_dose_text: str | None = None
    adjusted: str | None = Field(
        default=None, description="Why the dose differs from the plan (a documented session)."
    )
    minutes: int | None = Field(default=None, description="Clinic minutes: set-up, work, rests.")
    time_text: str | None = None
    #: scheduling priority: core items are done every session; lower priority/rank first
    core: bool = False
    priority: int = 0
    rank: int = 0


class LeftOut(PlanItem):
    """A candidate item not done in the clinic this session, where it went, and why."""

    goes: Goes
    reason: str
    next_in_clinic: int | None = None


class HomeItem(_Out):
    """One home exercise: what the patient does between visits (its why is on the plan item)."""

    id: str
    patient_name: str
    sides: list[Side]
    level: int
    dose: Dose
    dose_text: str
    modifications: list[str] = Field(default_factory=list)
    planned_level: int | None = None
    planned_dose: Dose | None = None


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
    items: list[PlanItem] = Field(
        description="Done in the clinic: manual therapy, supervised exercises, education."
    )
    home_program: list[HomeItem] = Field(description="Exercises to do at home until next visit.")
    left_out: list[LeftOut] = Field(
        default_factory=list, description="Candidates not done in the clinic this session."
    )
    minutes: int | None = Field(default=None, description="Planned clinic minutes, all in.")
    budget_minutes: int | None = None
    check_in_minutes: int = 0
    reassessment_minutes: int = 0
    phase: Phase | None = Field(
        default=None, description="The irritability phase in force (gentler doses), if any."
    )

    @property
    def education(self) -> list[PlanItem]:
        return [i for i in self.items if i.part == "education"]

    def find(self, item_id: str) -> PlanItem | None:
        """The item in the clinic, else among those left out (None if not a candidate)."""
        return next((i for i in [*self.items, *self.left_out] if i.id == item_id), None)


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


class IndicatorOut(_Out):
    name: str
    value: str
    rating: str


class IrritabilityOut(_Out):
    """Severity and irritability at the evaluation and how the plan responds."""

    level: str
    assessed: bool
    indicators: list[IndicatorOut]
    summary: str
    phases: list[str]


class ClosedDay(_Out):
    on: dt.date
    name: str


class CalendarOut(_Out):
    """The calendar the sessions were placed on."""

    country: str | None
    subdivision: str | None = None
    closed_weekdays: list[str]
    closure_dates: list[dt.date]
    avoided: list[ClosedDay] = Field(
        default_factory=list, description="Holidays and closures in the treatment period."
    )


class TreatmentPlan(_Out):
    plan_format: Literal[1, 2] = 2
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
    irritability: IrritabilityOut | None = None
    session_minutes: int | None = None
    calendar: CalendarOut | None = None

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
