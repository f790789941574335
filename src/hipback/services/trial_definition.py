"""What a database-backed trial is: arms, labels, strata, outcome instrument and visit schedule.

The default is ``services/data/clinic_trial.toml`` (MASH-like, marks carried from mash.md) with
the visit windows of ``trial/data/visit_windows.toml`` (unverified defaults). Every field is
validated with the field, value and allowed values named.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from hipback import measures
from hipback.errors import InvalidInput, Problem
from hipback.protocol.catalog import Arm
from hipback.trial.randomisation import RandomisationConfig
from hipback.trial.windows import VisitSchedule, load_schedule


class TrialDefinition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[a-z][a-z0-9_-]{0,39}$")
    name: str = Field(min_length=3, max_length=200)
    instrument: str
    reference_arm: str
    arm_labels: dict[str, str]
    clinic_arms: dict[str, str]
    visit_timepoints: dict[str, str]
    randomisation: RandomisationConfig
    schedule: VisitSchedule = Field(default_factory=load_schedule)

    @model_validator(mode="after")
    def _consistent(self) -> TrialDefinition:
        arms = set(self.randomisation.arms)
        problems = []
        if self.instrument not in measures.ids():
            problems.append(f"instrument {self.instrument!r} is not one of {measures.ids()}")
        if self.reference_arm not in arms:
            problems.append(f"reference_arm {self.reference_arm!r} is not one of {sorted(arms)}")
        for key in ("arm_labels", "clinic_arms"):
            if set(getattr(self, key)) != arms:
                problems.append(f"{key} needs exactly one entry per arm {sorted(arms)}")
        clinic = {a.value for a in Arm}
        bad = sorted(v for v in self.clinic_arms.values() if v not in clinic)
        if bad:
            problems.append(f"clinic_arms values {bad} are not clinic arms {sorted(clinic)}")
        codes = [v.code for v in self.schedule.visits]
        if set(self.visit_timepoints) != set(codes):
            problems.append(f"visit_timepoints needs one entry per visit {codes}")
        if "baseline" not in codes:
            problems.append("the schedule needs a 'baseline' visit")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def arms(self) -> tuple[str, ...]:
        return self.randomisation.arms

    @property
    def followups(self) -> tuple[str, ...]:
        """Post-baseline visit codes, in schedule order (the analysis visits)."""
        return tuple(v.code for v in self.schedule.visits if v.code != "baseline")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> TrialDefinition:
        try:
            return cls.model_validate(dict(data))
        except ValidationError as exc:
            raise InvalidInput(
                Problem(
                    ".".join(str(p) for p in err["loc"]) or "trial",
                    err.get("input") if not isinstance(err.get("input"), dict) else "{...}",
                    "see services/data/clinic_trial.toml",
                    err["msg"],
                )
                for err in exc.errors()
            ) from None


def default_definition_data() -> dict[str, Any]:
    text = resources.files("hipback.services").joinpath("data/clinic_trial.toml").read_text()
    return tomllib.loads(text)


def load_definition(data: Mapping[str, Any] | None = None) -> TrialDefinition:
    """The default definition, or ``data`` merged over it (top-level keys replace)."""
    merged = default_definition_data() | dict(data or {})
    return TrialDefinition.from_mapping(merged)
