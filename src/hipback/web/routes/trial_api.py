"""JSON API for trial mode (same services, same masking as the pages)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query

from hipback.errors import InvalidInput
from hipback.services import trial as trial_svc
from hipback.services import trial_randomise, trial_results, trial_safety, trial_visits
from hipback.web.deps import Csrf, Id, Uow

api = APIRouter(prefix="/api/trials", tags=["trial"])


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "value") and isinstance(value.value, str):
        return value.value
    return value


@api.get("", summary="Trials (public facts: commitment, arms, visits)")
def api_trials(uow: Uow) -> list[dict[str, Any]]:
    return [_jsonable(asdict(t)) for t in trial_svc.list_trials(uow)]


@api.get("/{trial_id}/commitment", summary="The commitment published before the first enrolment")
def api_commitment(trial_id: Id, uow: Uow) -> dict[str, Any]:
    return trial_svc.commitment_document(uow, trial_id)


@api.get("/{trial_id}/participants", summary="Screening log and enrolment (trial manager)")
def api_participants(trial_id: Id, uow: Uow) -> list[dict[str, Any]]:
    return [_jsonable(asdict(p)) for p in trial_svc.participant_views(uow, trial_id)]


@api.post("/{trial_id}/participants", dependencies=[Csrf], status_code=201)
def api_screen(trial_id: Id, uow: Uow, body: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    consented = body.get("consented_on")
    try:
        on = date.fromisoformat(str(consented)) if consented else None
        patient_id = int(body.get("patient_id", ""))
    except ValueError:
        raise InvalidInput.one(
            "patient_id / consented_on", body, "an integer patient_id and a YYYY-MM-DD date"
        ) from None
    view = trial_svc.screen_patient(
        uow,
        trial_id,
        patient_id,
        consented_on=on,
        declined_reason=str(body.get("declined_reason", "")),
    )
    return _jsonable(asdict(view))  # type: ignore[no-any-return]


@api.post(
    "/{trial_id}/participants/{participant_id}/randomise", dependencies=[Csrf], status_code=201
)
def api_randomise(trial_id: Id, participant_id: Id, uow: Uow) -> dict[str, Any]:
    return asdict(trial_randomise.randomise(uow, trial_id, participant_id))


@api.get("/{trial_id}/allocations", summary="Randomisation log with arms (trial manager)")
def api_allocations(trial_id: Id, uow: Uow) -> list[dict[str, Any]]:
    return [asdict(a) for a in trial_randomise.allocation_log(uow, trial_id)]


@api.get("/{trial_id}/visits", summary="Visit tracker (no arms; assessor and trial manager)")
def api_visits(trial_id: Id, uow: Uow) -> list[dict[str, Any]]:
    return [
        {
            "id": p.id,
            "code": p.code,
            "patient_id": p.patient_id,
            "randomised_on": p.randomised_on.isoformat(),
            "visits": [v.as_dict() for v in p.visits],
            "guessed": list(p.guessed),
        }
        for p in trial_visits.visit_tracker(uow, trial_id)
    ]


@api.post(
    "/{trial_id}/participants/{participant_id}/assessments", dependencies=[Csrf], status_code=201
)
def api_assess(
    trial_id: Id, participant_id: Id, uow: Uow, body: Annotated[dict[str, Any], Body()]
) -> dict[str, Any]:
    try:
        on = date.fromisoformat(str(body.get("assessed_on", "")))
    except ValueError:
        raise InvalidInput.one("assessed_on", body.get("assessed_on"), "YYYY-MM-DD") from None
    outcome_id = trial_visits.record_assessment(
        uow,
        trial_id,
        participant_id,
        visit=str(body.get("visit", "")),
        assessed_on=on,
        responses=dict(body.get("responses") or {}),
        guess=None if body.get("guess") is None else str(body["guess"]),
    )
    return {"outcome_id": outcome_id}


@api.get("/{trial_id}/consort", summary="CONSORT counts from live data (unblinded)")
def api_consort(trial_id: Id, uow: Uow) -> dict[str, object]:
    flow, _ = trial_results.consort(uow, trial_id)
    return flow.as_dict()


@api.get("/{trial_id}/analysis", summary="MMRM contrasts, LS means, covariance (unblinded)")
def api_analysis(
    trial_id: Id,
    uow: Uow,
    reference: Annotated[str | None, Query(max_length=40)] = None,
    instrument: Annotated[str | None, Query(max_length=40)] = None,
) -> dict[str, object]:
    return trial_results.analyse(uow, trial_id, reference, instrument)


@api.get("/{trial_id}/table1", summary="Baseline characteristics by arm (unblinded)")
def api_table1(trial_id: Id, uow: Uow) -> dict[str, object]:
    return trial_results.baseline_table(uow, trial_id).as_dict()


@api.get("/{trial_id}/blinding-index", summary="Bang blinding index by visit and arm")
def api_bang(trial_id: Id, uow: Uow) -> dict[str, Any]:
    return trial_results.blinding_index(uow, trial_id)


@api.get("/{trial_id}/safety", summary="Adverse events, deviations and unblindings")
def api_safety(trial_id: Id, uow: Uow) -> dict[str, Any]:
    return {
        "adverse_events": trial_safety.adverse_events(uow, trial_id),
        "deviations": [_jsonable(asdict(d)) for d in trial_safety.deviations(uow, trial_id)],
        "unblindings": trial_safety.unblindings(uow, trial_id),
    }
