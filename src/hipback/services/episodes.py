"""A patient's current episode of care, assembled for the patient page and the portal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hipback.clinic.access import can, require
from hipback.db.repositories import clinic as repo
from hipback.db.uow import UnitOfWork
from hipback.errors import NotFound
from hipback.services import evaluations, exercise_logs, outcomes, patients, plans

ADHERENCE_WEEKS = 8


@dataclass(frozen=True)
class PatientOverview:
    patient: patients.PatientSummary
    episode_id: int
    episode_status: str
    opened_on: date
    arm: str | None
    arm_visible: bool
    outcomes: list[outcomes.OutcomeSeries]
    logs: list[exercise_logs.LogLine]
    adherence: list[int]
    evaluation: evaluations.StoredEvaluation | None = None
    plan: plans.StoredPlan | None = None


def patient_overview(uow: UnitOfWork, patient_id: int) -> PatientOverview:
    """Everything the patient page shows; each part checks the actor's permission."""
    require(uow.actor, "patient.read", patient_id)
    summary = patients.get_patient(uow, patient_id)
    episode = repo.current_episode(uow.session, patient_id)
    if episode is None:
        raise NotFound(f"patient {patient_id} has no episode of care")
    series = outcomes.outcome_history(uow, episode.id)
    logs: list[exercise_logs.LogLine] = []
    if can(uow.actor, "exercise_log.read", patient_id):
        logs = exercise_logs.recent_logs(uow, patient_id, limit=200)
    arm_visible = can(uow.actor, "arm.read", patient_id)
    latest = (
        evaluations.latest_evaluation(uow, episode.id)
        if can(uow.actor, "evaluation.read", patient_id)
        else None
    )
    return PatientOverview(
        patient=summary,
        episode_id=episode.id,
        episode_status=episode.status,
        opened_on=episode.opened_on,
        arm=episode.arm if arm_visible else None,
        arm_visible=arm_visible,
        outcomes=series,
        logs=logs[:20],
        adherence=exercise_logs.adherence_by_week(logs, episode.opened_on, ADHERENCE_WEEKS),
        evaluation=latest,
        plan=plans.current_plan(uow, episode.id)
        if can(uow.actor, "plan.read", patient_id)
        else None,
    )
