"""Plain domain data exchanged with FHIR: what the database holds, without database ids.

The service layer fills these from rows (export) and writes rows from them (import); the
mapping modules turn them into FHIR resources and back. Keys are the stable identifier values
of :mod:`hipback.fhir.ids`; people are named by username (practitioners) or record number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class PractitionerRec:
    username: str
    display_name: str
    role: str


@dataclass(frozen=True)
class PatientRec:
    mrn: str
    given_name: str
    family_name: str
    birth_date: date
    sex: str
    phone: str | None
    synthetic: bool
    site_code: str
    site_name: str
    created_at: datetime


@dataclass(frozen=True)
class EpisodeRec:
    key: str
    opened_on: date
    closed_on: date | None
    status: str
    arm: str | None
    therapist: str | None


@dataclass(frozen=True)
class EvaluationRec:
    key: str
    episode_key: str
    assessed_on: date
    decision: str
    data: dict[str, Any]
    screening: dict[str, Any]
    created_by: str | None
    created_at: datetime


@dataclass(frozen=True)
class SessionRec:
    number: int
    planned_on: date
    status: str
    delivered_on: date | None
    documentation: dict[str, Any] | None
    notes: str
    recorded_by: str | None


@dataclass(frozen=True)
class PlanRec:
    key: str
    episode_key: str
    evaluation_key: str
    arm: str
    start_on: date
    data: dict[str, Any]
    created_at: datetime
    sessions: tuple[SessionRec, ...]


@dataclass(frozen=True)
class OutcomeRec:
    """One instrument at one timepoint. ``result`` is the stored scoring result (export only:
    import recomputes it from ``responses`` and checks the exported value)."""

    key: str
    episode_key: str
    timepoint: str
    instrument: str
    assessed_on: date
    responses: dict[str, Any]
    value: float | None
    assessed_by: str | None
    result: dict[str, Any] = field(default_factory=dict)
    subscores: dict[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class LogRec:
    key: str
    logged_on: date
    exercise_id: str
    sets: int
    reps: int | None
    pain: int
    comment: str
    created_at: datetime
    created_by: str | None


@dataclass(frozen=True)
class PatientRecord:
    """Everything exported for one patient: all their episodes and what hangs off them."""

    patient: PatientRec
    episodes: tuple[EpisodeRec, ...] = ()
    evaluations: tuple[EvaluationRec, ...] = ()
    plans: tuple[PlanRec, ...] = ()
    outcomes: tuple[OutcomeRec, ...] = ()
    logs: tuple[LogRec, ...] = ()


@dataclass(frozen=True)
class Exchange:
    """The content of one Bundle: practitioners, instruments used, and patient records."""

    practitioners: tuple[PractitionerRec, ...]
    instruments: tuple[str, ...]
    records: tuple[PatientRecord, ...]
