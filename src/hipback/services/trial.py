"""Database-backed trial mode: set-up with a published commitment, screening and enrolment.

Randomisation is in :mod:`hipback.services.trial_randomise` (the only reader of the sealed list),
visits and the masked assessor's work in :mod:`hipback.services.trial_visits`, safety and
unblinding in :mod:`hipback.services.trial_safety`, CONSORT and the analysis in
:mod:`hipback.services.trial_results`.

Masking: nothing here returns an arm unless the actor may read arms (``arm.read``); the views
used by masked roles (:class:`TrialInfo`) have no per-participant arm and no per-arm counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from hipback.clinic.access import Actor, can, require
from hipback.db.repositories import clinic as clinic_repo
from hipback.db.repositories import trial as repo
from hipback.db.tables import (
    EpisodeRow,
    ParticipantRow,
    PatientRow,
    TrialRow,
)
from hipback.db.tables.sealed_list import SealedListRow  # written here once, at set-up
from hipback.db.uow import UnitOfWork
from hipback.errors import Conflict, InvalidInput, NotFound
from hipback.services.trial_definition import TrialDefinition, load_definition
from hipback.trial.commitment import canonical_document, commit
from hipback.trial.randomisation import generate_list, new_seed

MAX_ID = 2_147_483_647  # 32-bit ids on PostgreSQL
ANY_TRIAL_ROLE = ("trial.view", "trial.manage", "trial.assess", "trial.results", "trial.randomise")


class Status:
    ENROLLED = "enrolled"
    EXCLUDED = "excluded"
    RANDOMISED = "randomised"
    WITHDRAWN = "withdrawn"


def require_trial_role(actor: Actor) -> None:
    require(actor, "trial.view")


@dataclass(frozen=True)
class TrialInfo:
    """Public facts about a trial (safe for every trial role, masked or not)."""

    id: int
    code: str
    name: str
    commitment: str
    published_at: datetime
    arms: tuple[str, ...]
    arm_labels: dict[str, str]
    instrument: str
    visits: tuple[str, ...]
    visit_labels: dict[str, str]
    randomised: int

    def public_document(self, config: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "format": "hipback-commitment/1",
            "trial": self.code,
            "name": self.name,
            "commitment": self.commitment,
            "published_at": self.published_at.isoformat(),
            "allocation_design": dict(config),
        }


def definition_of(row: TrialRow) -> TrialDefinition:
    return TrialDefinition.model_validate(row.config)


def info_of(row: TrialRow) -> TrialInfo:
    d = definition_of(row)
    return TrialInfo(
        row.id,
        row.code,
        row.name,
        row.commitment,
        row.published_at,
        d.arms,
        dict(d.arm_labels),
        d.instrument,
        tuple(v.code for v in d.schedule.visits),
        {v.code: v.label for v in d.schedule.visits},
        row.randomised,
    )


def setup_trial(uow: UnitOfWork, data: Mapping[str, Any] | None = None) -> TrialInfo:
    """Validate the definition, seal a fresh list and publish its commitment, in one step."""
    require(uow.actor, "trial.manage")
    definition = load_definition(data)
    if repo.find_trial(uow.session, definition.code) is not None:
        raise Conflict(f"a trial with code {definition.code!r} already exists")
    seed = new_seed()
    allocation = generate_list(definition.randomisation, seed)
    commitment = commit(allocation, seed)
    row = TrialRow(
        code=definition.code,
        name=definition.name,
        config=definition.model_dump(mode="json"),
        commitment=commitment,
        published_at=uow.clock.now(),
        created_by=uow.actor.label,
        randomised=0,
    )
    uow.add(row)
    uow.flush()
    uow.add(
        SealedListRow(trial_id=row.id, seed_hex=seed.hex(), document=canonical_document(allocation))
    )
    uow.audit("trial.created", f"trial:{row.id}", {"code": row.code, "commitment": commitment})
    uow.commit()
    return info_of(row)


def get_trial(uow: UnitOfWork, trial_id: int) -> TrialInfo:
    require_trial_role(uow.actor)
    return info_of(uow.get(TrialRow, trial_id, "trial"))


def list_trials(uow: UnitOfWork) -> list[TrialInfo]:
    require_trial_role(uow.actor)
    return [info_of(row) for row in repo.trials(uow.session)]


def commitment_document(uow: UnitOfWork, trial_id: int) -> dict[str, Any]:
    """What to publish before the first enrolment: code, name, commitment, list configuration."""
    require_trial_role(uow.actor)
    row = uow.get(TrialRow, trial_id, "trial")
    return info_of(row).public_document(definition_of(row).randomisation.model_dump(mode="json"))


@dataclass(frozen=True)
class ParticipantView:
    """A screened patient as the trial manager sees them; ``arm`` only for arm readers."""

    id: int
    code: str
    patient_id: int
    patient_name: str
    site: str
    sex: str
    status: str
    exclusion: str | None
    consented_on: date | None
    randomised_on: date | None
    arm: str | None


def participant_views(uow: UnitOfWork, trial_id: int) -> list[ParticipantView]:
    """The enrolment list (trial manager); arms are included only for roles that read arms."""
    require(uow.actor, "trial.manage")
    uow.get(TrialRow, trial_id, "trial")
    arms: dict[int, str] = {}
    if can(uow.actor, "arm.read"):
        arms = {r.participant_id: r.arm for r in repo.randomisations(uow.session, trial_id)}
    out = []
    for p in repo.participants(uow.session, trial_id):
        patient = uow.get(PatientRow, p.patient_id, "patient")
        out.append(
            ParticipantView(
                p.id,
                p.code,
                p.patient_id,
                f"{patient.given_name} {patient.family_name}",
                p.site,
                p.sex,
                p.status,
                None
                if p.exclusion_category is None
                else f"{p.exclusion_category}: {p.exclusion_reason}",
                p.consented_on,
                p.randomised_on,
                arms.get(p.id),
            )
        )
    uow.audit("trial.participants.read", f"trial:{trial_id}", {"count": len(out)})
    uow.commit()
    return out


def screen_patient(
    uow: UnitOfWork,
    trial_id: int,
    patient_id: int,
    *,
    consented_on: date | None,
    declined_reason: str = "",
) -> ParticipantView:
    """Add a clinic patient to the trial's screening log from their latest stored evaluation.

    Eligible (the evaluation's screening decision) and consented: ``enrolled``, ready to be
    randomised. Otherwise ``excluded`` with the CONSORT category (not meeting inclusion criteria,
    or declined), so the CONSORT flow counts everyone assessed for eligibility.
    """
    require(uow.actor, "trial.manage")
    if not 1 <= patient_id <= MAX_ID:
        raise InvalidInput.one("patient_id", patient_id, f"1 to {MAX_ID}")
    trial = uow.get(TrialRow, trial_id, "trial")
    patient = uow.get(PatientRow, patient_id, "patient")
    if repo.participant_for_patient(uow.session, trial_id, patient_id) is not None:
        raise Conflict(f"patient {patient_id} is already in the screening log of this trial")
    episode = clinic_repo.current_episode(uow.session, patient_id)
    if episode is None:
        raise NotFound(f"patient {patient_id} has no episode of care")
    evaluation = clinic_repo.latest_evaluation(uow.session, episode.id)
    if evaluation is None:
        raise InvalidInput.one(
            "patient_id", patient_id, "a patient with a stored evaluation", "screen them first"
        )
    today = uow.clock.today()
    if consented_on is not None and consented_on > today:
        raise InvalidInput.one("consented_on", consented_on.isoformat(), f"{today} or earlier")
    strata = evaluation.screening.get("stratification", {})
    status, category, reason = Status.ENROLLED, None, None
    if evaluation.decision != "eligible":
        status, category = Status.EXCLUDED, "not_meeting_inclusion"
        reason = str(evaluation.screening.get("summary") or evaluation.decision)[:400]
    elif consented_on is None:
        status, category = Status.EXCLUDED, "declined"
        reason = declined_reason.strip()[:400] or "not stated"
    count = len(repo.participants(uow.session, trial_id))
    row = ParticipantRow(
        trial_id=trial.id,
        patient_id=patient_id,
        episode_id=episode.id,
        evaluation_id=evaluation.id,
        code=f"P{count + 1:03d}",
        site=str(strata.get("site", "")),
        sex=str(strata.get("sex", patient.sex)),
        status=status,
        exclusion_category=category,
        exclusion_reason=reason,
        consented_on=consented_on if status == Status.ENROLLED else None,
        screened_at=uow.clock.now(),
    )
    uow.add(row)
    uow.flush()
    uow.audit(
        "trial.screened",
        f"patient:{patient_id}",
        {"trial": trial_id, "participant": row.code, "status": status},
    )
    uow.commit()
    return ParticipantView(
        row.id,
        row.code,
        patient_id,
        f"{patient.given_name} {patient.family_name}",
        row.site,
        row.sex,
        row.status,
        None if category is None else f"{category}: {reason}",
        row.consented_on,
        None,
        None,
    )


@dataclass(frozen=True)
class Candidate:
    """A clinic patient not yet in the screening log, with their latest screening decision."""

    patient_id: int
    name: str
    decision: str | None


def candidates(uow: UnitOfWork, trial_id: int, limit: int = 200) -> list[Candidate]:
    require(uow.actor, "trial.manage")
    uow.get(TrialRow, trial_id, "trial")
    screened = {p.patient_id for p in repo.participants(uow.session, trial_id)}
    out = []
    for patient in clinic_repo.search_patients(uow.session, "", limit, 0):
        if patient.id in screened:
            continue
        episode = clinic_repo.current_episode(uow.session, patient.id)
        evaluation = (
            None if episode is None else clinic_repo.latest_evaluation(uow.session, episode.id)
        )
        out.append(
            Candidate(
                patient.id,
                f"{patient.given_name} {patient.family_name}",
                None if evaluation is None else evaluation.decision,
            )
        )
    return out


def participant_row(uow: UnitOfWork, trial_id: int, participant_id: int) -> ParticipantRow:
    """The participant, checked to belong to the trial (same message either way: no probing)."""
    row = uow.session.get(ParticipantRow, participant_id)
    if row is None or row.trial_id != trial_id:
        raise NotFound(f"participant {participant_id} not found in trial {trial_id}")
    return row


def episode_of(uow: UnitOfWork, participant: ParticipantRow) -> EpisodeRow:
    return uow.get(EpisodeRow, participant.episode_id, "episode")


@dataclass(frozen=True)
class Allocation:
    """A randomised participant's arm, as the clinic arm their episode of care follows."""

    trial_id: int
    participant_code: str
    clinic_arm: str


def allocation_of_episode(uow: UnitOfWork, episode_id: int) -> Allocation | None:
    """The allocation that binds this episode's arm (randomisation alone writes it)."""
    for trial, participant, record in repo.allocations_of_episode(uow.session, episode_id):
        arm = definition_of(trial).clinic_arms.get(record.arm, record.arm)
        return Allocation(trial.id, participant.code, arm)
    return None
