"""Trial mode: definition, sealed list, participants, randomisation log, visits, safety, blinding.

Masking lives in the schema as well as in the services: a participant row carries no arm. The arm
exists only in ``trial_randomisations`` (read by the allocation log and the unblinded analysis)
and in the sealed list (``trial_sealed_lists``, :mod:`hipback.db.tables.sealed_list`, read only
by the randomisation service in ``hipback.services.trial_randomise``). Two simultaneous
randomisations cannot take the same slot: the service locks the trial row first, and unique
constraints on (trial, sequence) and (trial, stratum, position) refuse a duplicate even if that
lock were bypassed.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from hipback.db.base import Base
from hipback.db.tables.clinic import Versioned


class TrialRow(Versioned, Base):
    """A trial: its public configuration and the commitment published at set-up."""

    __tablename__ = "trials"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    config: Mapped[dict[str, Any]] = mapped_column(JSON)
    commitment: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(120))
    randomised: Mapped[int] = mapped_column(Integer, default=0)


class ParticipantRow(Versioned, Base):
    """A screened clinic patient: enrolled (eligible + consented), excluded, or randomised."""

    __tablename__ = "trial_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    trial_id: Mapped[int] = mapped_column(ForeignKey("trials.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    episode_id: Mapped[int] = mapped_column(ForeignKey("episodes.id"))
    evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("evaluations.id"), nullable=True)
    code: Mapped[str] = mapped_column(String(20))
    site: Mapped[str] = mapped_column(String(40))
    sex: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20))
    exclusion_category: Mapped[str | None] = mapped_column(String(40), nullable=True)
    exclusion_reason: Mapped[str | None] = mapped_column(String(400), nullable=True)
    consented_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    screened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    randomised_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    withdrawn_reason: Mapped[str | None] = mapped_column(String(400), nullable=True)

    __table_args__ = (
        UniqueConstraint("trial_id", "patient_id", name="uq_trial_participants_trial_patient"),
        UniqueConstraint("trial_id", "code", name="uq_trial_participants_trial_code"),
    )


class RandomisationRow(Base):
    """One hash-chained line of the randomisation log (append-only)."""

    __tablename__ = "trial_randomisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    trial_id: Mapped[int] = mapped_column(ForeignKey("trials.id"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("trial_participants.id"), unique=True)
    sequence: Mapped[int] = mapped_column(Integer)
    stratum: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)
    arm: Mapped[str] = mapped_column(String(40))
    randomised_by: Mapped[str] = mapped_column(String(120))
    at: Mapped[str] = mapped_column(String(40))
    previous_hash: Mapped[str] = mapped_column(String(64))
    record_hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        UniqueConstraint("trial_id", "sequence", name="uq_trial_randomisations_trial_sequence"),
        UniqueConstraint(
            "trial_id", "stratum", "position", name="uq_trial_randomisations_trial_slot"
        ),
    )


class VisitRow(Versioned, Base):
    """A scheduled follow-up visit with its window (days fixed at randomisation)."""

    __tablename__ = "trial_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("trial_participants.id"), index=True)
    visit: Mapped[str] = mapped_column(String(40))
    opens: Mapped[date] = mapped_column(Date)
    target: Mapped[date] = mapped_column(Date)
    closes: Mapped[date] = mapped_column(Date)
    late_until: Mapped[date] = mapped_column(Date)
    missed_reason: Mapped[str | None] = mapped_column(String(400), nullable=True)

    __table_args__ = (
        UniqueConstraint("participant_id", "visit", name="uq_trial_visits_participant_visit"),
    )


class GuessRow(Base):
    """A masked assessor's guess of the arm after a follow-up assessment."""

    __tablename__ = "trial_guesses"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("trial_participants.id"), index=True)
    visit: Mapped[str] = mapped_column(String(40))
    guess: Mapped[str] = mapped_column(String(40))
    assessor: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("participant_id", "visit", name="uq_trial_guesses_participant_visit"),
    )


class UnblindingRow(Base):
    """An explicit, reasoned unblinding (or a reported accidental one)."""

    __tablename__ = "trial_unblindings"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("trial_participants.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    revealed_to: Mapped[str] = mapped_column(String(120))
    revealed_to_role: Mapped[str] = mapped_column(String(40))
    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_by_role: Mapped[str] = mapped_column(String(40))
    entered_by: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AdverseEventRow(Versioned, Base):
    """An adverse event report; ``data`` is the domain event (with its adjudication, if any)."""

    __tablename__ = "trial_adverse_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("trial_participants.id"), index=True)
    state: Mapped[str] = mapped_column(String(20))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class DeviationRow(Base):
    """A protocol deviation reported by hand (window deviations are derived, not stored)."""

    __tablename__ = "trial_deviations"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("trial_participants.id"), index=True)
    category: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(10))
    description: Mapped[str] = mapped_column(Text)
    occurred_on: Mapped[date] = mapped_column(Date)
    reported_by: Mapped[str] = mapped_column(String(120))
