"""Therapist workspace: patient list with search, intake, patient page, outcome entry."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import RedirectResponse, Response

from hipback import measures
from hipback.clinic.access import require
from hipback.clinic.records import Timepoint
from hipback.errors import InvalidInput
from hipback.services import exercise_logs, outcomes, patients
from hipback.services.episodes import patient_overview
from hipback.web.charts import series_chart
from hipback.web.deps import Csrf, CurrentUser, Id, Uow
from hipback.web.forms import field_errors, responses_from_form
from hipback.web.htmx import is_partial
from hipback.web.templating import render

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/patients", tags=["patients"])

PAGE = 25


@router.get("/patients")
def patient_list(
    request: Request,
    uow: Uow,
    user: CurrentUser,
    q: Annotated[str, Query(max_length=100)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    rows, total = patients.search_patients(uow, q, limit=PAGE, offset=(page - 1) * PAGE)
    context = {
        "rows": rows,
        "total": total,
        "q": q,
        "page": page,
        "pages": max(1, -(-total // PAGE)),
        "user": user,
    }
    name = "patients/_rows.html" if is_partial(request) else "patients/list.html"
    return render(request, name, context)


@router.get("/patients/new")
def new_patient_form(request: Request, user: CurrentUser) -> Response:
    require(user.actor, "patient.create")
    return render(request, "patients/new.html", {"user": user, "form": {}, "errors": {}})


@router.post("/patients/new", dependencies=[Csrf])
async def create_patient(request: Request, uow: Uow, user: CurrentUser) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    data = {
        k: form.get(k, "").strip()
        for k in ("given_name", "family_name", "birth_date", "sex", "mrn", "phone")
    }
    if not data["phone"]:
        data.pop("phone")
    try:
        created = patients.create_patient(uow, data)
    except InvalidInput as exc:
        return render(
            request,
            "patients/new.html",
            {"user": user, "form": form, "errors": field_errors(exc)},
            422,
        )
    return RedirectResponse(f"/patients/{created.id}", status_code=303)


@router.get("/patients/{patient_id}")
def patient_page(request: Request, patient_id: Id, uow: Uow, user: CurrentUser) -> Response:
    overview = patient_overview(uow, patient_id)
    charts = [
        series_chart(s, overview.patient.age, overview.patient.sex) for s in overview.outcomes
    ]
    return render(
        request,
        "patients/detail.html",
        {
            "user": user,
            "o": overview,
            "charts": charts,
            "timepoints": list(Timepoint),
            "instruments": measures.all_measures(),
        },
    )


@router.get("/patients/{patient_id}/outcomes/new")
def outcome_form(
    request: Request,
    patient_id: Id,
    uow: Uow,
    user: CurrentUser,
    instrument: Annotated[str, Query(max_length=40)] = "qbpds",
    timepoint: Annotated[str, Query(max_length=20)] = "baseline",
) -> Response:
    require(user.actor, "outcome.write", patient_id)
    measure = measures.get(instrument)
    overview = patient_overview(uow, patient_id)
    return _outcome_page(request, user, overview, measure, {"timepoint": timepoint}, {})


def _outcome_page(
    request: Request,
    user: Any,
    overview: Any,
    measure: measures.Measure,
    form: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    from hipback.measures.questionnaire import Questionnaire

    return render(
        request,
        "patients/outcome.html",
        {
            "user": user,
            "o": overview,
            "spec": measure.spec,
            "m": {"id": measure.id},
            "fields": measure.fields(),
            "is_questionnaire": isinstance(measure, Questionnaire),
            "form": form,
            "errors": errors,
            "timepoints": list(Timepoint),
            "prefix": "before_",
        },
        status,
    )


@router.post("/patients/{patient_id}/outcomes/new", dependencies=[Csrf])
async def record_outcome(request: Request, patient_id: Id, uow: Uow, user: CurrentUser) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    measure = measures.get(form.get("instrument", ""))
    overview = patient_overview(uow, patient_id)
    responses = responses_from_form(measure, form, "before_") or {}
    try:
        outcomes.record_outcome(
            uow,
            overview.episode_id,
            {
                "timepoint": form.get("timepoint", ""),
                "instrument": measure.id,
                "assessed_on": form.get("assessed_on", ""),
                "responses": responses,
            },
        )
    except InvalidInput as exc:
        errors = field_errors(exc, prefix="before_", strip="responses.")
        return _outcome_page(request, user, overview, measure, form, errors, 422)
    return RedirectResponse(f"/patients/{patient_id}#outcomes", status_code=303)


@api.get("", summary="Search patients (name or record number)")
def api_list(
    uow: Uow,
    q: Annotated[str, Query(max_length=100)] = "",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    rows, total = patients.search_patients(uow, q, limit=limit, offset=offset)
    return {
        "total": total,
        "patients": [r.__dict__ | {"birth_date": r.birth_date.isoformat()} for r in rows],
    }


@api.post(
    "",
    summary="Register a patient (opens an episode of care)",
    dependencies=[Csrf],
    status_code=201,
)
def api_create(uow: Uow, body: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    created = patients.create_patient(uow, body)
    return created.__dict__ | {"birth_date": created.birth_date.isoformat()}


@api.post(
    "/{patient_id}/outcomes",
    summary="Record and score an outcome assessment",
    dependencies=[Csrf],
    status_code=201,
)
def api_outcome(
    patient_id: Id, uow: Uow, body: Annotated[dict[str, Any], Body()]
) -> dict[str, Any]:
    overview = patient_overview(uow, patient_id)
    rec = outcomes.record_outcome(uow, overview.episode_id, body)
    return rec.__dict__ | {"assessed_on": rec.assessed_on.isoformat()}


@api.post(
    "/{patient_id}/exercise-logs",
    summary="Log a home exercise",
    dependencies=[Csrf],
    status_code=201,
)
def api_log(patient_id: Id, uow: Uow, body: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    line = exercise_logs.log_exercise(uow, patient_id, body)
    return line.__dict__ | {"logged_on": line.logged_on.isoformat()}
