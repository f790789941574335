"""Unblinding events, adverse events with adjudication, and protocol deviations.

Deliberate unblinding (emergency, safety, end of trial) is entered by the trial manager on behalf
of a named authoriser whose role may authorise it (:data:`hipback.trial.blinding.
UNBLINDING_AUTHORISERS`); an assessor may report their own *accidental* unblinding. Neither
response contains an arm: the event records who learned it and why, the system reveals nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from hipback.clinic.access import can, require
from hipback.db.repositories import trial as repo
from hipback.db.tables import AdverseEventRow, DeviationRow, TrialRow, UnblindingRow
from hipback.db.uow import UnitOfWork
from hipback.errors import InvalidInput, NotFound, PermissionDenied
from hipback.services.trial import definition_of, participant_row
from hipback.services.trial_visits import visit_values
from hipback.trial.blinding import Role as BlindRole
from hipback.trial.blinding import record_unblinding
from hipback.trial.deviations import record_deviation, window_deviations
from hipback.trial.safety import AdverseEvent, adjudicate, report_adverse_event
from hipback.trial.windows import visit_state


def _blind_role(value: str, field: str) -> BlindRole:
    try:
        return BlindRole(value)
    except ValueError:
        raise InvalidInput.one(field, value, ", ".join(r.value for r in BlindRole)) from None


def unblind(
    uow: UnitOfWork,
    trial_id: int,
    participant_id: int,
    *,
    kind: str,
    reason: str,
    revealed_to: str,
    revealed_to_role: str,
    authorised_by: str,
    authoriser_role: str,
) -> int:
    """Log an unblinding; returns its id. Assessors may only report an accidental one."""
    if can(uow.actor, "trial.unblind"):
        who, role = authorised_by, _blind_role(authoriser_role, "authoriser_role")
    elif can(uow.actor, "trial.assess"):
        if kind != "accidental":
            raise PermissionDenied("an assessor may only report an accidental unblinding")
        who, role = uow.actor.label, BlindRole.ASSESSOR
        revealed_to, revealed_to_role = uow.actor.label, BlindRole.ASSESSOR.value
    else:
        raise PermissionDenied(f"{uow.actor.role.value} may not record unblinding")
    p = participant_row(uow, trial_id, participant_id)
    event = record_unblinding(
        participant_id=p.code,
        kind=kind,
        reason=reason,
        revealed_to=revealed_to,
        revealed_to_role=_blind_role(revealed_to_role, "revealed_to_role"),
        recorded_by=who,
        recorded_by_role=role,
        at=uow.clock.now(),
    )
    row = UnblindingRow(
        participant_id=p.id,
        kind=event.kind,
        reason=event.reason,
        revealed_to=event.revealed_to,
        revealed_to_role=event.revealed_to_role.value,
        recorded_by=event.recorded_by,
        recorded_by_role=event.recorded_by_role.value,
        entered_by=uow.actor.label,
        at=event.at,
    )
    uow.add(row)
    uow.flush()
    uow.audit(
        "trial.unblinding",
        f"patient:{p.patient_id}",
        {"participant": p.code, "kind": kind, "revealed_to": event.revealed_to},
    )
    uow.commit()
    return row.id


def unblindings(uow: UnitOfWork, trial_id: int) -> list[dict[str, Any]]:
    require(uow.actor, "trial.manage")
    codes = {p.id: p.code for p in repo.participants(uow.session, trial_id)}
    return [
        {
            "participant": codes[r.participant_id],
            "kind": r.kind,
            "reason": r.reason,
            "revealed_to": f"{r.revealed_to} ({r.revealed_to_role})",
            "authorised_by": f"{r.recorded_by} ({r.recorded_by_role})",
            "entered_by": r.entered_by,
            "at": r.at.isoformat(),
        }
        for r in repo.unblindings(uow.session, trial_id)
    ]


def _event(row: AdverseEventRow) -> AdverseEvent:
    d = row.data
    event = report_adverse_event(
        event_id=str(d["event_id"]),
        participant_id=str(d["participant_id"]),
        onset=date.fromisoformat(str(d["onset"])),
        description=str(d["description"]),
        severity=str(d["severity"]),
        seriousness=list(d["seriousness"]),
        relatedness=str(d["relatedness"]),
        expectedness=str(d["expectedness"]),
        reported_by=str(d["reported_by"]),
        reported_on=date.fromisoformat(str(d["reported_on"])),
    )
    a = d.get("adjudication")
    if a:
        event = adjudicate(
            event,
            adjudicator=str(a["adjudicator"]),
            on=date.fromisoformat(str(a["on"])),
            relatedness=str(a["relatedness"]),
            expectedness=str(a["expectedness"]),
            seriousness=list(a["seriousness"]),
            rationale=str(a["rationale"]),
        )
    return event


def report_ae(
    uow: UnitOfWork, trial_id: int, participant_id: int, data: dict[str, Any]
) -> dict[str, object]:
    require(uow.actor, "trial.manage")
    p = participant_row(uow, trial_id, participant_id)
    count = len(repo.adverse_events(uow.session, trial_id))
    try:
        onset = date.fromisoformat(str(data.get("onset", "")))
    except ValueError:
        raise InvalidInput.one("onset", data.get("onset"), "a date YYYY-MM-DD") from None
    event = report_adverse_event(
        event_id=f"AE{count + 1:03d}",
        participant_id=p.code,
        onset=onset,
        description=str(data.get("description", "")),
        severity=str(data.get("severity", "")),
        seriousness=list(data.get("seriousness") or []),
        relatedness=str(data.get("relatedness", "")),
        expectedness=str(data.get("expectedness", "")),
        reported_by=uow.actor.label,
        reported_on=uow.clock.today(),
    )
    row = AdverseEventRow(participant_id=p.id, state=event.state, data=event.as_dict())
    uow.add(row)
    uow.flush()
    uow.audit("trial.ae.reported", f"patient:{p.patient_id}", {"event": event.event_id})
    uow.commit()
    return event.as_dict() | {"id": row.id}


def adjudicate_ae(
    uow: UnitOfWork, trial_id: int, event_id: int, data: dict[str, Any]
) -> dict[str, object]:
    require(uow.actor, "trial.manage")
    row = uow.session.get(AdverseEventRow, event_id)
    if row is None:
        raise NotFound(f"adverse event {event_id} not found")
    p = participant_row(uow, trial_id, row.participant_id)
    event = adjudicate(
        _event(row),
        adjudicator=str(data.get("adjudicator", "")),
        on=uow.clock.today(),
        relatedness=str(data.get("relatedness", "")),
        expectedness=str(data.get("expectedness", "")),
        seriousness=list(data.get("seriousness") or []),
        rationale=str(data.get("rationale", "")),
    )
    row.data = event.as_dict()
    row.state = event.state
    uow.flush()
    uow.audit("trial.ae.adjudicated", f"patient:{p.patient_id}", {"event": event.event_id})
    uow.commit()
    return event.as_dict() | {"id": row.id}


def adverse_events(uow: UnitOfWork, trial_id: int) -> list[dict[str, object]]:
    require(uow.actor, "trial.manage")
    return [_event(r).as_dict() | {"id": r.id} for r in repo.adverse_events(uow.session, trial_id)]


def add_deviation(
    uow: UnitOfWork, trial_id: int, participant_id: int, data: dict[str, Any]
) -> None:
    require(uow.actor, "trial.manage")
    p = participant_row(uow, trial_id, participant_id)
    try:
        occurred = date.fromisoformat(str(data.get("occurred_on", "")))
    except ValueError:
        raise InvalidInput.one(
            "occurred_on", data.get("occurred_on"), "a date YYYY-MM-DD"
        ) from None
    d = record_deviation(
        participant_id=p.code,
        category=str(data.get("category", "")),
        description=str(data.get("description", "")),
        occurred_on=occurred,
        severity=str(data.get("severity", "")),
        reported_by=uow.actor.label,
    )
    uow.add(
        DeviationRow(
            participant_id=p.id,
            category=d.category.value,
            severity=d.severity,
            description=d.description,
            occurred_on=d.occurred_on,
            reported_by=d.reported_by,
        )
    )
    uow.flush()
    uow.audit("trial.deviation", f"patient:{p.patient_id}", {"participant": p.code})
    uow.commit()


@dataclass(frozen=True)
class DeviationLine:
    participant: str
    category: str
    severity: str
    description: str
    occurred_on: date
    detected: str


def deviations(uow: UnitOfWork, trial_id: int) -> list[DeviationLine]:
    """Manual deviations plus those implied by visit windows (out of window, missed)."""
    require(uow.actor, "trial.manage")
    trial = uow.get(TrialRow, trial_id, "trial")
    definition = definition_of(trial)
    windows = {v.code: v for v in definition.schedule.visits}
    people = repo.participants(uow.session, trial_id)
    codes = {p.id: p.code for p in people}
    out = [
        DeviationLine(
            codes[r.participant_id], r.category, r.severity, r.description, r.occurred_on, "manual"
        )
        for r in repo.deviations(uow.session, trial_id)
    ]
    done = {key: on for key, (on, _) in visit_values(uow, people, definition).items()}
    by_id = {p.id: p for p in people}
    today = uow.clock.today()
    states: dict[int, list[Any]] = {}
    for v in repo.visits(uow.session, list(by_id)):
        p = by_id[v.participant_id]
        if p.randomised_on is None or v.visit == "baseline":
            continue
        completed = done.get((p.id, v.visit))
        states.setdefault(p.id, []).append(
            visit_state(
                windows[v.visit], p.randomised_on, today, completed, v.missed_reason is not None
            )
        )
    for pid, items in states.items():
        out += [
            DeviationLine(
                d.participant_id,
                d.category.value,
                d.severity,
                d.description,
                d.occurred_on,
                "automatic",
            )
            for d in window_deviations(codes[pid], items)
        ]
    return out
