"""Evaluation form (generated from the model's schema) → screening result with reasons."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from fastapi.responses import RedirectResponse, Response

from hipback.clinic.access import require
from hipback.errors import InvalidInput
from hipback.screening import evaluation_schema
from hipback.services import evaluations
from hipback.services.episodes import patient_overview
from hipback.web import schemaform
from hipback.web.deps import Csrf, CurrentUser, Id, Uow
from hipback.web.forms import field_errors
from hipback.web.templating import render

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/patients", tags=["evaluations"])
SKIP = ("schema_version", "baseline_measures", "patient.id")


def _form() -> schemaform.FormSection:
    return schemaform.build(evaluation_schema(), skip=SKIP)


@router.get("/patients/{patient_id}/evaluation")
def evaluation_form(request: Request, patient_id: Id, uow: Uow, user: CurrentUser) -> Response:
    require(user.actor, "evaluation.write", patient_id)
    o = patient_overview(uow, patient_id)
    latest = evaluations.latest_evaluation(uow, o.episode_id)
    form = schemaform.flatten(latest.data) if latest else {}
    form.setdefault("patient.age_years", str(o.patient.age))
    form.setdefault("patient.sex", o.patient.sex)
    form.setdefault("assessed_on", date.today().isoformat())
    return render(
        request,
        "evaluations/form.html",
        {"user": user, "o": o, "section": _form(), "form": form, "errors": {}},
    )


@router.post("/patients/{patient_id}/evaluation", dependencies=[Csrf])
async def submit_evaluation(
    request: Request, patient_id: Id, uow: Uow, user: CurrentUser
) -> Response:
    o = patient_overview(uow, patient_id)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    section = _form()
    data = schemaform.parse(section, form)
    data.setdefault("patient", {})["id"] = o.patient.mrn
    try:
        stored = evaluations.record_evaluation(uow, o.episode_id, data)
    except InvalidInput as exc:
        return render(
            request,
            "evaluations/form.html",
            {"user": user, "o": o, "section": section, "form": form, "errors": field_errors(exc)},
            422,
        )
    return RedirectResponse(f"/patients/{patient_id}/evaluations/{stored.id}", status_code=303)


@router.get("/patients/{patient_id}/evaluations/{evaluation_id}")
def screening_result(
    request: Request, patient_id: Id, evaluation_id: Id, uow: Uow, user: CurrentUser
) -> Response:
    o = patient_overview(uow, patient_id)
    stored = evaluations.require_evaluation(uow, evaluation_id, patient_id)
    return render(
        request,
        "evaluations/result.html",
        {"user": user, "o": o, "ev": stored, "r": stored.screening},
    )


@api.post(
    "/{patient_id}/evaluations",
    summary="Record an evaluation and screen it",
    dependencies=[Csrf],
    status_code=201,
)
def api_evaluation(
    patient_id: Id, uow: Uow, body: Annotated[dict[str, Any], Body()]
) -> dict[str, Any]:
    o = patient_overview(uow, patient_id)
    stored = evaluations.record_evaluation(uow, o.episode_id, body)
    return {"id": stored.id, "decision": stored.decision, "screening": stored.screening}
