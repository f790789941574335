"""Treatment plans and session documentation with progression proposals.

A plan is generated from a stored evaluation (screening → tailoring → 16-session schedule) and
kept as the protocol's JSON document plus one row per session (planned vs delivered). Recording a
session validates the documentation with the protocol's model, proposes next doses
(progress / hold / regress), updates the later sessions of the plan and marks the session
delivered, all in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from hipback.clinic.access import require
from hipback.clinic.records import SessionStatus
from hipback.db.repositories import clinic as repo
from hipback.db.repositories import views
from hipback.db.repositories.views import SessionView
from hipback.db.tables import EpisodeRow, EvaluationRow, PlanRow, SessionRow
from hipback.db.uow import UnitOfWork
from hipback.errors import Conflict, InvalidInput, NotFound
from hipback.protocol import (
    ClinicCalendar,
    TreatmentPlan,
    generate_plan,
    load_catalog,
    load_plan,
    load_session,
    propose,
)
from hipback.protocol.timing import DEFAULT_SESSION_MINUTES
from hipback.services.trial import allocation_of_episode


@dataclass(frozen=True)
class PlanOptions:
    """The clinic's settings a plan needs: session length and calendar (from the edges)."""

    session_minutes: int = DEFAULT_SESSION_MINUTES
    calendar: ClinicCalendar = field(default_factory=ClinicCalendar)

    @classmethod
    def from_values(
        cls,
        session_minutes: int,
        country: str,
        subdivision: str = "",
        closure_dates: Sequence[date] = (),
        closed_weekdays: str = "sat,sun",
    ) -> PlanOptions:
        """From the settings' values; raises InvalidInput naming a bad country or weekday."""
        dates = ",".join(d.isoformat() for d in closure_dates)
        calendar = ClinicCalendar.parse(closed_weekdays, dates, country, subdivision)
        return cls(session_minutes, calendar)


@dataclass(frozen=True)
class SessionState:
    id: int
    number: int
    planned_on: date
    status: str
    delivered_on: date | None
    version: int
    documentation: dict[str, Any] | None


@dataclass(frozen=True)
class StoredPlan:
    id: int
    episode_id: int
    patient_id: int
    arm: str
    version: int
    plan: TreatmentPlan
    sessions: list[SessionState]

    @property
    def attended(self) -> int:
        return sum(1 for s in self.sessions if s.status == SessionStatus.DELIVERED.value)


def _state(row: SessionRow | SessionView) -> SessionState:
    return SessionState(
        row.id,
        row.number,
        row.planned_on,
        row.status,
        row.delivered_on,
        row.version,
        row.documentation,
    )


def create_plan(
    uow: UnitOfWork,
    evaluation_id: int,
    arm: str,
    start_on: date,
    *,
    override_screening: bool = False,
    options: PlanOptions | None = None,
) -> StoredPlan:
    """Plan from a stored evaluation; ``options`` = the clinic's session length and calendar
    (default: 60-minute sessions, US public holidays, weekends closed)."""
    evaluation = uow.get(EvaluationRow, evaluation_id, "evaluation")
    episode = uow.get(EpisodeRow, evaluation.episode_id, "episode")
    require(uow.actor, "plan.write", episode.patient_id)
    opts = options or PlanOptions()
    plan = generate_plan(
        evaluation.data,
        arm,
        start_on,
        calendar=opts.calendar,
        session_minutes=opts.session_minutes,
        override_screening=override_screening,
    )
    allocation = allocation_of_episode(uow, episode.id)
    if allocation is not None and plan.arm.value != allocation.clinic_arm:
        raise Conflict(
            f"trial participant {allocation.participant_code} was allocated by randomisation to "
            f"{allocation.clinic_arm}-focused therapy; a plan for another arm would break the "
            "allocation (plan the allocated arm, or record a protocol deviation in the trial)"
        )
    row = PlanRow(
        episode_id=episode.id,
        evaluation_id=evaluation.id,
        arm=plan.arm.value,
        start_on=plan.start_on,
        data=plan.model_dump(mode="json", exclude_none=True),
        created_at=uow.clock.now(),
    )
    uow.add(row)
    uow.flush()
    for s in plan.sessions:
        uow.add(
            SessionRow(
                plan_id=row.id,
                number=s.number,
                planned_on=s.on,
                status=SessionStatus.PLANNED.value,
                notes="",
            )
        )
    episode.arm = plan.arm.value
    uow.flush()
    uow.audit(
        "plan.created",
        f"patient:{episode.patient_id}",
        {
            "plan": row.id,
            "arm": row.arm,
            "evaluation": evaluation.id,
            "override_screening": override_screening,
        },
    )
    uow.commit()
    return _stored(uow, row, episode.patient_id)


def _stored(uow: UnitOfWork, row: PlanRow, patient_id: int) -> StoredPlan:
    sessions = [_state(s) for s in views.plan_sessions(uow.session, row.id)]
    return StoredPlan(
        row.id, row.episode_id, patient_id, row.arm, row.version, load_plan(row.data), sessions
    )


def get_plan(uow: UnitOfWork, plan_id: int) -> StoredPlan:
    row = uow.get(PlanRow, plan_id, "plan")
    episode = uow.get(EpisodeRow, row.episode_id, "episode")
    require(uow.actor, "plan.read", episode.patient_id)
    uow.audit("plan.read", f"patient:{episode.patient_id}", {"plan": plan_id})
    uow.commit()
    return _stored(uow, row, episode.patient_id)


