"""Queries on clinic records."""

from __future__ import annotations

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from hipback.db.tables import (
    EpisodeRow,
    EvaluationRow,
    OutcomeRow,
    PatientRow,
    PlanRow,
    SessionRow,
    SiteRow,
)


def find_site(session: Session, code: str) -> SiteRow | None:
    return session.scalars(select(SiteRow).where(SiteRow.code == code)).first()


def _search(query: str) -> Select[PatientRow]:
    stmt = select(PatientRow)
    text = query.strip()
    if text:
        # matched literally: autoescape makes % and _ in the text plain characters
        needle = text.lower()
        stmt = stmt.where(
            or_(
                func.lower(PatientRow.family_name).contains(needle, autoescape=True),
                func.lower(PatientRow.given_name).contains(needle, autoescape=True),
                func.lower(PatientRow.mrn).contains(needle, autoescape=True),
            )
        )
    return stmt


def search_patients(session: Session, query: str, limit: int, offset: int) -> list[PatientRow]:
    stmt = (
        _search(query)
        .order_by(PatientRow.family_name, PatientRow.given_name, PatientRow.id)
        .limit(limit)
        .offset(offset)
    )
    return list(session.scalars(stmt))


def count_patients(session: Session, query: str) -> int:
    stmt = select(func.count()).select_from(_search(query).subquery())
    return int(session.scalar(stmt) or 0)


def current_episode(session: Session, patient_id: int) -> EpisodeRow | None:
    return session.scalars(
        select(EpisodeRow)
        .where(EpisodeRow.patient_id == patient_id)
        .order_by(EpisodeRow.opened_on.desc(), EpisodeRow.id.desc())
        .limit(1)
    ).first()


def outcomes(session: Session, episode_id: int) -> list[OutcomeRow]:
    return list(
        session.scalars(
            select(OutcomeRow)
            .where(OutcomeRow.episode_id == episode_id)
            .order_by(OutcomeRow.assessed_on, OutcomeRow.id)
        )
    )


def latest_plan(session: Session, episode_id: int) -> PlanRow | None:
    return session.scalars(
        select(PlanRow).where(PlanRow.episode_id == episode_id).order_by(PlanRow.id.desc()).limit(1)
    ).first()


def plan_sessions(session: Session, plan_id: int) -> list[SessionRow]:
    return list(
        session.scalars(
            select(SessionRow).where(SessionRow.plan_id == plan_id).order_by(SessionRow.number)
        )
    )


def latest_evaluation(session: Session, episode_id: int) -> EvaluationRow | None:
    return session.scalars(
        select(EvaluationRow)
        .where(EvaluationRow.episode_id == episode_id)
        .order_by(EvaluationRow.id.desc())
        .limit(1)
    ).first()
