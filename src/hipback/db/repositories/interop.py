"""Queries for FHIR exchange and research export: a patient's rows in insertion (id) order.

Identifiers in FHIR are ordinals in id order (see ``hipback.fhir.ids``), so every list here is
ordered by id.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hipback.db.tables import (
    EpisodeRow,
    EvaluationRow,
    ExerciseLogRow,
    OutcomeRow,
    PatientRow,
    PlanRow,
)


def patients_by_mrn(session: Session) -> list[PatientRow]:
    return list(session.scalars(select(PatientRow).order_by(PatientRow.mrn)))


def patient_by_mrn(session: Session, mrn: str) -> PatientRow | None:
    return session.scalars(select(PatientRow).where(PatientRow.mrn == mrn)).first()


def episodes(session: Session, patient_id: int) -> list[EpisodeRow]:
    return list(
        session.scalars(
            select(EpisodeRow).where(EpisodeRow.patient_id == patient_id).order_by(EpisodeRow.id)
        )
    )


def evaluations(session: Session, episode_ids: list[int]) -> list[EvaluationRow]:
    return list(
        session.scalars(
            select(EvaluationRow)
            .where(EvaluationRow.episode_id.in_(episode_ids))
            .order_by(EvaluationRow.id)
        )
    )


def plans(session: Session, episode_ids: list[int]) -> list[PlanRow]:
    return list(
        session.scalars(
            select(PlanRow).where(PlanRow.episode_id.in_(episode_ids)).order_by(PlanRow.id)
        )
    )


def outcomes(session: Session, episode_ids: list[int]) -> list[OutcomeRow]:
    return list(
        session.scalars(
            select(OutcomeRow).where(OutcomeRow.episode_id.in_(episode_ids)).order_by(OutcomeRow.id)
        )
    )


def exercise_logs(session: Session, patient_id: int) -> list[ExerciseLogRow]:
    return list(
        session.scalars(
            select(ExerciseLogRow)
            .where(ExerciseLogRow.patient_id == patient_id)
            .order_by(ExerciseLogRow.id)
        )
    )
