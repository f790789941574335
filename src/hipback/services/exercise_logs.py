"""Home-exercise logs written by patients (or therapists for them), and adherence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from hipback.clinic.access import require
from hipback.clinic.records import ExerciseLogEntry, validate
from hipback.db.repositories import views
from hipback.db.tables import ExerciseLogRow, PatientRow
from hipback.db.uow import UnitOfWork
from hipback.errors import InvalidInput


@dataclass(frozen=True)
class LogLine:
    id: int
    logged_on: date
    exercise_id: str
    sets: int
    reps: int | None
    pain: int
    comment: str


def log_exercise(uow: UnitOfWork, patient_id: int, data: dict[str, Any]) -> LogLine:
    require(uow.actor, "exercise_log.write", patient_id)
    uow.get(PatientRow, patient_id, "patient")
    entry = validate(ExerciseLogEntry, data)
    if entry.logged_on > uow.clock.today():
        raise InvalidInput.one("logged_on", entry.logged_on.isoformat(), "today or earlier")
    row = ExerciseLogRow(
        patient_id=patient_id,
        logged_on=entry.logged_on,
        exercise_id=entry.exercise_id,
        sets=entry.sets,
        reps=entry.reps,
        pain=entry.pain,
        comment=entry.comment,
        created_at=uow.clock.now(),
        created_by=uow.actor.user_id,
    )
    uow.add(row)
    uow.flush()
    uow.audit("exercise_log.created", f"patient:{patient_id}", {"log": row.id})
    uow.commit()
    return LogLine(
        row.id, row.logged_on, row.exercise_id, row.sets, row.reps, row.pain, row.comment
    )


def recent_logs(uow: UnitOfWork, patient_id: int, limit: int = 100) -> list[LogLine]:
    require(uow.actor, "exercise_log.read", patient_id)
    lines = logs_for(uow, patient_id, limit)
    uow.audit("exercise_log.read", f"patient:{patient_id}")
    uow.commit()
    return lines


def logs_for(uow: UnitOfWork, patient_id: int, limit: int) -> list[LogLine]:
    """The newest log lines (no permission check, no audit: callers do)."""
    return [LogLine(**row._asdict()) for row in views.exercise_logs(uow.session, patient_id, limit)]


def adherence_by_week(logs: list[LogLine], start: date, weeks: int) -> list[int]:
    """Days with at least one logged exercise in each week from ``start`` (0-7 per week)."""
    counts = [0] * weeks
    for day in {line.logged_on for line in logs}:
        week = (day - start).days // 7
        if 0 <= week < weeks:
            counts[week] += 1
    return counts
