"""First-visit evaluations: validate, screen (MASH eligibility, red flags, subgroup), store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from hipback.clinic.access import require
from hipback.db.repositories import views
from hipback.db.repositories.views import EpisodeView, EvaluationView
from hipback.db.tables import EpisodeRow, EvaluationRow
from hipback.db.uow import UnitOfWork
from hipback.errors import NotFound
from hipback.screening import load_evaluation, screen


@dataclass(frozen=True)
class StoredEvaluation:
    id: int
    episode_id: int
    patient_id: int
    assessed_on: date
    decision: str
    data: dict[str, Any]
    screening: dict[str, Any]


@dataclass(frozen=True)
class EvaluationSummary:
    """What a page header shows of an evaluation (the documents stay unread)."""

    id: int
    assessed_on: date
    decision: str


def _stored(row: EvaluationRow | EvaluationView, patient_id: int) -> StoredEvaluation:
    return StoredEvaluation(
        row.id, row.episode_id, patient_id, row.assessed_on, row.decision, row.data, row.screening
    )


def record_evaluation(uow: UnitOfWork, episode_id: int, data: dict[str, Any]) -> StoredEvaluation:
    """Validate and screen; nothing is stored unless the whole evaluation is valid."""
    episode = uow.get(EpisodeRow, episode_id, "episode")
    require(uow.actor, "evaluation.write", episode.patient_id)
    evaluation = load_evaluation(data)
    result = screen(evaluation)
    row = EvaluationRow(
        episode_id=episode_id,
        assessed_on=evaluation.assessed_on,
        data=evaluation.model_dump(mode="json"),
        screening=result.model_dump(mode="json"),
        decision=result.decision,
        created_by=uow.actor.user_id,
        created_at=uow.clock.now(),
    )
    uow.add(row)
    uow.flush()
    uow.audit(
        "evaluation.recorded",
        f"patient:{episode.patient_id}",
        {"evaluation": row.id, "decision": row.decision},
    )
    uow.commit()
    return _stored(row, episode.patient_id)


def get_evaluation(uow: UnitOfWork, evaluation_id: int) -> StoredEvaluation:
    row = uow.get(EvaluationRow, evaluation_id, "evaluation")
    episode = uow.get(EpisodeRow, row.episode_id, "episode")
    require(uow.actor, "evaluation.read", episode.patient_id)
    uow.audit("evaluation.read", f"patient:{episode.patient_id}", {"evaluation": row.id})
    uow.commit()
    return _stored(row, episode.patient_id)


def latest_evaluation(uow: UnitOfWork, episode_id: int) -> StoredEvaluation | None:
    episode = uow.get(EpisodeRow, episode_id, "episode")
    require(uow.actor, "evaluation.read", episode.patient_id)
    return latest_for(uow, episode)


def latest_for(uow: UnitOfWork, episode: EpisodeRow | EpisodeView) -> StoredEvaluation | None:
    """The newest evaluation (no permission check, no audit: callers do)."""
    row = views.latest_evaluation(uow.session, episode.id)
    return None if row is None else _stored(row, episode.patient_id)


def latest_summary_for(
    uow: UnitOfWork, episode: EpisodeRow | EpisodeView
) -> EvaluationSummary | None:
    """The newest evaluation's id, date and decision (no permission check, no audit)."""
    row = views.latest_evaluation_header(uow.session, episode.id)
    return None if row is None else EvaluationSummary(row.id, row.assessed_on, row.decision)


def require_evaluation(uow: UnitOfWork, evaluation_id: int, patient_id: int) -> StoredEvaluation:
    found = get_evaluation(uow, evaluation_id)
    if found.patient_id != patient_id:
        raise NotFound(f"evaluation {evaluation_id} not found for patient {patient_id}")
    return found
