"""A patient's current episode of care, assembled for the patient page and the portal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hipback.clinic.access import can, require
from hipback.db.repositories import views
from hipback.db.uow import UnitOfWork
from hipback.errors import NotFound
from hipback.services import patients
from hipback.services.evaluations import EvaluationSummary, latest_summary_for
from hipback.services.exercise_logs import LogLine, adherence_by_week, logs_for
from hipback.services.outcomes import OutcomeSeries, series_for
from hipback.services.patients import PatientSummary
from hipback.services.plans import PlanSummary, summary_for

ADHERENCE_WEEKS = 8
ACTIONS = ("evaluation.write", "evaluation.read", "outcome.write", "session.read", "plan.read")
SECTIONS = ("exercise_log.read", "arm.read", "outcome.read", "evaluation.read", "plan.read")


@dataclass(frozen=True)
class PatientOverview:
    patient: PatientSummary
    episode_id: int
    episode_status: str
    opened_on: date
    arm: str | None
    arm_visible: bool
    outcomes: list[OutcomeSeries]
    logs: list[LogLine]
    adherence: list[int]
    evaluation: EvaluationSummary | None = None
    plan: PlanSummary | None = None
    #: which parts the actor may use (templates hide actions the role cannot take)
    may: dict[str, bool] | None = None


def patient_overview(uow: UnitOfWork, patient_id: int) -> PatientOverview:
    """Everything the patient page shows, read in one transaction with one audit entry.

    Each part is included only when the actor's role may see it (an assessor never sees the
    arm; a patient sees only their own record).
    """
    require(uow.actor, "patient.read", patient_id)
    found = views.patient_with_episode(uow.session, patient_id)
    if found is None:
        raise NotFound(f"patient {patient_id} not found")
    row, episode = found
    if episode is None:
        raise NotFound(f"patient {patient_id} has no episode of care")
    allowed = {a: can(uow.actor, a, patient_id) for a in SECTIONS}
    logs = logs_for(uow, patient_id, 200) if allowed["exercise_log.read"] else []
    overview = PatientOverview(
        patient=patients.summary_of(row, uow.clock.today()),
        episode_id=episode.id,
        episode_status=episode.status,
        opened_on=episode.opened_on,
        arm=episode.arm if allowed["arm.read"] else None,
        arm_visible=allowed["arm.read"],
        outcomes=series_for(uow, episode, row) if allowed["outcome.read"] else [],
        logs=logs[:20],
        adherence=adherence_by_week(logs, episode.opened_on, ADHERENCE_WEEKS),
        evaluation=latest_summary_for(uow, episode) if allowed["evaluation.read"] else None,
        plan=summary_for(uow, episode.id) if allowed["plan.read"] else None,
        may={a: can(uow.actor, a, patient_id) for a in ACTIONS},
    )
    uow.audit(
        "patient.overview.read",
        f"patient:{patient_id}",
        {"episode": episode.id, "parts": sorted(a for a, ok in allowed.items() if ok)},
    )
    uow.commit()
    return overview
