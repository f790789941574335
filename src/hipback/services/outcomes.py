"""Outcome assessments by timepoint: score on entry, store raw responses beside the result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from hipback import measures
from hipback.clinic.access import require
from hipback.clinic.records import OutcomeEntry, validate
from hipback.db.repositories import views
from hipback.db.repositories.views import EpisodeView, OutcomeView, PatientView
from hipback.db.tables import EpisodeRow, OutcomeRow, PatientRow
from hipback.db.uow import UnitOfWork
from hipback.errors import InvalidInput
from hipback.services.patients import age_on


@dataclass(frozen=True)
class RecordedOutcome:
    id: int
    timepoint: str
    instrument: str
    assessed_on: date
    value: float | None
    result: dict[str, Any]


def record_outcome(uow: UnitOfWork, episode_id: int, data: dict[str, Any]) -> RecordedOutcome:
    """Score and store one instrument at one timepoint. Invalid responses store nothing."""
    episode = uow.get(EpisodeRow, episode_id, "episode")
    require(uow.actor, "outcome.write", episode.patient_id)
    entry = validate(OutcomeEntry, data)
    if entry.instrument not in measures.ids():
        raise InvalidInput.one(
            "instrument", entry.instrument, "one of " + ", ".join(measures.ids())
        )
    try:
        score = measures.score(entry.instrument, entry.responses)
    except InvalidInput as exc:
        raise InvalidInput(
            type(p)(f"responses.{p.field}", p.value, p.allowed, p.message) for p in exc.problems
        ) from None
    patient = uow.get(PatientRow, episode.patient_id, "patient")
    who = {"age": age_on(patient.birth_date, entry.assessed_on), "sex": patient.sex}
    result = score.as_dict() | {"interpretation": measures.interpret(score, who)}
    row = OutcomeRow(
        episode_id=episode_id,
        timepoint=entry.timepoint.value,
        instrument=entry.instrument,
        assessed_on=entry.assessed_on,
        responses=dict(entry.responses),
        value=score.value,
        result=result,
        assessed_by=uow.actor.user_id,
    )
    uow.add(row)
    uow.flush()
    uow.audit(
        "outcome.recorded",
        f"patient:{episode.patient_id}",
        {"outcome": row.id, "instrument": row.instrument, "timepoint": row.timepoint},
    )
    uow.commit()
    return RecordedOutcome(
        row.id, row.timepoint, row.instrument, row.assessed_on, row.value, row.result
    )


@dataclass(frozen=True)
class OutcomeSeries:
    """One instrument's results over an episode, with the change from the first to the last."""

    instrument: str
    name: str
    unit: str
    direction: str
    points: list[RecordedOutcome]
    change: dict[str, Any] | None


def outcome_history(uow: UnitOfWork, episode_id: int) -> list[OutcomeSeries]:
    episode = uow.get(EpisodeRow, episode_id, "episode")
    require(uow.actor, "outcome.read", episode.patient_id)
    series = series_for(uow, episode, uow.get(PatientRow, episode.patient_id, "patient"))
    uow.audit("outcome.read", f"patient:{episode.patient_id}", {"episode": episode_id})
    uow.commit()
    return series


def series_for(
    uow: UnitOfWork, episode: EpisodeRow | EpisodeView, patient: PatientRow | PatientView
) -> list[OutcomeSeries]:
    """Each instrument's results over the episode (no permission check, no audit: callers do)."""
    by_instrument: dict[str, list[OutcomeView]] = {}
    for row in views.outcomes(uow.session, episode.id):
        by_instrument.setdefault(row.instrument, []).append(row)
    series = []
    for instrument, items in by_instrument.items():
        spec = measures.get(instrument).spec
        change = None
        if len(items) >= 2:
            first, last = items[0], items[-1]
            who = {"age": age_on(patient.birth_date, last.assessed_on), "sex": patient.sex}
            try:
                change = measures.compare(
                    instrument, first.responses, last.responses, who
                ).as_dict()
            except InvalidInput:
                change = None  # no published threshold for this instrument
        series.append(
            OutcomeSeries(
                instrument=instrument,
                name=spec.name,
                unit=spec.unit,
                direction=spec.direction,
                points=[
                    RecordedOutcome(
                        r.id, r.timepoint, r.instrument, r.assessed_on, r.value, r.result
                    )
                    for r in items
                ],
                change=change,
            )
        )
    return series
