"""HL7 FHIR exchange of clinic records: export a patient (or the clinic) as a collection
Bundle, and import such a Bundle back.

Import is all-or-nothing (one transaction) and idempotent: every resource is matched by its
hipback identifier (record number + ordinal, see :mod:`hipback.fhir.ids`); a matched row whose
content is the same is left alone, one that differs is updated to the Bundle's content, and
the rest are created. Importing the same Bundle twice therefore changes no clinical row (the
second attempt is still audited). Practitioners unknown here become *inactive* accounts with
no usable password; an admin must activate them.
"""

from __future__ import annotations

from typing import Any

from hipback.clinic.access import require
from hipback.db.repositories import clinic as repo
from hipback.db.repositories import interop as xrepo
from hipback.db.tables import (
    PatientRow,
    SiteRow,
    UserRow,
)
from hipback.db.uow import UnitOfWork
from hipback.errors import InvalidInput, Problem
from hipback.fhir import ids
from hipback.fhir.bundle import build_bundle, read_bundle
from hipback.fhir.records import (
    EpisodeRec,
    EvaluationRec,
    Exchange,
    LogRec,
    OutcomeRec,
    PatientRec,
    PatientRecord,
    PlanRec,
    PractitionerRec,
    SessionRec,
)
from hipback.services.interop_import import Importer, ImportSummary, check_documents

EXPORT_ACTIONS = (
    "patient.read",
    "evaluation.read",
    "plan.read",
    "session.read",
    "outcome.read",
    "exercise_log.read",
    "arm.read",
)


class _Users:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.seen: dict[int, PractitionerRec] = {}

    def name(self, user_id: int | None) -> str | None:
        if user_id is None:
            return None
        if user_id not in self.seen:
            row = self.uow.get(UserRow, user_id, "user")
            self.seen[user_id] = PractitionerRec(row.username, row.display_name, row.role)
        return self.seen[user_id].username


def _record(uow: UnitOfWork, patient: PatientRow, users: _Users) -> PatientRecord:
    s = uow.session
    mrn = patient.mrn
    site = uow.get(SiteRow, patient.site_id, "site")
    episodes = xrepo.episodes(s, patient.id)
    ep_key = {e.id: ids.episode_key(mrn, n) for n, e in enumerate(episodes, 1)}
    ep_ids = list(ep_key)
    evals = xrepo.evaluations(s, ep_ids)
    ev_key = {v.id: ids.evaluation_key(mrn, n) for n, v in enumerate(evals, 1)}
    plans = xrepo.plans(s, ep_ids)
    outcomes = xrepo.outcomes(s, ep_ids)
    logs = xrepo.exercise_logs(s, patient.id)
    plan_recs = []
    for n, p in enumerate(plans, 1):
        sessions = tuple(
            SessionRec(
                r.number,
                r.planned_on,
                r.status,
                r.delivered_on,
                r.documentation,
                r.notes,
                users.name(r.recorded_by),
            )
            for r in repo.plan_sessions(s, p.id)
        )
        plan_recs.append(
            PlanRec(
                ids.plan_key(mrn, n),
                ep_key[p.episode_id],
                ev_key[p.evaluation_id],
                p.arm,
                p.start_on,
                p.data,
                p.created_at,
                sessions,
            )
        )
    return PatientRecord(
        patient=PatientRec(
            mrn,
            patient.given_name,
            patient.family_name,
            patient.birth_date,
            patient.sex,
            patient.phone,
            patient.synthetic,
            site.code,
            site.name,
            patient.created_at,
        ),
        episodes=tuple(
            EpisodeRec(
                ep_key[e.id], e.opened_on, e.closed_on, e.status, e.arm, users.name(e.therapist_id)
            )
            for e in episodes
        ),
        evaluations=tuple(
            EvaluationRec(
                ev_key[v.id],
                ep_key[v.episode_id],
                v.assessed_on,
                v.decision,
                v.data,
                v.screening,
                users.name(v.created_by),
                v.created_at,
            )
            for v in evals
        ),
        plans=tuple(plan_recs),
        outcomes=tuple(
            OutcomeRec(
                key=ids.outcome_key(mrn, n),
                episode_key=ep_key[o.episode_id],
                timepoint=o.timepoint,
                instrument=o.instrument,
                assessed_on=o.assessed_on,
                responses=o.responses,
                value=o.value,
                assessed_by=users.name(o.assessed_by),
                result=o.result,
            )
            for n, o in enumerate(outcomes, 1)
        ),
        logs=tuple(
            LogRec(
                ids.log_key(mrn, n),
                line.logged_on,
                line.exercise_id,
                line.sets,
                line.reps,
                line.pain,
                line.comment,
                line.created_at,
                users.name(line.created_by),
            )
            for n, line in enumerate(logs, 1)
        ),
    )


def _bundle(uow: UnitOfWork, patients: list[PatientRow]) -> dict[str, Any]:
    users = _Users(uow)
    records = tuple(_record(uow, p, users) for p in patients)
    instruments = tuple(sorted({o.instrument for r in records for o in r.outcomes}))
    exchange = Exchange(tuple(users.seen.values()), instruments, records)
    return build_bundle(exchange, uow.clock.now())


def export_bundle(uow: UnitOfWork, patient_id: int) -> dict[str, Any]:
    """One patient's record (all episodes) as a FHIR R4 collection Bundle; audited."""
    for action in EXPORT_ACTIONS:
        require(uow.actor, action, patient_id)
    patient = uow.get(PatientRow, patient_id, "patient")
    bundle = _bundle(uow, [patient])
    uow.audit("fhir.exported", f"patient:{patient_id}", {"entries": len(bundle["entry"])})
    uow.commit()
    return bundle


def export_all(uow: UnitOfWork) -> dict[str, Any]:
    """Every patient of the clinic in one collection Bundle; audited."""
    for action in (*EXPORT_ACTIONS, "patient.list"):
        require(uow.actor, action)
    patients = xrepo.patients_by_mrn(uow.session)
    bundle = _bundle(uow, patients)
    uow.audit(
        "fhir.exported", "patients", {"patients": len(patients), "entries": len(bundle["entry"])}
    )
    uow.commit()
    return bundle


def import_bundle(uow: UnitOfWork, bundle: Any, *, update_identity: bool = False) -> ImportSummary:
    """Import a hipback FHIR Bundle in one transaction; nothing is written if anything fails.

    Patients are validated as the registration form validates them. A patient whose record
    number exists with another name, date of birth or sex is refused (409) unless
    ``update_identity`` (each such change is audited); a randomised participant's arm is never
    changed by an import."""
    require(uow.actor, "patient.create")
    exchange = read_bundle(bundle)
    referenced = {
        name
        for r in exchange.records
        for name in (
            *(e.therapist for e in r.episodes),
            *(v.created_by for v in r.evaluations),
            *(s.recorded_by for p in r.plans for s in p.sessions),
            *(o.assessed_by for o in r.outcomes),
            *(line.created_by for line in r.logs),
        )
        if name is not None
    }
    missing = referenced - {p.username for p in exchange.practitioners}
    if missing:
        raise InvalidInput(
            [Problem("Bundle.entry", sorted(missing), "a Practitioner entry for each")]
        )
    check_documents(exchange)
    importer = Importer(uow, update_identity=update_identity)
    importer.practitioners(exchange.practitioners)
    for record in sorted(exchange.records, key=lambda r: r.patient.mrn):
        importer.patient(record)
    uow.flush()
    uow.audit(
        "fhir.imported",
        "patients",
        {"patients": len(exchange.records)} | importer.summary.as_dict(),
    )
    uow.commit()
    return importer.summary
