"""Visit tracker and the masked assessor's work: due visits, outcome entry, arm guesses.

Every view in this module is **arm-free by construction**: :class:`BlindParticipant` has no arm
field, and nothing here reads ``trial_randomisations``. A visit is completed when the trial's
instrument was recorded at the visit's clinic timepoint (``outcome_assessments``); the window
status comes from :func:`hipback.trial.windows.visit_state` with the dates fixed at
randomisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from hipback.clinic.access import require
from hipback.db.repositories import trial as repo
from hipback.db.tables import GuessRow, ParticipantRow, PatientRow, TrialRow, VisitRow
from hipback.db.uow import UnitOfWork
from hipback.errors import Conflict, InvalidInput
from hipback.services import outcomes
from hipback.services.trial import Status, definition_of, participant_row
from hipback.services.trial_definition import TrialDefinition
from hipback.trial.blinding_index import DONT_KNOW, record_guess
from hipback.trial.windows import VisitState, VisitWindow, visit_state


@dataclass(frozen=True)
class BlindParticipant:
    """A randomised participant's visits, with no trace of the arm (assessor and tracker)."""

    id: int
    code: str
    patient_id: int
    patient_name: str
    randomised_on: date
    visits: list[VisitState]
    guessed: tuple[str, ...]


def _require_tracker(uow: UnitOfWork) -> None:
    require(uow.actor, "trial.visits")


def _state(
    window: VisitWindow, anchor: date, row: VisitRow, on: date, done: date | None
) -> VisitState:
    return visit_state(window, anchor, on, done, row.missed_reason is not None)


def _blind(
    uow: UnitOfWork, trial: TrialRow, people: list[ParticipantRow], on: date
) -> list[BlindParticipant]:
    definition = definition_of(trial)
    windows = {v.code: v for v in definition.schedule.visits}
    rows = repo.visits(uow.session, [p.id for p in people])
    done = {key: on for key, (on, _) in visit_values(uow, people, definition).items()}
    guessed: dict[int, list[str]] = {}
    for g in repo.guesses(uow.session, trial.id):
        guessed.setdefault(g.participant_id, []).append(g.visit)
    out = []
    for p in people:
        anchor = p.randomised_on or on
        patient = uow.get(PatientRow, p.patient_id, "patient")
        states = [
            _state(
                windows[r.visit],
                anchor,
                r,
                on,
                done.get((p.id, r.visit)),
            )
            for r in rows
            if r.participant_id == p.id
        ]
        out.append(
            BlindParticipant(
                p.id,
                p.code,
                p.patient_id,
                f"{patient.given_name} {patient.family_name}",
                anchor,
                states,
                tuple(guessed.get(p.id, ())),
            )
        )
    return out


def visit_values(
    uow: UnitOfWork, people: list[ParticipantRow], definition: TrialDefinition
) -> dict[tuple[int, str], tuple[date, float | None]]:
    """(date, value) of the trial instrument per (participant id, visit code).

    Baseline: the latest assessment at the baseline timepoint on or before randomisation.
    Follow-up: the first at the visit's timepoint on or after randomisation; clinic assessments
    made before randomisation are not trial follow-ups.
    """
    by_episode = {p.episode_id: p for p in people}
    visits_of: dict[str, list[str]] = {}
    for code, timepoint in definition.visit_timepoints.items():
        visits_of.setdefault(timepoint, []).append(code)
    out: dict[tuple[int, str], tuple[date, float | None]] = {}
    for o in repo.outcomes(uow.session, list(by_episode), definition.instrument):
        p = by_episode[o.episode_id]
        anchor = p.randomised_on
        for code in visits_of.get(o.timepoint, []):
            key = (p.id, code)
            if code == "baseline":
                if anchor is None or o.assessed_on <= anchor:
                    out[key] = (o.assessed_on, o.value)  # ascending dates: the latest wins
            elif anchor is not None and o.assessed_on >= anchor and key not in out:
                out[key] = (o.assessed_on, o.value)
    return out


