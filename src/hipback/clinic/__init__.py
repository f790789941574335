"""Clinic-domain types and rules (patients, episodes, sessions, outcomes, exercise logs); pure."""

from hipback.clinic.records import (
    EpisodeStatus,
    ExerciseLogEntry,
    OutcomeEntry,
    PatientCreate,
    Role,
    SessionDocumentation,
    SessionStatus,
    Timepoint,
)

__all__ = [
    "EpisodeStatus",
    "ExerciseLogEntry",
    "OutcomeEntry",
    "PatientCreate",
    "Role",
    "SessionDocumentation",
    "SessionStatus",
    "Timepoint",
]
