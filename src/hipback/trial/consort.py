"""CONSORT 2010 participant flow counts from per-participant records.

Input (JSON, validated by :class:`FlowRecords`, unknown keys refused)::

    {"arms": ["hip", "spine"], "visits": ["week8", "month6"],
     "visit_labels": {"week8": "8 weeks", "month6": "6 months"},
     "participants": [
       {"id": "S1", "exclusion": {"category": "not_meeting_inclusion", "reason": "HOOS pain <= 5"}},
       {"id": "S2", "arm": "hip", "received_intervention": true,
        "followup": {"week8": {"status": "completed"},
                     "month6": {"status": "lost", "reason": "moved away"}}}]}

Every participant screened is one record. A record with an ``arm`` was randomised; one without
must say why it was excluded (``not_meeting_inclusion``, ``declined`` or ``other``, as in the
CONSORT template). ``analysed`` defaults to "has at least one completed follow-up" (intention to
treat on all randomised participants with available data); a visit without a status counts as
pending (not yet due or not yet recorded). :meth:`ConsortFlow.check` verifies that every box adds
up; the counts never depend on anything but the records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from hipback.errors import InvalidInput, Problem

ExclusionCategory = Literal["not_meeting_inclusion", "declined", "other"]
FollowupStatus = Literal["completed", "lost", "withdrew", "missed"]
EXCLUSION_LABELS = {
    "not_meeting_inclusion": "Not meeting inclusion criteria",
    "declined": "Declined to participate",
    "other": "Other reasons",
}
NOT_ASSESSED_LABELS = {
    "lost": "Lost to follow-up",
    "withdrew": "Withdrew",
    "missed": "Missed visit",
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Exclusion(_Model):
    category: ExclusionCategory
    reason: str = "not stated"


class Followup(_Model):
    status: FollowupStatus
    reason: str = "not stated"


class ParticipantFlow(_Model):
    id: str = Field(min_length=1)
    exclusion: Exclusion | None = None
    arm: str | None = None
    received_intervention: bool | None = None
    not_received_reason: str = "not stated"
    discontinued_reason: str | None = None
    followup: dict[str, Followup] = Field(default_factory=dict)
    analysed: bool | None = None
    analysis_exclusion_reason: str = "no follow-up data"

    @model_validator(mode="after")
    def _randomised_or_excluded(self) -> ParticipantFlow:
        if self.arm is None and self.exclusion is None:
            raise ValueError("not randomised (no arm), so an exclusion with a category is needed")
        if self.arm is not None and self.exclusion is not None:
            raise ValueError("randomised (has an arm), so it cannot also have an exclusion")
        return self


class FlowRecords(_Model):
    arms: tuple[str, ...] = Field(min_length=1)
    visits: tuple[str, ...] = ()
    visit_labels: dict[str, str] = Field(default_factory=dict)
    participants: tuple[ParticipantFlow, ...]

    @model_validator(mode="after")
    def _consistent(self) -> FlowRecords:
        problems = []
        ids = Counter(p.id for p in self.participants)
        problems += [f"participant id {i!r} appears {n} times" for i, n in ids.items() if n > 1]
        for p in self.participants:
            if p.arm is not None and p.arm not in self.arms:
                problems.append(f"participant {p.id}: arm {p.arm!r} not in {list(self.arms)}")
            problems += [
                f"participant {p.id}: visit {v!r} not in {list(self.visits)}"
                for v in p.followup
                if v not in self.visits
            ]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> FlowRecords:
        try:
            return cls.model_validate(dict(data))
        except ValidationError as exc:
            raise InvalidInput(
                Problem(
                    ".".join(str(p) for p in err["loc"]) or "records",
                    err.get("input") if not isinstance(err.get("input"), dict) else "{...}",
                    "see the record format in docs/trial.md (CONSORT)",
                    err["msg"],
                )
                for err in exc.errors()
            ) from None


@dataclass(frozen=True)
class Reasons:
    total: int
    by_reason: dict[str, int]

    @classmethod
    def of(cls, reasons: Iterable[str]) -> Reasons:
        counts = Counter(reasons)
        return cls(
            sum(counts.values()), dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        )

    def as_dict(self) -> dict[str, object]:
        return {"n": self.total, "reasons": dict(self.by_reason)}


@dataclass(frozen=True)
class VisitFlow:
    visit: str
    label: str
    assessed: int
    not_assessed: dict[str, Reasons]
    pending: int

    def as_dict(self) -> dict[str, object]:
        return {
            "visit": self.visit,
            "label": self.label,
            "assessed": self.assessed,
            "not_assessed": {k: v.as_dict() for k, v in self.not_assessed.items()},
            "pending": self.pending,
        }


@dataclass(frozen=True)
class ArmFlow:
    arm: str
    allocated: int
    received: int
    not_received: Reasons
    receipt_not_recorded: int
    discontinued: Reasons
    followup: tuple[VisitFlow, ...]
    analysed: int
    excluded_from_analysis: Reasons

    def as_dict(self) -> dict[str, object]:
        return {
            "arm": self.arm,
            "allocated": self.allocated,
            "received": self.received,
            "not_received": self.not_received.as_dict(),
            "receipt_not_recorded": self.receipt_not_recorded,
            "discontinued": self.discontinued.as_dict(),
            "followup": [v.as_dict() for v in self.followup],
            "analysed": self.analysed,
            "excluded_from_analysis": self.excluded_from_analysis.as_dict(),
        }


@dataclass(frozen=True)
class ConsortFlow:
    assessed: int
    excluded: dict[str, Reasons]
    randomised: int
    arms: tuple[ArmFlow, ...] = field(default_factory=tuple)

    @property
    def excluded_total(self) -> int:
        return sum(r.total for r in self.excluded.values())

    def check(self) -> list[str]:
        """Every CONSORT box adds up; an empty list means consistent."""
        problems = []
        if self.assessed != self.excluded_total + self.randomised:
            problems.append("assessed != excluded + randomised")
        if self.randomised != sum(a.allocated for a in self.arms):
            problems.append("randomised != sum of allocated")
        for a in self.arms:
            if a.allocated != a.received + a.not_received.total + a.receipt_not_recorded:
                problems.append(f"{a.arm}: allocated != received + not received + not recorded")
            for v in a.followup:
                seen = v.assessed + v.pending + sum(r.total for r in v.not_assessed.values())
                if seen != a.allocated:
                    problems.append(f"{a.arm} {v.visit}: statuses do not add up to allocated")
            if a.allocated != a.analysed + a.excluded_from_analysis.total:
                problems.append(f"{a.arm}: allocated != analysed + excluded from analysis")
        return problems

    def as_dict(self) -> dict[str, object]:
        return {
            "assessed_for_eligibility": self.assessed,
            "excluded": {
                "n": self.excluded_total,
                **{k: v.as_dict() for k, v in self.excluded.items()},
            },
            "randomised": self.randomised,
            "arms": [a.as_dict() for a in self.arms],
        }


def _arm_flow(records: FlowRecords, arm: str) -> ArmFlow:
    members = [p for p in records.participants if p.arm == arm]
    visits = []
    for visit in records.visits:
        statuses = [p.followup.get(visit) for p in members]
        visits.append(
            VisitFlow(
                visit,
                records.visit_labels.get(visit, visit),
                sum(1 for s in statuses if s is not None and s.status == "completed"),
                {
                    kind: Reasons.of(
                        s.reason for s in statuses if s is not None and s.status == kind
                    )
                    for kind in NOT_ASSESSED_LABELS
                },
                sum(1 for s in statuses if s is None),
            )
        )

    def analysed(p: ParticipantFlow) -> bool:
        if p.analysed is not None:
            return p.analysed
        return any(f.status == "completed" for f in p.followup.values())

    return ArmFlow(
        arm,
        len(members),
        sum(1 for p in members if p.received_intervention is True),
        Reasons.of(p.not_received_reason for p in members if p.received_intervention is False),
        sum(1 for p in members if p.received_intervention is None),
        Reasons.of(p.discontinued_reason for p in members if p.discontinued_reason),
        tuple(visits),
        sum(1 for p in members if analysed(p)),
        Reasons.of(p.analysis_exclusion_reason for p in members if not analysed(p)),
    )


def consort_flow(records: FlowRecords) -> ConsortFlow:
    participants = records.participants
    excluded = {
        category: Reasons.of(
            p.exclusion.reason
            for p in participants
            if p.exclusion is not None and p.exclusion.category == category
        )
        for category in EXCLUSION_LABELS
    }
    return ConsortFlow(
        len(participants),
        excluded,
        sum(1 for p in participants if p.arm is not None),
        tuple(_arm_flow(records, arm) for arm in records.arms),
    )