def visit_tracker(uow: UnitOfWork, trial_id: int) -> list[BlindParticipant]:
    """Every randomised participant's visit states today (no arms, for assessor and manager)."""
    _require_tracker(uow)
    trial = uow.get(TrialRow, trial_id, "trial")
    people = [p for p in repo.participants(uow.session, trial_id) if p.status == Status.RANDOMISED]
    out = _blind(uow, trial, people, uow.clock.today())
    uow.audit("trial.visits.read", f"trial:{trial_id}", {"participants": len(out)})
    uow.commit()
    return out


def blind_participant(uow: UnitOfWork, trial_id: int, participant_id: int) -> BlindParticipant:
    _require_tracker(uow)
    trial = uow.get(TrialRow, trial_id, "trial")
    p = participant_row(uow, trial_id, participant_id)
    if p.status != Status.RANDOMISED:
        raise InvalidInput.one("participant", p.code, "a randomised participant")
    [found] = _blind(uow, trial, [p], uow.clock.today())
    uow.audit("trial.participant.read", f"patient:{p.patient_id}", {"participant": p.code})
    uow.commit()
    return found


def guess_choices(definition: TrialDefinition) -> list[tuple[str, str]]:
    return [(a, definition.arm_labels[a]) for a in definition.arms] + [(DONT_KNOW, "Don't know")]


def record_assessment(
    uow: UnitOfWork,
    trial_id: int,
    participant_id: int,
    *,
    visit: str,
    assessed_on: date,
    responses: dict[str, Any],
    guess: str | None,
) -> int:
    """Store the trial instrument at ``visit`` and, at follow-up, the assessor's arm guess.

    One transaction: an invalid response or guess stores nothing. Returns the outcome id.
    """
    require(uow.actor, "trial.assess")
    trial = uow.get(TrialRow, trial_id, "trial")
    definition = definition_of(trial)
    p = participant_row(uow, trial_id, participant_id)
    if p.status != Status.RANDOMISED:
        raise InvalidInput.one("participant", p.code, "a randomised participant")
    codes = [v.code for v in definition.schedule.visits]
    if visit not in codes:
        raise InvalidInput.one("visit", visit, ", ".join(codes))
    if visit != "baseline":
        choices = [*definition.arms, DONT_KNOW]
        if guess is None:
            raise InvalidInput.one("guess", None, ", ".join(choices), "a guess is due at follow-up")
        checked = record_guess(
            participant_id=p.code,
            visit=visit,
            guess=guess,
            assessor=uow.actor.label,
            at=uow.clock.now(),
            arms=definition.arms,
        )
        if any(
            g.participant_id == p.id and g.visit == visit
            for g in repo.guesses(uow.session, trial_id)
        ):
            raise Conflict(f"a guess for {p.code} at {visit} is already recorded")
        uow.add(
            GuessRow(
                participant_id=p.id,
                visit=visit,
                guess=checked.guess,
                assessor=checked.assessor,
                at=checked.at,
            )
        )
    try:
        recorded = outcomes.record_outcome(
            uow,
            p.episode_id,
            {
                "timepoint": definition.visit_timepoints[visit],
                "instrument": definition.instrument,
                "assessed_on": assessed_on.isoformat(),
                "responses": responses,
            },
        )  # commits the guess with the outcome
    except Exception:
        uow.session.rollback()  # the pending guess must not ride on a later commit
        raise
    return recorded.id


def mark_missed(
    uow: UnitOfWork, trial_id: int, participant_id: int, visit: str, reason: str
) -> None:
    require(uow.actor, "trial.manage")
    p = participant_row(uow, trial_id, participant_id)
    row = next((r for r in repo.visits(uow.session, [p.id]) if r.visit == visit), None)
    if row is None:
        raise InvalidInput.one("visit", visit, "a scheduled visit of this participant")
    if len(reason.strip()) < 5:
        raise InvalidInput.one("reason", reason, "at least 5 characters")
    row.missed_reason = reason.strip()[:400]
    uow.flush()
    uow.audit(
        "trial.visit.missed", f"patient:{p.patient_id}", {"participant": p.code, "visit": visit}
    )
    uow.commit()
