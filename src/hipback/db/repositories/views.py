"""Read-only views of clinical records, for pages and summaries that only display them.

Each view is a prebuilt column select run on the session's connection and returned as a typed
named tuple: no statement building per call, no ORM instance loading or identity map. On the
patient dashboard this is about a third of the cost of loading mapped rows
(``docs/performance.md``). Write paths load mapped rows instead; nothing here can change data.
Pending ORM changes are flushed first, so a view always sees the transaction's own writes.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session, aliased

from hipback.db.tables import (
    EpisodeRow,
    EvaluationRow,
    ExerciseLogRow,
    OutcomeRow,
    PatientRow,
    PlanRow,
    SessionRow,
)


class PatientView(NamedTuple):
    id: int
    mrn: str
    given_name: str
    family_name: str
    birth_date: date
    sex: str
    synthetic: bool
    version: int


class EpisodeView(NamedTuple):
    id: int
    patient_id: int
    opened_on: date
    status: str
    arm: str | None


class PlanHeaderView(NamedTuple):
    id: int
    arm: str
    start_on: date


class OutcomeView(NamedTuple):
    id: int
    timepoint: str
    instrument: str
    assessed_on: date
    responses: dict[str, Any]
    value: float | None
    result: dict[str, Any]


class SessionView(NamedTuple):
    id: int
    number: int
    planned_on: date
    status: str
    delivered_on: date | None
    version: int
    documentation: dict[str, Any] | None


class SessionSlotView(NamedTuple):
    """A planned session's place and state, without its documentation."""

    id: int
    number: int
    planned_on: date
    status: str
    delivered_on: date | None


class EvaluationView(NamedTuple):
    id: int
    episode_id: int
    assessed_on: date
    decision: str
    data: dict[str, Any]
    screening: dict[str, Any]


class EvaluationHeaderView(NamedTuple):
    id: int
    assessed_on: date
    decision: str


class LogView(NamedTuple):
    id: int
    logged_on: date
    exercise_id: str
    sets: int
    reps: int | None
    pain: int
    comment: str


def _fields(row_type: type[Any], view: type[Any]) -> list[Any]:
    """The mapped columns of ``row_type`` that ``view`` names, in the view's order."""
    names: tuple[str, ...] = view._fields
    return [getattr(row_type, name) for name in names]


def _columns(row_type: type[Any], view: type[Any]) -> Select[Any]:
    return select(*_fields(row_type, view))


_newer = aliased(EpisodeRow)
_PATIENT_EPISODE = (
    select(*_fields(PatientRow, PatientView), *_fields(EpisodeRow, EpisodeView))
    .select_from(PatientRow)
    .outerjoin(
        EpisodeRow,
        EpisodeRow.id
        == select(_newer.id)
        .where(_newer.patient_id == PatientRow.id)
        .order_by(_newer.opened_on.desc(), _newer.id.desc())
        .limit(1)
        .scalar_subquery(),
    )
    .where(PatientRow.id == bindparam("id"))
)
_EPISODE = (
    _columns(EpisodeRow, EpisodeView)
    .where(EpisodeRow.patient_id == bindparam("patient_id"))
    .order_by(EpisodeRow.opened_on.desc(), EpisodeRow.id.desc())
    .limit(1)
)
_OUTCOMES = (
    _columns(OutcomeRow, OutcomeView)
    .where(OutcomeRow.episode_id == bindparam("episode_id"))
    .order_by(OutcomeRow.assessed_on, OutcomeRow.id)
)
_PLAN_HEADER = (
    _columns(PlanRow, PlanHeaderView)
    .where(PlanRow.episode_id == bindparam("episode_id"))
    .order_by(PlanRow.id.desc())
    .limit(1)
)
_newest_plan = (
    select(PlanRow.id)
    .where(PlanRow.episode_id == bindparam("episode_id"))
    .order_by(PlanRow.id.desc())
    .limit(1)
    .scalar_subquery()
)
_PLAN_WITH_SESSIONS = (
    select(*_fields(PlanRow, PlanHeaderView), *_fields(SessionRow, SessionSlotView))
    .select_from(PlanRow)
    .outerjoin(SessionRow, SessionRow.plan_id == PlanRow.id)
    .where(PlanRow.id == _newest_plan)
    .order_by(SessionRow.number)
)
_SESSIONS = (
    _columns(SessionRow, SessionView)
    .where(SessionRow.plan_id == bindparam("plan_id"))
    .order_by(SessionRow.number)
)
_EVALUATION = (
    _columns(EvaluationRow, EvaluationView)
    .where(EvaluationRow.episode_id == bindparam("episode_id"))
    .order_by(EvaluationRow.id.desc())
    .limit(1)
)
_EVALUATION_HEADER = (
    _columns(EvaluationRow, EvaluationHeaderView)
    .where(EvaluationRow.episode_id == bindparam("episode_id"))
    .order_by(EvaluationRow.id.desc())
    .limit(1)
)
_LOGS = (
    _columns(ExerciseLogRow, LogView)
    .where(ExerciseLogRow.patient_id == bindparam("patient_id"))
    .order_by(ExerciseLogRow.logged_on.desc(), ExerciseLogRow.id.desc())
    .limit(bindparam("limit"))
)


