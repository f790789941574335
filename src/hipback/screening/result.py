"""The screening result: decision, each rule's outcome with its evidence, and the subgroup."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from hipback.core import Confidence
from hipback.errors import NotFound
from hipback.screening.conditions import Status

Decision = Literal["eligible", "ineligible", "refer", "incomplete"]
SubgroupName = Literal[
    "strong_nonsymptomatic",
    "weak_nonsymptomatic",
    "weak_symptomatic",
    "strong_symptomatic",
    "not_assessed",
]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Measured(_Out):
    """One value a rule looked at; ``value`` None with ``assessed`` False = not assessed."""

    label: str
    value: Any
    assessed: bool
    fields: list[str]


class RuleOutcome(_Out):
    id: str
    kind: Literal["inclusion", "exclusion", "red_flag"]
    text: str
    status: Status = Field(description="Whether the rule's condition holds for this patient.")
    allows_enrolment: bool | None = Field(
        description="True if this rule does not stand in the way; None if not assessed."
    )
    measured: list[Measured]
    operator: str
    threshold: Any
    unit: str
    combine: Literal["any", "all"]
    confidence: Confidence
    confidence_label: str
    source: str
    note: str
    explanation: str


class SubgroupResult(_Out):
    name: SubgroupName
    label: str
    weak: bool | None
    painful: bool | None
    is_cohort_class: bool = Field(description="False for 'strong_symptomatic' (not a class).")
    confidence: Confidence
    source: str
    explanation: str


class UnknownRuleNote(_Out):
    id: str
    text: str
    confidence: Confidence


class ScreeningResult(_Out):
    patient_id: str
    assessed_on: dt.date
    decision: Decision
    summary: str
    criteria: list[RuleOutcome]
    red_flags: list[RuleOutcome]
    subgroup: SubgroupResult
    stratification: dict[str, str] = Field(description="Randomisation strata: site and sex.")
    not_assessed: list[str] = Field(description="Evaluation fields screening needed but lacked.")
    unknown_rules: list[UnknownRuleNote]
    ruleset: str

    def criterion(self, rule_id: str) -> RuleOutcome:
        """The outcome of one criterion or red flag by id (e.g. ``'I5a'``, ``'RF1'``)."""
        for r in [*self.criteria, *self.red_flags]:
            if r.id == rule_id:
                return r
        raise NotFound(f"no screening rule {rule_id!r}")

    @property
    def eligible(self) -> bool:
        return self.decision == "eligible"
