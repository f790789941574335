"""Randomise an enrolled participant: the only code that reads the sealed allocation list.

One transaction: take the trial's lock (:func:`hipback.db.repositories.trial.lock_trial`),
re-check eligibility (latest stored evaluation) and consent, rebuild the
:class:`~hipback.trial.concealment.ConcealedList` from the sealed list and the stored log (which
verifies the hash chain), reveal the next slot of the participant's stratum, append the log line,
schedule the visits from the randomisation date, set the clinic episode's arm, and audit the
event **without the arm** (audit views must not unmask an assessor).
"""

from __future__ import annotations

from dataclasses import dataclass

from hipback.clinic.access import can, require
from hipback.db.repositories import clinic as clinic_repo
from hipback.db.repositories import sealed_list as sealed_repo
from hipback.db.repositories import trial as repo
from hipback.db.tables import RandomisationRow, TrialRow, VisitRow
from hipback.db.uow import UnitOfWork
from hipback.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hipback.services.trial import Status, definition_of, episode_of, participant_row
from hipback.trial.commitment import allocation_from_document, verify
from hipback.trial.concealment import ConcealedList, RandomisationRecord, RandomisationRequest


@dataclass(frozen=True)
class Allocation:
    """One line of the allocation log (unblinded view)."""

    sequence: int
    participant_code: str
    stratum: str
    arm: str
    arm_label: str
    randomised_by: str
    at: str
    record_hash: str


def _record(row: RandomisationRow) -> RandomisationRecord:
    return RandomisationRecord(
        row.sequence,
        str(row.participant_id),
        row.stratum,
        row.position,
        row.arm,
        row.randomised_by,
        row.at,
        row.previous_hash,
        row.record_hash,
    )


def _concealed(uow: UnitOfWork, trial: TrialRow) -> ConcealedList:
    sealed = sealed_repo.sealed_list(uow.session, trial.id)
    if sealed is None:
        raise Conflict(f"trial {trial.id} has no sealed allocation list")
    allocation = allocation_from_document(sealed.document)
    records = [_record(r) for r in repo.randomisations(uow.session, trial.id)]
    return ConcealedList(allocation, trial.commitment, records)


def randomise(uow: UnitOfWork, trial_id: int, participant_id: int) -> Allocation:
    require(uow.actor, "trial.randomise")
    repo.lock_trial(uow.session, trial_id)  # first statement: serialises concurrent randomisers
    try:
        return _randomise(uow, trial_id, participant_id)
    except Exception:
        uow.session.rollback()  # release the lock; nothing of a refused randomisation remains
        raise


def _randomise(uow: UnitOfWork, trial_id: int, participant_id: int) -> Allocation:
    trial = uow.get(TrialRow, trial_id, "trial")
    uow.session.refresh(trial)
    definition = definition_of(trial)
    participant = participant_row(uow, trial_id, participant_id)
    if participant.status == Status.RANDOMISED:
        raise Conflict(f"participant {participant.code} is already randomised")
    if participant.status != Status.ENROLLED:
        raise InvalidInput.one(
            "participant",
            participant.code,
            "an enrolled (eligible, consented) participant",
            f"status is {participant.status}",
        )
    evaluation = clinic_repo.latest_evaluation(uow.session, participant.episode_id)
    eligible = evaluation is not None and evaluation.decision == "eligible"
    concealed = _concealed(uow, trial)
    now = uow.clock.now()
    record = concealed.randomise(
        RandomisationRequest(
            participant_id=str(participant.id),
            strata={"site": participant.site, "sex": participant.sex},
            eligible=eligible,
            consented=participant.consented_on is not None,
            randomised_by=uow.actor.label,
            at=now,
        )
    )
    uow.add(
        RandomisationRow(
            trial_id=trial_id,
            participant_id=participant.id,
            sequence=record.sequence,
            stratum=record.stratum,
            position=record.position,
            arm=record.arm,
            randomised_by=record.randomised_by,
            at=record.at,
            previous_hash=record.previous_hash,
            record_hash=record.record_hash,
        )
    )
    today = uow.clock.today()
    participant.status = Status.RANDOMISED
    participant.randomised_on = today
    for window in definition.schedule.visits:
        uow.add(
            VisitRow(
                participant_id=participant.id,
                visit=window.code,
                opens=window.opens(today),
                target=window.target(today),
                closes=window.closes(today),
                late_until=window.late_until(today),
            )
        )
    episode_of(uow, participant).arm = definition.clinic_arms[record.arm]
    uow.flush()
    uow.audit(
        "trial.randomised",
        f"patient:{participant.patient_id}",
        {"trial": trial_id, "participant": participant.code, "sequence": record.sequence},
    )
    uow.commit()
    return Allocation(
        record.sequence,
        participant.code,
        record.stratum,
        record.arm,
        definition.arm_labels[record.arm],
        record.randomised_by,
        record.at,
        record.record_hash,
    )


def allocation_log(uow: UnitOfWork, trial_id: int) -> list[Allocation]:
    """The randomisation log with arms: trial manager only (``trial.manage`` + ``arm.read``)."""
    require(uow.actor, "trial.manage")
    if not can(uow.actor, "arm.read"):
        raise PermissionDenied(f"{uow.actor.role.value} may not read arms")
    trial = uow.get(TrialRow, trial_id, "trial")
    labels = definition_of(trial).arm_labels
    codes = {p.id: p.code for p in repo.participants(uow.session, trial_id)}
    out = [
        Allocation(
            r.sequence,
            codes[r.participant_id],
            r.stratum,
            r.arm,
            labels[r.arm],
            r.randomised_by,
            r.at,
            r.record_hash,
        )
        for r in repo.randomisations(uow.session, trial_id)
    ]
    uow.audit("trial.allocation_log.read", f"trial:{trial_id}", {"lines": len(out)})
    uow.commit()
    return out


def verify_trial(uow: UnitOfWork, trial_id: int) -> dict[str, object]:
    """Check sealed list + seed against the commitment and the stored log (trial manager)."""
    require(uow.actor, "trial.manage")
    trial = uow.get(TrialRow, trial_id, "trial")
    sealed = sealed_repo.sealed_list(uow.session, trial_id)
    if sealed is None:
        raise NotFound(f"trial {trial_id} has no sealed allocation list")
    allocation = allocation_from_document(sealed.document)
    result = verify(allocation, bytes.fromhex(sealed.seed_hex), trial.commitment).as_dict()
    try:
        _concealed(uow, trial)
        log_problems: list[str] = []
    except Conflict as exc:
        log_problems = [str(exc)]
    return result | {"log_ok": not log_problems, "log_problems": log_problems}