@dataclass(frozen=True)
class SessionSlot:
    """A session's number, date and state, without its documentation."""

    number: int
    planned_on: date
    status: str
    delivered_on: date | None


@dataclass(frozen=True)
class PlanSummary:
    """What a dashboard needs: no plan or session documents are read."""

    id: int
    arm: str
    start_on: date
    sessions: list[SessionSlot]

    @property
    def attended(self) -> int:
        return sum(1 for s in self.sessions if s.status == SessionStatus.DELIVERED.value)


def summary_for(uow: UnitOfWork, episode_id: int) -> PlanSummary | None:
    """The episode's current plan as a summary (no permission check, no audit: callers do)."""
    found = views.latest_plan_with_sessions(uow.session, episode_id)
    if found is None:
        return None
    header, sessions = found
    slots = [SessionSlot(s.number, s.planned_on, s.status, s.delivered_on) for s in sessions]
    return PlanSummary(header.id, header.arm, header.start_on, slots)


def current_plan(uow: UnitOfWork, episode_id: int) -> StoredPlan | None:
    episode = uow.get(EpisodeRow, episode_id, "episode")
    require(uow.actor, "plan.read", episode.patient_id)
    row = repo.latest_plan(uow.session, episode_id)
    return None if row is None else _stored(uow, row, episode.patient_id)


@dataclass(frozen=True)
class SessionOutcome:
    plan: StoredPlan
    session: SessionState
    proposals: list[dict[str, Any]]


def record_session(
    uow: UnitOfWork,
    plan_id: int,
    number: int,
    data: dict[str, Any],
    *,
    delivered_on: date,
    expected_version: int | None = None,
    notes: str = "",
) -> SessionOutcome:
    """Document session ``number`` of a plan and propose the next doses.

    ``expected_version`` is the session version the therapist's screen was built from; a
    different stored version means someone else documented it meanwhile (:class:`Conflict`).
    """
    plan_row = uow.get(PlanRow, plan_id, "plan")
    episode = uow.get(EpisodeRow, plan_row.episode_id, "episode")
    require(uow.actor, "session.write", episode.patient_id)
    session = next(
        (s for s in repo.plan_sessions(uow.session, plan_id) if s.number == number), None
    )
    if session is None:
        raise NotFound(f"plan {plan_id} has no session {number}")
    if expected_version is not None and session.version != expected_version:
        raise Conflict(
            f"session {number} was changed by someone else since you opened it; reload it"
        )
    if len(notes) > 4000:
        raise InvalidInput.one("notes", f"{len(notes)} characters", "at most 4000 characters")
    record = load_session({**data, "session": number})
    proposals, updated = propose(load_plan(plan_row.data), record)
    session.status = SessionStatus.DELIVERED.value
    session.delivered_on = delivered_on
    session.documentation = record.model_dump(mode="json", exclude_none=True)
    session.notes = notes
    session.recorded_by = uow.actor.user_id
    plan_row.data = updated.model_dump(mode="json", exclude_none=True)
    uow.flush()
    uow.audit(
        "session.recorded",
        f"patient:{episode.patient_id}",
        {"plan": plan_id, "session": number, "decisions": {p.id: p.decision for p in proposals}},
    )
    uow.commit()
    return SessionOutcome(
        plan=_stored(uow, plan_row, episode.patient_id),
        session=_state(session),
        proposals=[p.model_dump(mode="json") for p in proposals],
    )


@dataclass(frozen=True)
class HomeExercise:
    id: str
    name: str
    dose_text: str
    steps: tuple[str, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Talk:
    """An education topic covered so far, with its key points in plain words."""

    id: str
    title: str
    session_number: int
    points: tuple[str, ...]


@dataclass(frozen=True)
class HomeProgramme:
    plan_id: int
    session_number: int
    exercises: list[HomeExercise]
    education: list[Talk] = field(default_factory=list)


def education_so_far(plan: TreatmentPlan, up_to: int) -> list[Talk]:
    """The education topics introduced up to session ``up_to`` (at least session 1's)."""
    catalog = load_catalog()
    talks: dict[str, Talk] = {}
    for s in plan.sessions:
        if s.number > max(up_to, plan.sessions[0].number):
            break
        for e in s.items:
            if e.part == "education" and e.id not in talks:
                item = catalog.get(e.id)
                talks[e.id] = Talk(e.id, item.patient_name, s.number, item.instructions)
    return list(talks.values())


def home_programme(uow: UnitOfWork, patient_id: int) -> HomeProgramme | None:
    """The home exercises the patient follows now (from the last delivered session), in plain
    language with the catalog's how-to steps. Audited; ``plan.read`` (a patient: own only)."""
    require(uow.actor, "plan.read", patient_id)
    episode = repo.current_episode(uow.session, patient_id)
    if episode is None:
        return None
    row = repo.latest_plan(uow.session, episode.id)
    if row is None:
        return None
    stored = _stored(uow, row, patient_id)
    delivered = [s.number for s in stored.sessions if s.status == SessionStatus.DELIVERED.value]
    number = max(delivered) if delivered else stored.plan.sessions[0].number
    session = next(s for s in stored.plan.sessions if s.number == number)
    catalog = load_catalog()
    exercises = [
        HomeExercise(
            h.id,
            h.patient_name,
            h.dose_text,
            catalog.get(h.id).instructions,
            tuple(h.modifications),
        )
        for h in session.home_program
    ]
    uow.audit("plan.home_programme.read", f"patient:{patient_id}", {"plan": row.id})
    uow.commit()
    return HomeProgramme(row.id, number, exercises, education_so_far(stored.plan, number))
