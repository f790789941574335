"""Adverse events: report, seriousness, relatedness, expectedness, adjudication, summary by arm.

MASH collected possible adverse events on a reporting form and site investigators adjudicated
them (mash.md §1 ✅); 7.1% serious AEs overall (§7.5 ✅). The category scales below are hipback's:
seriousness criteria follow ICH E2A (death, life-threatening, hospitalisation, persistent
disability, congenital anomaly, important medical event); relatedness uses a common five-level
scale where *possible* or stronger counts as related. Serious + related + unexpected is flagged
for expedited reporting (a SUSAR-like event).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from hipback.errors import Conflict, InvalidInput, Problem


class Seriousness(StrEnum):
    DEATH = "death"
    LIFE_THREATENING = "life_threatening"
    HOSPITALISATION = "hospitalisation"
    DISABILITY = "disability"
    CONGENITAL_ANOMALY = "congenital_anomaly"
    IMPORTANT_MEDICAL_EVENT = "important_medical_event"


class Severity(StrEnum):
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


class Relatedness(StrEnum):
    NOT_RELATED = "not_related"
    UNLIKELY = "unlikely"
    POSSIBLE = "possible"
    PROBABLE = "probable"
    DEFINITE = "definite"

    @property
    def related(self) -> bool:
        return self in (Relatedness.POSSIBLE, Relatedness.PROBABLE, Relatedness.DEFINITE)


class Expectedness(StrEnum):
    EXPECTED = "expected"
    UNEXPECTED = "unexpected"


@dataclass(frozen=True)
class Adjudication:
    adjudicator: str
    on: date
    relatedness: Relatedness
    expectedness: Expectedness
    seriousness: frozenset[Seriousness]
    rationale: str


@dataclass(frozen=True)
class AdverseEvent:
    event_id: str
    participant_id: str
    onset: date
    description: str
    severity: Severity
    seriousness: frozenset[Seriousness]
    relatedness: Relatedness
    expectedness: Expectedness
    reported_by: str
    reported_on: date
    adjudication: Adjudication | None = None

    @property
    def state(self) -> str:
        return "adjudicated" if self.adjudication else "pending"

    def _final(self) -> tuple[frozenset[Seriousness], Relatedness, Expectedness]:
        if self.adjudication:
            a = self.adjudication
            return a.seriousness, a.relatedness, a.expectedness
        return self.seriousness, self.relatedness, self.expectedness

    @property
    def serious(self) -> bool:
        return bool(self._final()[0])

    @property
    def related(self) -> bool:
        return self._final()[1].related

    @property
    def expedited(self) -> bool:
        """Serious, related and unexpected: needs expedited reporting."""
        seriousness, relatedness, expectedness = self._final()
        return bool(seriousness) and relatedness.related and expectedness is Expectedness.UNEXPECTED

    def as_dict(self) -> dict[str, object]:
        a = self.adjudication
        return {
            "event_id": self.event_id,
            "participant_id": self.participant_id,
            "onset": self.onset.isoformat(),
            "description": self.description,
            "severity": self.severity.value,
            "seriousness": sorted(s.value for s in self.seriousness),
            "relatedness": self.relatedness.value,
            "expectedness": self.expectedness.value,
            "reported_by": self.reported_by,
            "reported_on": self.reported_on.isoformat(),
            "state": self.state,
            "serious": self.serious,
            "related": self.related,
            "expedited": self.expedited,
            "adjudication": None
            if a is None
            else {
                "adjudicator": a.adjudicator,
                "on": a.on.isoformat(),
                "relatedness": a.relatedness.value,
                "expectedness": a.expectedness.value,
                "seriousness": sorted(s.value for s in a.seriousness),
                "rationale": a.rationale,
            },
        }


def _enum(problems: list[Problem], field: str, value: str, kind: type[StrEnum]) -> StrEnum | None:
    try:
        return kind(value)
    except ValueError:
        problems.append(Problem(field, value, ", ".join(k.value for k in kind)))
        return None


def _seriousness(problems: list[Problem], values: Iterable[str]) -> frozenset[Seriousness]:
    out = set()
    for value in values:
        item = _enum(problems, "seriousness", value, Seriousness)
        if isinstance(item, Seriousness):
            out.add(item)
    return frozenset(out)


def report_adverse_event(
    *,
    event_id: str,
    participant_id: str,
    onset: date,
    description: str,
    severity: str,
    seriousness: Iterable[str],
    relatedness: str,
    expectedness: str,
    reported_by: str,
    reported_on: date,
) -> AdverseEvent:
    problems: list[Problem] = []
    sev = _enum(problems, "severity", severity, Severity)
    ser = _seriousness(problems, seriousness)
    rel = _enum(problems, "relatedness", relatedness, Relatedness)
    exp = _enum(problems, "expectedness", expectedness, Expectedness)
    for field, value in (
        ("event_id", event_id),
        ("participant_id", participant_id),
        ("description", description),
        ("reported_by", reported_by),
    ):
        if not value.strip():
            problems.append(Problem(field, value, "a non-empty value"))
    if reported_on < onset:
        problems.append(
            Problem(
                "reported_on", reported_on.isoformat(), f"on or after onset {onset.isoformat()}"
            )
        )
    if problems:
        raise InvalidInput(problems)
    return AdverseEvent(
        event_id,
        participant_id,
        onset,
        description.strip(),
        Severity(str(sev)),
        ser,
        Relatedness(str(rel)),
        Expectedness(str(exp)),
        reported_by,
        reported_on,
    )


def adjudicate(
    event: AdverseEvent,
    *,
    adjudicator: str,
    on: date,
    relatedness: str,
    expectedness: str,
    seriousness: Iterable[str],
    rationale: str,
) -> AdverseEvent:
    """The event with a site investigator's adjudication; an event is adjudicated once."""
    if event.adjudication is not None:
        raise Conflict(f"adverse event {event.event_id!r} is already adjudicated")
    problems: list[Problem] = []
    rel = _enum(problems, "relatedness", relatedness, Relatedness)
    exp = _enum(problems, "expectedness", expectedness, Expectedness)
    ser = _seriousness(problems, seriousness)
    if not adjudicator.strip():
        problems.append(Problem("adjudicator", adjudicator, "the investigator's name"))
    if len(rationale.strip()) < 10:
        problems.append(Problem("rationale", rationale, "at least 10 characters"))
    if on < event.reported_on:
        problems.append(
            Problem("on", on.isoformat(), f"on or after the report {event.reported_on.isoformat()}")
        )
    if problems:
        raise InvalidInput(problems)
    decision = Adjudication(
        adjudicator, on, Relatedness(str(rel)), Expectedness(str(exp)), ser, rationale.strip()
    )
    return replace(event, adjudication=decision)


@dataclass(frozen=True)
class SafetySummary:
    """Per arm: participants with >= 1 event of each kind, and event counts (unblinded use)."""

    arm: str
    participants: int
    with_any: int
    with_serious: int
    with_related: int
    events: int
    serious_events: int
    pending_adjudication: int

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def summarise_by_arm(
    events: Iterable[AdverseEvent], arm_of: Mapping[str, str], arms: Iterable[str]
) -> dict[str, SafetySummary]:
    """Counts per arm; ``arm_of`` maps every randomised participant to their arm."""
    events = list(events)
    unknown = sorted({e.participant_id for e in events} - set(arm_of))
    if unknown:
        raise InvalidInput(
            Problem("participant_id", pid, "a randomised participant") for pid in unknown
        )
    out = {}
    for arm in arms:
        members = {p for p, a in arm_of.items() if a == arm}
        mine = [e for e in events if e.participant_id in members]
        out[arm] = SafetySummary(
            arm,
            len(members),
            len({e.participant_id for e in mine}),
            len({e.participant_id for e in mine if e.serious}),
            len({e.participant_id for e in mine if e.related}),
            len(mine),
            sum(e.serious for e in mine),
            sum(e.adjudication is None for e in mine),
        )
    return out
