"""Plans: create from a screened evaluation, view, document each session, print the HEP."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import RedirectResponse, Response

from hipback.clinic.access import require
from hipback.errors import InvalidInput, Problem
from hipback.services import evaluations, plans
from hipback.services.episodes import patient_overview
from hipback.web.deps import Csrf, CurrentUser, Id, SessionNumber, Uow
from hipback.web.forms import field_errors, parse_number
from hipback.web.templating import render

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["plans"])

RECORD_FIELDS = (
    "sets_done",
    "reps_done",
    "hold_s_done",
    "minutes_done",
    "bouts_done",
    "rpe",
    "pain_before",
    "pain_during",
    "pain_after",
    "pain_next_day",
)


def _date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput.one(field, value, "a date YYYY-MM-DD") from None


def plan_options(request: Request) -> plans.PlanOptions:
    """The clinic's session length and calendar, from the app's settings."""
    s = request.app.state.settings
    return plans.PlanOptions.from_values(
        s.session_minutes, s.country, s.subdivision, s.closure_dates, s.closed_weekdays
    )


@router.post("/patients/{patient_id}/plans", dependencies=[Csrf])
async def create_plan(request: Request, patient_id: Id, uow: Uow) -> Response:
    form = await request.form()
    evaluation_id = parse_number(str(form.get("evaluation_id", "")))
    if not isinstance(evaluation_id, int):
        raise InvalidInput.one("evaluation_id", evaluation_id, "the id of a stored evaluation")
    evaluations.require_evaluation(uow, evaluation_id, patient_id)
    start = _date(str(form.get("start_on", "")), "start_on")
    stored = plans.create_plan(
        uow,
        evaluation_id,
        str(form.get("arm", "")),
        start,
        override_screening=form.get("override_screening") == "yes",
        options=plan_options(request),
    )
    return RedirectResponse(f"/plans/{stored.id}", status_code=303)


@router.get("/plans/{plan_id}")
def plan_page(request: Request, plan_id: Id, uow: Uow, user: CurrentUser) -> Response:
    stored = plans.get_plan(uow, plan_id)
    require(user.actor, "session.read", stored.patient_id)  # clinical reasoning: staff only
    o = patient_overview(uow, stored.patient_id)
    talks = plans.education_so_far(stored.plan, stored.plan.sessions[-1].number)
    return render(
        request,
        "plans/view.html",
        {"user": user, "o": o, "p": stored, "plan": stored.plan, "talks": talks},
    )


@router.get("/plans/{plan_id}/home-program")
def home_program(
    request: Request,
    plan_id: Id,
    uow: Uow,
    user: CurrentUser,
    session: Annotated[int | None, Query(ge=1, le=40)] = None,
) -> Response:
    stored = plans.get_plan(uow, plan_id)
    o = patient_overview(uow, stored.patient_id)
    number = session or next(
        (s.number for s in stored.sessions if s.status == "planned"), stored.sessions[-1].number
    )
    chosen = next(s for s in stored.plan.sessions if s.number == number)
    talks = plans.education_so_far(stored.plan, number)
    return render(
        request,
        "plans/home_program.html",
        {"user": user, "o": o, "p": stored, "s": chosen, "talks": talks},
    )


DOSE_OF = {
    "sets_done": "sets",
    "reps_done": "reps",
    "hold_s_done": "hold_s",
    "minutes_done": "minutes",
    "bouts_done": "bouts",
}


def _relevant(dose: Any) -> list[str]:
    """The record fields worth asking for this item: its dose's parts, effort and pain."""
    return [f for f in RECORD_FIELDS if f not in DOSE_OF or getattr(dose, DOSE_OF[f]) is not None]


def _session_context(user: Any, stored: plans.StoredPlan, number: int) -> dict[str, Any]:
    planned = next((s for s in stored.plan.sessions if s.number == number), None)
    state = next((s for s in stored.sessions if s.number == number), None)
    if planned is None or state is None:
        raise InvalidInput.one("session", number, f"1 to {len(stored.plan.sessions)}")
    items: list[Any] = [i for i in planned.items if i.part != "education"]
    home_ids = {i.id for i in items}
    items += [h for h in planned.home_program if h.id not in home_ids]
    return {
        "user": user,
        "p": stored,
        "planned": planned,
        "education": planned.education,
        "state": state,
        "items": items,
        "item_fields": [_relevant(item.dose) for item in items],
    }


