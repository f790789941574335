"""Measure calculator pages (work without JavaScript) and the JSON scoring API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hipback import measures
from hipback.errors import InvalidInput, Problem
from hipback.measures.questionnaire import Questionnaire
from hipback.web.deps import OptionalUser, landing_page
from hipback.web.forms import field_errors, patient_from_form, responses_from_form
from hipback.web.templating import render

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/measures", tags=["measures"])


def _instrument_info(measure: measures.Measure) -> dict[str, Any]:
    spec = measure.spec
    return {
        "id": spec.id,
        "name": spec.name,
        "short_name": spec.short_name,
        "version": spec.version,
        "kind": spec.kind,
        "unit": spec.unit,
        "range": [spec.score_min, spec.score_max],
        "direction": spec.direction,
        "higher_is": (
            "depends on the score"
            if len(set(spec.subscore_directions.values())) > 1
            else ("worse" if spec.direction == "higher_is_worse" else "better")
        ),
        "summary": spec.summary,
        "missing_rule": spec.missing_rule,
        "inputs": spec.inputs,
        "items": [{"id": i.id, "topic": i.topic, "min": i.min, "max": i.max} for i in spec.items],
        "loinc": spec.loinc.code if spec.loinc else None,
        "licence": {"status": spec.licence.status, "holder": spec.licence.holder},
        "scoring_confidence": spec.scoring_source.confidence.value,
    }


def score_payload(result: measures.Score, patient: dict[str, Any] | None) -> dict[str, Any]:
    out = result.as_dict()
    out["interpretation"] = measures.interpret(result, patient)
    return out


@router.get("/")
def home(user: OptionalUser) -> RedirectResponse:
    if user is None:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse(landing_page(user.actor), status_code=303)


@router.get("/measures", response_class=HTMLResponse)
def measure_index(request: Request, user: OptionalUser) -> Response:
    rows = [_instrument_info(m) for m in measures.all_measures()]
    return render(request, "measures/index.html", {"instruments": rows, "user": user})


def _render_calculator(
    request: Request,
    measure: measures.Measure,
    form: dict[str, str],
    *,
    result: dict[str, Any] | None = None,
    comparison: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
    user: Any = None,
) -> Response:
    return render(
        request,
        "measures/calculator.html",
        {
            "m": _instrument_info(measure),
            "spec": measure.spec,
            "fields": measure.fields(),
            "is_questionnaire": isinstance(measure, Questionnaire),
            "form": form,
            "result": result,
            "comparison": comparison,
            "errors": errors or {},
            "user": user,
        },
        status,
    )


@router.get("/measures/{instrument}", response_class=HTMLResponse)
def calculator(request: Request, instrument: str, user: OptionalUser) -> Response:
    return _render_calculator(request, measures.get(instrument), {}, user=user)


@router.post("/measures/{instrument}", response_class=HTMLResponse)
async def calculate(request: Request, instrument: str, user: OptionalUser) -> Response:
    measure = measures.get(instrument)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    errors: dict[str, str] = {}
    try:
        patient = patient_from_form(form)
        measures.Patient.from_mapping(patient)
    except InvalidInput as exc:
        errors.update(field_errors(exc))
        patient = None
    before = responses_from_form(measure, form, "before_")
    after = responses_from_form(measure, form, "after_")
    if before is None:
        errors.setdefault("before_", "Enter the responses to score.")
    scored: dict[str, measures.Score] = {}
    for prefix, responses in (("before_", before), ("after_", after)):
        if responses is None:
            continue
        try:
            scored[prefix] = measure.score(responses)
        except InvalidInput as exc:
            errors.update(field_errors(exc, prefix))
    if errors:
        return _render_calculator(request, measure, form, errors=errors, status=422, user=user)
    result = score_payload(scored["before_"], patient)
    comparison = None
    if "after_" in scored and before is not None and after is not None:
        try:
            comparison = measures.compare(instrument, before, after, patient).as_dict()
        except InvalidInput as exc:
            comparison = {"refused": str(exc)}
        comparison["after"] = score_payload(scored["after_"], patient)
    return _render_calculator(
        request, measure, form, result=result, comparison=comparison, user=user
    )


@api.get("", summary="List the instruments hipback can score")
def list_instruments() -> list[dict[str, Any]]:
    return [_instrument_info(m) for m in measures.all_measures()]


@api.post("/{instrument}/score", summary="Score one response object")
def score_api(
    instrument: str,
    responses: Annotated[dict[str, Any], Body(description="The instrument's input object.")],
    age: Annotated[float | None, Query(description="Patient age (years), for norms.")] = None,
    sex: Annotated[str | None, Query(description="'female' or 'male', for norms.")] = None,
) -> dict[str, Any]:
    """Same input and output as ``hipback score INSTRUMENT``; 422 names each bad field."""
    patient = {k: v for k, v in (("age", age), ("sex", sex)) if v is not None} or None
    measures.Patient.from_mapping(patient)
    return score_payload(measures.score(instrument, responses), patient)


@api.post("/{instrument}/compare", summary="Judge the change between two response objects")
def compare_api(
    instrument: str,
    payload: Annotated[
        dict[str, Any],
        Body(description='{"before": {...}, "after": {...}, "patient": {"age", "sex"}}'),
    ],
) -> dict[str, Any]:
    problems = [
        Problem(k, None, "a response object", "required")
        for k in ("before", "after")
        if not isinstance(payload.get(k), dict)
    ]
    if problems:
        raise InvalidInput(problems)
    patient = payload.get("patient")
    if patient is not None and not isinstance(patient, dict):
        raise InvalidInput.one("patient", patient, "an object with age and sex")
    return measures.compare(instrument, payload["before"], payload["after"], patient).as_dict()
