"""Trial pages: the trial manager's (enrolment, allocation, visits, safety, results) and the masked
assessor's (due visits, outcome entry, arm guess). Every page works without JavaScript.

Masking is enforced in the services (each view type for a masked role has no arm field); these
routes only choose pages. JSON routes are in :mod:`hipback.web.routes.trial_api`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from hipback import measures
from hipback.clinic.access import can, require
from hipback.errors import InvalidInput
from hipback.measures.questionnaire import Questionnaire
from hipback.reports.trial import trial_html, trial_pdf
from hipback.services import trial as trial_svc
from hipback.services import trial_randomise, trial_results, trial_safety, trial_visits
from hipback.services.trial_report import trial_report
from hipback.web.deps import Csrf, CurrentUser, Id, Uow
from hipback.web.forms import field_errors, responses_from_form
from hipback.web.templating import render

router = APIRouter(include_in_schema=False)

AE_FIELDS = ("severity", "relatedness", "expectedness")


def form_date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput.one(field, value, "a date YYYY-MM-DD") from None


async def _form(request: Request) -> dict[str, str]:
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


async def _multi(request: Request, name: str) -> list[str]:
    return [v for v in (await request.form()).getlist(name) if isinstance(v, str) and v]


def _back(trial_id: Id, page: str = "") -> RedirectResponse:
    return RedirectResponse(f"/trials/{trial_id}{page}", status_code=303)


@router.get("/trials")
def trials_page(request: Request, uow: Uow, user: CurrentUser) -> Response:
    found = trial_svc.list_trials(uow)
    roles = {a: can(user.actor, a) for a in trial_svc.ANY_TRIAL_ROLE}
    return render(request, "trial/index.html", {"user": user, "trials": found, "roles": roles})


@router.post("/trials", dependencies=[Csrf])
async def create_trial(request: Request, uow: Uow) -> Response:
    form = await _form(request)
    data = {k: form[k].strip() for k in ("code", "name") if form.get(k, "").strip()}
    info = trial_svc.setup_trial(uow, data)
    return _back(info.id)


@router.get("/trials/{trial_id}")
def manage_page(request: Request, trial_id: Id, uow: Uow, user: CurrentUser) -> Response:
    people = trial_svc.participant_views(uow, trial_id)
    info = trial_svc.get_trial(uow, trial_id)
    return render(
        request,
        "trial/manage.html",
        {
            "user": user,
            "t": info,
            "people": people,
            "candidates": trial_svc.candidates(uow, trial_id),
            "today": uow.clock.today().isoformat(),
        },
    )


@router.post("/trials/{trial_id}/screen", dependencies=[Csrf])
async def screen(request: Request, trial_id: Id, uow: Uow) -> Response:
    form = await _form(request)
    try:
        patient_id = int(form.get("patient_id", ""))
    except ValueError:
        raise InvalidInput.one("patient_id", form.get("patient_id"), "a patient id") from None
    consented = form.get("consented") == "yes"
    trial_svc.screen_patient(
        uow,
        trial_id,
        patient_id,
        consented_on=form_date(form.get("consented_on", ""), "consented_on") if consented else None,
        declined_reason=form.get("declined_reason", ""),
    )
    return _back(trial_id)


@router.post("/trials/{trial_id}/participants/{participant_id}/randomise", dependencies=[Csrf])
def randomise(trial_id: Id, participant_id: Id, uow: Uow) -> Response:
    done = trial_randomise.randomise(uow, trial_id, participant_id)
    return _back(trial_id, f"/allocations#seq-{done.sequence}")


@router.get("/trials/{trial_id}/allocations")
def allocations_page(request: Request, trial_id: Id, uow: Uow, user: CurrentUser) -> Response:
    log = trial_randomise.allocation_log(uow, trial_id)
    check = trial_randomise.verify_trial(uow, trial_id)
    info = trial_svc.get_trial(uow, trial_id)
    return render(
        request, "trial/allocations.html", {"user": user, "t": info, "log": log, "check": check}
    )


@router.get("/trials/{trial_id}/commitment.json")
def commitment_json(trial_id: Id, uow: Uow) -> Response:
    doc = trial_svc.commitment_document(uow, trial_id)
    return JSONResponse(
        doc,
        headers={"content-disposition": f'attachment; filename="{doc["trial"]}-commitment.json"'},
    )


@router.get("/trials/{trial_id}/visits")
def visits_page(request: Request, trial_id: Id, uow: Uow, user: CurrentUser) -> Response:
    tracker = trial_visits.visit_tracker(uow, trial_id)
    info = trial_svc.get_trial(uow, trial_id)
    return render(
        request,
        "trial/visits.html",
        {"user": user, "t": info, "tracker": tracker, "manage": can(user.actor, "trial.manage")},
    )


@router.post(
    "/trials/{trial_id}/participants/{participant_id}/visits/{visit}/missed",
    dependencies=[Csrf],
)
async def visit_missed(
    request: Request, trial_id: Id, participant_id: Id, visit: str, uow: Uow
) -> Response:
    form = await _form(request)
    trial_visits.mark_missed(uow, trial_id, participant_id, visit, form.get("reason", ""))
    return _back(trial_id, "/visits")


@router.get("/trials/{trial_id}/results")
def results_page(
    request: Request,
    trial_id: Id,
    uow: Uow,
    user: CurrentUser,
    instrument: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    flow, svg = trial_results.consort(uow, trial_id)
    analysis: dict[str, Any] | None = None
    problem = None
    try:
        analysis = trial_results.analyse(uow, trial_id, instrument=instrument or None)
    except InvalidInput as exc:
        problem = "; ".join(p.message or f"{p.field}: {p.allowed}" for p in exc.problems)
    t1 = trial_results.baseline_table(uow, trial_id)
    bi = trial_results.blinding_index(uow, trial_id)
    info = trial_svc.get_trial(uow, trial_id)
    return render(
        request,
        "trial/results.html",
        {
            "user": user,
            "t": info,
            "flow": flow,
            "svg": svg,
            "analysis": analysis,
            "problem": problem,
            "t1": t1,
            "bi": bi,
            "instrument": instrument or info.instrument,
            "instruments": measures.ids(),
        },
    )


@router.get("/trials/{trial_id}/consort.svg")
def consort_svg(trial_id: Id, uow: Uow) -> Response:
    _, svg = trial_results.consort(uow, trial_id)
    return Response(svg, media_type="image/svg+xml")


@router.get("/trials/{trial_id}/export.csv")
def export_csv(
    trial_id: Id, uow: Uow, instrument: Annotated[str | None, Query(max_length=40)] = None
) -> Response:
    text = trial_results.analysis_csv(uow, trial_id, instrument or None)
    return Response(
        text,
        media_type="text/csv",
        headers={"content-disposition": f'attachment; filename="trial-{trial_id}-analysis.csv"'},
    )


@router.get("/trials/{trial_id}/safety")
def safety_page(request: Request, trial_id: Id, uow: Uow, user: CurrentUser) -> Response:
    people = [p for p in trial_svc.participant_views(uow, trial_id) if p.status == "randomised"]
    return render(
        request,
        "trial/safety.html",
        {
            "user": user,
            "t": trial_svc.get_trial(uow, trial_id),
            "people": people,
            "events": trial_safety.adverse_events(uow, trial_id),
            "deviations": trial_safety.deviations(uow, trial_id),
            "unblindings": trial_safety.unblindings(uow, trial_id),
        },
    )


@router.post("/trials/{trial_id}/participants/{participant_id}/adverse-events", dependencies=[Csrf])
async def report_ae(request: Request, trial_id: Id, participant_id: Id, uow: Uow) -> Response:
    form = await _form(request)
    data: dict[str, Any] = {k: form.get(k, "") for k in ("onset", "description", *AE_FIELDS)}
    data["seriousness"] = await _multi(request, "seriousness")
    trial_safety.report_ae(uow, trial_id, participant_id, data)
    return _back(trial_id, "/safety")


@router.post("/trials/{trial_id}/adverse-events/{event_id}/adjudicate", dependencies=[Csrf])
async def adjudicate_ae(request: Request, trial_id: Id, event_id: Id, uow: Uow) -> Response:
    form = await _form(request)
    data: dict[str, Any] = {
        k: form.get(k, "") for k in ("adjudicator", "relatedness", "expectedness", "rationale")
    }
    data["seriousness"] = await _multi(request, "seriousness")
    trial_safety.adjudicate_ae(uow, trial_id, event_id, data)
    return _back(trial_id, "/safety")


@router.post("/trials/{trial_id}/participants/{participant_id}/deviations", dependencies=[Csrf])
async def add_deviation(request: Request, trial_id: Id, participant_id: Id, uow: Uow) -> Response:
    form = await _form(request)
    trial_safety.add_deviation(uow, trial_id, participant_id, dict(form))
    return _back(trial_id, "/safety")


@router.post("/trials/{trial_id}/participants/{participant_id}/unblind", dependencies=[Csrf])
async def unblind(request: Request, trial_id: Id, participant_id: Id, uow: Uow) -> Response:
    form = await _form(request)
    trial_safety.unblind(
        uow,
        trial_id,
        participant_id,
        kind=form.get("kind", ""),
        reason=form.get("reason", ""),
        revealed_to=form.get("revealed_to", ""),
        revealed_to_role=form.get("revealed_to_role", ""),
        authorised_by=form.get("authorised_by", ""),
        authoriser_role=form.get("authoriser_role", ""),
    )
    return _back(trial_id, "/safety")


# --- the masked assessor ---------------------------------------------------------------------


@router.get("/trials/{trial_id}/assess")
def assess_list(request: Request, trial_id: Id, uow: Uow, user: CurrentUser) -> Response:
    tracker = trial_visits.visit_tracker(uow, trial_id)
    info = trial_svc.get_trial(uow, trial_id)
    return render(request, "trial/assess_list.html", {"user": user, "t": info, "tracker": tracker})


def _assess_page(
    request: Request,
    uow: Uow,
    user: CurrentUser,
    trial_id: Id,
    participant_id: Id,
    form: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    person = trial_visits.blind_participant(uow, trial_id, participant_id)
    info = trial_svc.get_trial(uow, trial_id)
    measure = measures.get(info.instrument)
    choices = [(a, info.arm_labels[a]) for a in info.arms] + [("dont_know", "Don't know")]
    return render(
        request,
        "trial/assess_form.html",
        {
            "user": user,
            "t": info,
            "p": person,
            "spec": measure.spec,
            "fields": measure.fields(),
            "is_questionnaire": isinstance(measure, Questionnaire),
            "prefix": "",
            "form": form,
            "errors": errors,
            "choices": choices,
        },
        status,
    )


@router.get("/trials/{trial_id}/assess/{participant_id}")
def assess_form(
    request: Request, trial_id: Id, participant_id: Id, uow: Uow, user: CurrentUser
) -> Response:
    today = uow.clock.today().isoformat()
    return _assess_page(request, uow, user, trial_id, participant_id, {"assessed_on": today}, {})


@router.post("/trials/{trial_id}/assess/{participant_id}", dependencies=[Csrf])
async def assess_submit(
    request: Request, trial_id: Id, participant_id: Id, uow: Uow, user: CurrentUser
) -> Response:
    require(user.actor, "trial.assess")
    form = await _form(request)
    info = trial_svc.get_trial(uow, trial_id)
    measure = measures.get(info.instrument)
    try:
        trial_visits.record_assessment(
            uow,
            trial_id,
            participant_id,
            visit=form.get("visit", ""),
            assessed_on=form_date(form.get("assessed_on", ""), "assessed_on"),
            responses=responses_from_form(measure, form, "") or {},
            guess=form.get("guess") or None,
        )
    except InvalidInput as exc:
        errors = field_errors(exc, strip="responses.")
        return _assess_page(request, uow, user, trial_id, participant_id, form, errors, 422)
    return _back(trial_id, "/assess")


@router.post(
    "/trials/{trial_id}/assess/{participant_id}/accidental-unblinding", dependencies=[Csrf]
)
async def accidental(
    request: Request, trial_id: Id, participant_id: Id, uow: Uow, user: CurrentUser
) -> Response:
    require(user.actor, "trial.assess")
    form = await _form(request)
    trial_safety.unblind(
        uow,
        trial_id,
        participant_id,
        kind="accidental",
        reason=form.get("reason", ""),
        revealed_to="",
        revealed_to_role="",
        authorised_by="",
        authoriser_role="",
    )
    return _back(trial_id, "/assess")


@router.get("/trials/{trial_id}/report.html")
def trial_report_html(
    trial_id: Id,
    uow: Uow,
    user: CurrentUser,
    paper: Annotated[str, Query(pattern="^(a4|letter)$")] = "a4",
) -> Response:
    report = trial_report(uow, trial_id)
    return HTMLResponse(trial_html(report, paper))


@router.get("/trials/{trial_id}/report.pdf")
def trial_report_pdf(
    trial_id: Id,
    uow: Uow,
    user: CurrentUser,
    paper: Annotated[str, Query(pattern="^(a4|letter)$")] = "a4",
) -> Response:
    pdf = trial_pdf(trial_report(uow, trial_id), paper)
    return Response(
        pdf.data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="trial-{trial_id}-report.pdf"'},
    )