@router.get("/plans/{plan_id}/sessions/{number}")
def session_form(
    request: Request, plan_id: Id, number: SessionNumber, uow: Uow, user: CurrentUser
) -> Response:
    stored = plans.get_plan(uow, plan_id)
    require(user.actor, "session.read", stored.patient_id)
    ctx = _session_context(user, stored, number)
    form: dict[str, str] = {"delivered_on": date.today().isoformat()}
    for i, item in enumerate(ctx["items"]):
        dose = item.dose
        form[f"items.{i}.sets_done"] = str(dose.sets or "")
        form[f"items.{i}.reps_done"] = str(dose.reps or "")
        form[f"items.{i}.hold_s_done"] = str(dose.hold_s or "")
        form[f"items.{i}.minutes_done"] = str(dose.minutes or "")
        form[f"items.{i}.bouts_done"] = str(dose.bouts or "")
    o = patient_overview(uow, stored.patient_id)
    return render(
        request, "plans/session.html", ctx | {"o": o, "form": form, "errors": {}, "proposals": None}
    )


def _record_from_form(form: dict[str, str], count: int) -> tuple[dict[str, Any], list[int]]:
    records, index = [], []
    for i in range(count):
        if form.get(f"items.{i}.done") != "1":
            continue
        rec: dict[str, Any] = {"id": form.get(f"items.{i}.id", "")}
        for name in RECORD_FIELDS:
            value = parse_number(form.get(f"items.{i}.{name}", ""))
            if value is not None:
                rec[name] = value
        difficulty = form.get(f"items.{i}.difficulty", "").strip()
        if difficulty:
            rec["difficulty"] = difficulty
        records.append(rec)
        index.append(i)
    return {"items": records}, index


@router.post("/plans/{plan_id}/sessions/{number}", dependencies=[Csrf])
async def record_session(
    request: Request, plan_id: Id, number: SessionNumber, uow: Uow, user: CurrentUser
) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    stored = plans.get_plan(uow, plan_id)
    ctx = _session_context(user, stored, number)
    data, index = _record_from_form(form, len(ctx["items"]))
    version = parse_number(form.get("version", ""))
    o = patient_overview(uow, stored.patient_id)
    try:
        outcome = plans.record_session(
            uow,
            plan_id,
            number,
            data,
            delivered_on=_date(form.get("delivered_on", ""), "delivered_on"),
            expected_version=version if isinstance(version, int) else None,
            notes=form.get("notes", ""),
        )
    except InvalidInput as exc:
        problems = []
        for p in exc.problems:
            parts = p.field.split(".")
            if len(parts) >= 2 and parts[0] == "items" and parts[1].isdigit():
                parts[1] = str(index[int(parts[1])]) if int(parts[1]) < len(index) else parts[1]
            problems.append(Problem(".".join(parts), p.value, p.allowed, p.message))
        errors = field_errors(InvalidInput(problems))
        return render(
            request,
            "plans/session.html",
            ctx | {"o": o, "form": form, "errors": errors, "proposals": None},
            422,
        )
    ctx = _session_context(user, outcome.plan, number)
    return render(
        request,
        "plans/session.html",
        ctx | {"o": o, "form": form, "errors": {}, "proposals": outcome.proposals},
    )


@api.post(
    "/plans/{plan_id}/sessions/{number}",
    summary="Document a session; propose next doses",
    dependencies=[Csrf],
)
def api_record_session(
    plan_id: Id, number: SessionNumber, uow: Uow, body: Annotated[dict[str, Any], Body()]
) -> dict[str, Any]:
    delivered = body.pop("delivered_on", None)
    version = body.pop("version", None)
    notes = body.pop("notes", "")
    outcome = plans.record_session(
        uow,
        plan_id,
        number,
        body,
        delivered_on=_date(str(delivered or ""), "delivered_on"),
        expected_version=version if isinstance(version, int) else None,
        notes=str(notes),
    )
    return {
        "session": number,
        "status": outcome.session.status,
        "version": outcome.session.version,
        "proposals": outcome.proposals,
    }


@api.post(
    "/patients/{patient_id}/plans",
    summary="Create a plan from an evaluation",
    dependencies=[Csrf],
    status_code=201,
)
def api_create_plan(
    request: Request, patient_id: Id, uow: Uow, body: Annotated[dict[str, Any], Body()]
) -> dict[str, Any]:
    evaluation_id = body.get("evaluation_id")
    if not isinstance(evaluation_id, int):
        raise InvalidInput.one("evaluation_id", evaluation_id, "the id of a stored evaluation")
    evaluations.require_evaluation(uow, evaluation_id, patient_id)
    stored = plans.create_plan(
        uow,
        evaluation_id,
        str(body.get("arm", "")),
        _date(str(body.get("start_on", "")), "start_on"),
        override_screening=body.get("override_screening") is True,
        options=plan_options(request),
    )
    return {
        "id": stored.id,
        "arm": stored.arm,
        "plan": stored.plan.model_dump(mode="json", exclude_none=True),
    }
