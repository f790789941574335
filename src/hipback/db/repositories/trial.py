"""Queries on trial records (the sealed list has its own: :mod:`.sealed_list`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from hipback.db.tables import (
    AdverseEventRow,
    DeviationRow,
    GuessRow,
    OutcomeRow,
    ParticipantRow,
    RandomisationRow,
    TrialRow,
    UnblindingRow,
    VisitRow,
)


def find_trial(session: Session, code: str) -> TrialRow | None:
    return session.scalars(select(TrialRow).where(TrialRow.code == code)).first()


def trials(session: Session) -> list[TrialRow]:
    return list(session.scalars(select(TrialRow).order_by(TrialRow.id)))


def lock_trial(session: Session, trial_id: int) -> None:
    """Take the trial's write lock first in the transaction (row lock on PostgreSQL, the database
    write lock on SQLite), so concurrent randomisations of one trial run one after the other."""
    session.execute(
        update(TrialRow)
        .where(TrialRow.id == trial_id)
        .values(randomised=TrialRow.randomised + 1)
        .execution_options(synchronize_session=False)
    )


def randomisations(session: Session, trial_id: int) -> list[RandomisationRow]:
    return list(
        session.scalars(
            select(RandomisationRow)
            .where(RandomisationRow.trial_id == trial_id)
            .order_by(RandomisationRow.sequence)
        )
    )


def participants(session: Session, trial_id: int) -> list[ParticipantRow]:
    return list(
        session.scalars(
            select(ParticipantRow)
            .where(ParticipantRow.trial_id == trial_id)
            .order_by(ParticipantRow.id)
        )
    )


def participant_for_patient(
    session: Session, trial_id: int, patient_id: int
) -> ParticipantRow | None:
    return session.scalars(
        select(ParticipantRow).where(
            ParticipantRow.trial_id == trial_id, ParticipantRow.patient_id == patient_id
        )
    ).first()


def allocations_of_episode(
    session: Session, episode_id: int
) -> list[tuple[TrialRow, ParticipantRow, RandomisationRow]]:
    """The randomisations of trial participants whose care is this episode."""
    rows = session.execute(
        select(TrialRow, ParticipantRow, RandomisationRow)
        .join(ParticipantRow, ParticipantRow.trial_id == TrialRow.id)
        .join(RandomisationRow, RandomisationRow.participant_id == ParticipantRow.id)
        .where(ParticipantRow.episode_id == episode_id)
    ).all()
    return [(t, p, r) for t, p, r in rows]


def visits(session: Session, participant_ids: Sequence[int]) -> list[VisitRow]:
    if not participant_ids:
        return []
    return list(
        session.scalars(
            select(VisitRow)
            .where(VisitRow.participant_id.in_(participant_ids))
            .order_by(VisitRow.participant_id, VisitRow.target)
        )
    )


def outcomes(session: Session, episode_ids: Sequence[int], instrument: str) -> list[OutcomeRow]:
    if not episode_ids:
        return []
    return list(
        session.scalars(
            select(OutcomeRow)
            .where(OutcomeRow.episode_id.in_(episode_ids), OutcomeRow.instrument == instrument)
            .order_by(OutcomeRow.assessed_on, OutcomeRow.id)
        )
    )


R = TypeVar("R", GuessRow, UnblindingRow, AdverseEventRow, DeviationRow)


def _of_trial(session: Session, row_type: type[R], trial_id: int) -> list[R]:
    ids = select(ParticipantRow.id).where(ParticipantRow.trial_id == trial_id)
    return list(
        session.scalars(
            select(row_type).where(row_type.participant_id.in_(ids)).order_by(row_type.id)
        )
    )


def guesses(session: Session, trial_id: int) -> list[GuessRow]:
    return _of_trial(session, GuessRow, trial_id)


def unblindings(session: Session, trial_id: int) -> list[UnblindingRow]:
    return _of_trial(session, UnblindingRow, trial_id)


def adverse_events(session: Session, trial_id: int) -> list[AdverseEventRow]:
    return _of_trial(session, AdverseEventRow, trial_id)


def deviations(session: Session, trial_id: int) -> list[DeviationRow]:
    return _of_trial(session, DeviationRow, trial_id)