def _rows(session: Session, stmt: Select[Any], **params: Any) -> list[Any]:
    session.flush()
    return list(session.connection().execute(stmt, params))


def patient_with_episode(
    session: Session, patient_id: int
) -> tuple[PatientView, EpisodeView | None] | None:
    """The patient and their newest episode of care, in one query (None: no such patient)."""
    found = _rows(session, _PATIENT_EPISODE, id=patient_id)
    if not found:
        return None
    n = len(PatientView._fields)
    row = tuple(found[0])
    episode = None if row[n] is None else EpisodeView._make(row[n:])
    return PatientView._make(row[:n]), episode


def current_episode(session: Session, patient_id: int) -> EpisodeView | None:
    """The patient's newest episode of care (by opening date, then id)."""
    found = _rows(session, _EPISODE, patient_id=patient_id)
    return EpisodeView._make(found[0]) if found else None


def outcomes(session: Session, episode_id: int) -> list[OutcomeView]:
    """The episode's outcome assessments, oldest first."""
    return [OutcomeView._make(r) for r in _rows(session, _OUTCOMES, episode_id=episode_id)]


def latest_plan_header(session: Session, episode_id: int) -> PlanHeaderView | None:
    """The newest plan's id, arm and start date, without its JSON document."""
    found = _rows(session, _PLAN_HEADER, episode_id=episode_id)
    return PlanHeaderView._make(found[0]) if found else None


def latest_plan_with_sessions(
    session: Session, episode_id: int
) -> tuple[PlanHeaderView, list[SessionSlotView]] | None:
    """The newest plan's header and its sessions in order (no documentation), in one query."""
    found = _rows(session, _PLAN_WITH_SESSIONS, episode_id=episode_id)
    if not found:
        return None
    n = len(PlanHeaderView._fields)
    header = PlanHeaderView._make(tuple(found[0])[:n])
    sessions = [SessionSlotView._make(tuple(r)[n:]) for r in found if r[n] is not None]
    return header, sessions


def plan_sessions(session: Session, plan_id: int) -> list[SessionView]:
    return [SessionView._make(r) for r in _rows(session, _SESSIONS, plan_id=plan_id)]


def latest_evaluation(session: Session, episode_id: int) -> EvaluationView | None:
    found = _rows(session, _EVALUATION, episode_id=episode_id)
    return EvaluationView._make(found[0]) if found else None


def latest_evaluation_header(session: Session, episode_id: int) -> EvaluationHeaderView | None:
    """The newest evaluation's id, date and decision, without its documents."""
    found = _rows(session, _EVALUATION_HEADER, episode_id=episode_id)
    return EvaluationHeaderView._make(found[0]) if found else None


def exercise_logs(session: Session, patient_id: int, limit: int) -> list[LogView]:
    """The newest log lines, newest first."""
    rows = _rows(session, _LOGS, patient_id=patient_id, limit=limit)
    return [LogView._make(r) for r in rows]
