"""Writing a read Bundle into the database: match by identifier, update or create, count.

Used by :func:`hipback.services.interop.import_bundle`, which owns the transaction, the
permission check and the audit entry.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from hipback.clinic.records import PatientCreate, validate
from hipback.db.repositories import clinic as repo
from hipback.db.repositories import interop as xrepo
from hipback.db.repositories import users as user_repo
from hipback.db.tables import (
    EpisodeRow,
    EvaluationRow,
    ExerciseLogRow,
    OutcomeRow,
    PatientRow,
    PlanRow,
    SessionRow,
    SiteRow,
    UserRow,
)
from hipback.db.uow import UnitOfWork
from hipback.errors import Conflict, InvalidInput, Problem
from hipback.fhir import ids
from hipback.fhir.records import Exchange, PatientRecord, PractitionerRec, SessionRec
from hipback.protocol import load_plan, load_session
from hipback.screening import load_evaluation
from hipback.services.trial import allocation_of_episode

#: identifying fields that an import may change only when asked to (labels for messages)
IDENTITY = {
    "given_name": "given name",
    "family_name": "family name",
    "birth_date": "date of birth",
    "sex": "sex",
}
NO_PASSWORD = "!imported: no password; an admin must set one and activate the account"


@dataclass
class ImportSummary:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {
            "created": dict(sorted(self.created.items())),
            "updated": dict(sorted(self.updated.items())),
            "unchanged": dict(sorted(self.unchanged.items())),
        }


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, datetime) and isinstance(b, datetime):
        return _utc(a) == _utc(b)
    return bool(a == b)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Importer:
    """Rows that later rows point to (patients, episodes, evaluations, plans) are flushed at
    once for their ids; outcomes, sessions and log lines go in one flush at the end."""

    def __init__(self, uow: UnitOfWork, *, update_identity: bool = False) -> None:
        self.uow = uow
        self.update_identity = update_identity
        self.summary = ImportSummary()
        self.user_ids: dict[str, int] = {}

    def sync(self, kind: str, row: Any | None, new: Any, values: dict[str, Any]) -> Any:
        """Update ``row`` to ``values`` (or add ``new`` built from them); count what happened."""
        if row is None:
            self.uow.add(new)
            self.summary.created[kind] += 1
            return new
        changed = False
        for name, value in values.items():
            if not _same(getattr(row, name), value):
                setattr(row, name, value)
                changed = True
        (self.summary.updated if changed else self.summary.unchanged)[kind] += 1
        return row

    def user(self, username: str | None) -> int | None:
        return None if username is None else self.user_ids[username]

    def practitioners(self, recs: tuple[PractitionerRec, ...]) -> None:
        for p in recs:
            row = user_repo.find_by_username(self.uow.session, p.username)
            if row is None:
                row = UserRow(
                    username=p.username,
                    display_name=p.display_name,
                    role=p.role,
                    password_hash=NO_PASSWORD,
                    active=False,
                    failed_logins=0,
                    created_at=self.uow.clock.now(),
                )
                self.uow.add(row)
                self.uow.flush()
                self.summary.created["Practitioner"] += 1
                self.uow.audit(
                    "user.created", f"user:{row.id}", {"username": p.username, "via": "fhir"}
                )
            else:
                self.summary.unchanged["Practitioner"] += 1
            self.user_ids[p.username] = row.id

    def _identity(self, r: PatientRecord) -> PatientCreate:
        """The patient's identity under the same rules as the registration form."""
        p = r.patient
        return validate(
            PatientCreate,
            {
                "given_name": p.given_name,
                "family_name": p.family_name,
                "birth_date": p.birth_date,
                "sex": p.sex,
                "mrn": p.mrn,
                "phone": p.phone,
            },
            prefix=f"Patient({p.mrn[:40]}).",
        )

    def _check_identity(self, found: PatientRow, identity: PatientCreate) -> None:
        """Refuse to rename or re-date an existing patient unless asked to (then audited)."""
        changed = [
            name for name in IDENTITY if not _same(getattr(found, name), getattr(identity, name))
        ]
        if not changed:
            return
        if not self.update_identity:
            raise Conflict(
                f"the Bundle's patient {identity.mrn} differs from the record with that number "
                f"in {', '.join(IDENTITY[c] for c in changed)}; check it is the same person, "
                "then import again asking to update identity details"
            )
        self.uow.audit(
            "patient.identity_updated",
            f"patient:{found.id}",
            {"fields": changed, "via": "fhir"},
        )

    def _check_allocation(self, episode: EpisodeRow | None, arm: str | None, what: str) -> None:
        """A randomised participant's arm is written by randomisation alone."""
        if episode is None:
            return
        allocation = allocation_of_episode(self.uow, episode.id)
        if allocation is not None and arm != allocation.clinic_arm:
            raise Conflict(
                f"{what} of trial participant {allocation.participant_code} would change the "
                "arm set by randomisation; an import cannot change an allocation"
            )

    def patient(self, r: PatientRecord) -> None:
        s = self.uow.session
        p = r.patient
        identity = self._identity(r)
        site = repo.find_site(s, p.site_code)
        if site is None:
            site = SiteRow(code=p.site_code, name=p.site_name)
            self.uow.add(site)
            self.uow.flush()
        values = {
            "site_id": site.id,
            "mrn": p.mrn,
            "given_name": p.given_name,
            "family_name": p.family_name,
            "birth_date": p.birth_date,
            "sex": p.sex,
            "phone": p.phone,
            "synthetic": p.synthetic,
            "created_at": p.created_at,
        }
        found = xrepo.patient_by_mrn(s, p.mrn)
        if found is not None:
            self._check_identity(found, identity)
        row = self.sync("Patient", found, PatientRow(**values), values)
        self.uow.flush()
        episodes = xrepo.episodes(s, row.id)
        ep_ids: dict[str, int] = {}
        for e in r.episodes:
            values = {
                "patient_id": row.id,
                "therapist_id": self.user(e.therapist),
                "opened_on": e.opened_on,
                "closed_on": e.closed_on,
                "status": e.status,
                "arm": e.arm,
            }
            target = self._nth(episodes, e.key, p.mrn, "episode")
            self._check_allocation(target, e.arm, f"EpisodeOfCare({e.key})")
            ep = self.sync("EpisodeOfCare", target, EpisodeRow(**values), values)
            self.uow.flush()
            if target is None:
                episodes.append(ep)
            ep_ids[e.key] = ep.id
        self._evaluations(r, p.mrn, ep_ids)

    def _evaluations(self, r: PatientRecord, mrn: str, ep_ids: dict[str, int]) -> None:
        existing = xrepo.evaluations(self.uow.session, list(ep_ids.values()))
        ev_ids: dict[str, int] = {}
        for v in r.evaluations:
            values = {
                "episode_id": ep_ids[v.episode_key],
                "assessed_on": v.assessed_on,
                "data": v.data,
                "screening": v.screening,
                "decision": v.decision,
                "created_by": self.user(v.created_by),
                "created_at": v.created_at,
            }
            target = self._nth(existing, v.key, mrn, "evaluation")
            row = self.sync("ClinicalImpression", target, EvaluationRow(**values), values)
            self.uow.flush()
            if target is None:
                existing.append(row)
            ev_ids[v.key] = row.id
        plans = xrepo.plans(self.uow.session, list(ep_ids.values()))
        for p in r.plans:
            values = {
                "episode_id": ep_ids[p.episode_key],
                "evaluation_id": ev_ids[p.evaluation_key],
                "arm": p.arm,
                "start_on": p.start_on,
                "data": p.data,
                "created_at": p.created_at,
            }
            target = self._nth(plans, p.key, mrn, "plan")
            self._check_allocation(
                self.uow.session.get(EpisodeRow, values["episode_id"]), p.arm, f"CarePlan({p.key})"
            )
            plan = self.sync("CarePlan", target, PlanRow(**values), values)
            self.uow.flush()
            if target is None:
                plans.append(plan)
            self._sessions(plan.id, p.sessions)
        self._outcomes(r, mrn, ep_ids)

    def _sessions(self, plan_id: int, sessions: tuple[SessionRec, ...]) -> None:
        existing = {s.number: s for s in repo.plan_sessions(self.uow.session, plan_id)}
        for s in sessions:
            values = {
                "plan_id": plan_id,
                "number": s.number,
                "planned_on": s.planned_on,
                "status": s.status,
                "delivered_on": s.delivered_on,
                "documentation": s.documentation,
                "notes": s.notes,
                "recorded_by": self.user(s.recorded_by),
            }
            self.sync("CarePlan.activity", existing.get(s.number), SessionRow(**values), values)

    def _outcomes(self, r: PatientRecord, mrn: str, ep_ids: dict[str, int]) -> None:
        existing = xrepo.outcomes(self.uow.session, list(ep_ids.values()))
        for o in r.outcomes:
            values = {
                "episode_id": ep_ids[o.episode_key],
                "timepoint": o.timepoint,
                "instrument": o.instrument,
                "assessed_on": o.assessed_on,
                "responses": o.responses,
                "value": o.value,
                "result": o.result,
                "assessed_by": self.user(o.assessed_by),
            }
            target = self._nth(existing, o.key, mrn, "outcome")
            row = self.sync("QuestionnaireResponse", target, OutcomeRow(**values), values)
            if target is None:
                existing.append(row)
        self._logs(r, mrn)

    def _logs(self, r: PatientRecord, mrn: str) -> None:
        s = self.uow.session
        patient = xrepo.patient_by_mrn(s, mrn)
        assert patient is not None  # created by patient() above
        existing = xrepo.exercise_logs(s, patient.id)
        for line in r.logs:
            values = {
                "patient_id": patient.id,
                "logged_on": line.logged_on,
                "exercise_id": line.exercise_id,
                "sets": line.sets,
                "reps": line.reps,
                "pain": line.pain,
                "comment": line.comment,
                "created_at": line.created_at,
                "created_by": self.user(line.created_by),
            }
            target = self._nth(existing, line.key, mrn, "exercise-log")
            row = self.sync("Observation(exercise log)", target, ExerciseLogRow(**values), values)
            if target is None:
                existing.append(row)

    def _nth(self, rows: list[Any], key: str, mrn: str, kind: str) -> Any | None:
        """The row this key's ordinal names; None for the next new one; a gap is refused."""
        prefix = f"{mrn}/{kind}/"
        ordinal = key.removeprefix(prefix)
        if not key.startswith(prefix) or not ordinal.isdigit() or int(ordinal) < 1:
            raise InvalidInput.one(f"identifier({kind})", key, f"{prefix}<n> with n = 1, 2, ...")
        n = int(ordinal)
        if n <= len(rows):
            return rows[n - 1]
        if n == len(rows) + 1:
            return None
        raise InvalidInput.one(
            f"identifier({kind})", key, f"{prefix}1 to {prefix}{len(rows) + 1} (no gaps)"
        )


def check_documents(exchange: Exchange) -> None:
    """The JSON documents must be what hipback's own models accept (as when first recorded)."""
    problems: list[Problem] = []

    def check(where: str, load: Any, document: Any) -> None:
        try:
            load(document)
        except InvalidInput as exc:
            problems.extend(
                Problem(f"{where}.{p.field}", p.value, p.allowed, p.message) for p in exc.problems
            )

    for r in exchange.records:
        for v in r.evaluations:
            check(f"ClinicalImpression({v.key}).extension(evaluation)", load_evaluation, v.data)
        for plan in r.plans:
            check(f"CarePlan({plan.key}).extension(plan)", load_plan, plan.data)
            for s in plan.sessions:
                if s.documentation is not None:
                    where = f"Procedure({ids.session_key(plan.key, s.number)})"
                    check(
                        f"{where}.extension(session-documentation)", load_session, s.documentation
                    )
    if problems:
        raise InvalidInput(problems)
