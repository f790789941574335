"""Report view models from the database: progress report, home-exercise handout, analytics.

Everything goes through the existing services (each checks the actor's permissions) or, for the
clinic-wide analytics, through the repositories after one explicit permission check. Rendering
is in :mod:`hipback.reports`, which never sees the database.
"""

from __future__ import annotations

from datetime import date

from hipback.clinic.access import Actor, can, require
from hipback.db.repositories import users as user_repo
from hipback.db.tables import EpisodeRow, PatientRow, SiteRow, UserRow
from hipback.db.uow import UnitOfWork
from hipback.protocol import load_catalog
from hipback.protocol.treatment_plan import PlanSession
from hipback.reports.dose import plain_dose
from hipback.reports.models import (
    HandoutExercise,
    HandoutTalk,
    HepHandout,
    ProgressReport,
    SeriesPoint,
    Signature,
)
from hipback.reports.outcomes import outcome_view
from hipback.reports.wording import load_wording
from hipback.services import exercise_logs, patients, plans
from hipback.services.episodes import ADHERENCE_WEEKS, patient_overview
from hipback.services.figures_bridge import figure_svg
from hipback.services.plans import StoredPlan


def _clinic_name(uow: UnitOfWork, patient_id: int) -> str:
    row = uow.get(PatientRow, patient_id, "patient")
    return uow.get(SiteRow, row.site_id, "site").name


def _display_name(uow: UnitOfWork, actor: Actor) -> str:
    user = user_repo.find_by_username(uow.session, actor.username)
    return user.display_name if user is not None else actor.username


def _therapist(uow: UnitOfWork, episode_id: int) -> str:
    """The episode's therapist; else the signed-in therapist; else blank for a hand signature."""
    episode = uow.get(EpisodeRow, episode_id, "episode")
    if episode.therapist_id is not None:
        user = uow.session.get(UserRow, episode.therapist_id)
        if user is not None:
            return user.display_name
    if uow.actor.role.value == "therapist":
        return _display_name(uow, uow.actor)
    return ""


def elapsed_weeks(opened: date, today: date, cap: int = ADHERENCE_WEEKS) -> int:
    """Weeks begun since ``opened`` (the current one included), at most ``cap``."""
    return max(0, min(cap, (today - opened).days // 7 + 1))


def current_home_session(stored: StoredPlan) -> PlanSession:
    """The session whose home programme the patient follows now: the last one delivered."""
    delivered = [s.number for s in stored.sessions if s.status == "delivered"]
    number = max(delivered) if delivered else stored.plan.sessions[0].number
    return next(s for s in stored.plan.sessions if s.number == number)


def progress_report(uow: UnitOfWork, patient_id: int) -> ProgressReport:
    """The progress report of a patient's current episode (parts the actor may not see are left
    out: the arm for blinded roles, exercise logs and plan where not permitted)."""
    require(uow.actor, "outcome.read", patient_id)
    o = patient_overview(uow, patient_id)
    today = uow.clock.today()
    views = []
    for series in o.outcomes:
        points = [
            SeriesPoint(p.timepoint, p.assessed_on, float(p.value))
            for p in series.points
            if p.value is not None
        ]
        views.append(
            outcome_view(
                series.instrument, points, series.change, age=o.patient.age, sex=o.patient.sex
            )
        )
    # home exercise starts with the plan; without one, with the episode
    start = o.plan.start_on if o.plan is not None else o.opened_on
    adherence: tuple[int, ...] = ()
    if can(uow.actor, "exercise_log.read", patient_id):
        logs = exercise_logs.logs_for(uow, patient_id, 1000)
        if logs or o.plan is not None:  # nothing to chart before home exercise is prescribed
            weeks = elapsed_weeks(start, today)
            adherence = tuple(exercise_logs.adherence_by_week(logs, start, weeks))
    target = None
    attended = planned = due = 0
    if o.plan is not None:
        attended, planned = o.plan.attended, len(o.plan.sessions)
        due = sum(1 for s in o.plan.sessions if s.planned_on <= today)
        if adherence:
            stored = plans.get_plan(uow, o.plan.id)
            home = current_home_session(stored).home_program
            target = max((h.dose.per_week or 0 for h in home), default=None) or None
    # when therapists deliver one arm each, the treating therapist's name would unblind
    therapist = _therapist(uow, o.episode_id) if o.arm_visible else ""
    report = ProgressReport(
        clinic=_clinic_name(uow, patient_id),
        patient_name=o.patient.name,
        mrn=o.patient.mrn,
        birth_date=o.patient.birth_date,
        age=o.patient.age,
        sex=o.patient.sex,
        synthetic=o.patient.synthetic,
        episode_opened=o.opened_on,
        episode_status=o.episode_status,
        arm=o.arm if o.arm_visible else None,
        sessions_attended=attended,
        sessions_planned=planned,
        sessions_due=due,
        outcomes=tuple(views),
        adherence=adherence,
        adherence_start=start,
        adherence_target=target,
        signature=Signature(therapist, "physical therapist", today),
        generated_on=today,
        arm_visible=o.arm_visible,
    )
    uow.audit("report.generated", f"patient:{patient_id}", {"kind": "progress"})
    uow.commit()
    return report


def _sides(sides: list[str], side_specific: bool) -> tuple[str, ...]:
    if not side_specific or not sides:
        return ()
    if set(sides) == {"left", "right"}:
        return ("both sides",)
    return tuple(f"{s} side" for s in sides)


def home_exercise_handout(uow: UnitOfWork, plan_id: int) -> HepHandout:
    """Large-print handout of the home programme at the plan's current level."""
    stored = plans.get_plan(uow, plan_id)
    patient = patients.get_patient(uow, stored.patient_id)
    session = current_home_session(stored)
    catalog = load_catalog()
    wording = load_wording()
    conditions = set(stored.plan.conditions)
    exercises = []
    for item in session.home_program:
        entry = catalog.get(item.id)
        safety = list(dict.fromkeys(item.modifications))
        safety += [
            p.note
            for p in entry.precautions
            if p.condition.value in conditions and p.action == "modify" and p.note not in safety
        ]
        exercises.append(
            HandoutExercise(
                id=item.id,
                name=item.patient_name,
                purpose=wording.purpose(entry.category.value),
                steps=entry.instructions,
                dose=plain_dose(item.dose),
                sides=_sides(list(item.sides), entry.side_specific),
                safety=tuple(safety),
                figure_svg=figure_svg(item.id),
            )
        )
    handout = HepHandout(
        clinic=_clinic_name(uow, stored.patient_id),
        patient_name=patient.name,
        mrn=patient.mrn,
        synthetic=patient.synthetic,
        session_number=session.number,
        valid_from=uow.clock.today(),
        exercises=tuple(exercises),
        therapist=_therapist(uow, stored.episode_id),
        generated_on=uow.clock.today(),
        general_safety=wording.handout_safety,
        education=tuple(
            HandoutTalk(t.title, t.points)
            for t in plans.education_so_far(stored.plan, session.number)
        ),
    )
    uow.audit("report.generated", f"patient:{stored.patient_id}", {"kind": "handout"})
    uow.commit()
    return handout
