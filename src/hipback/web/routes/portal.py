"""The patient portal: large print, own programme, exercise log, own progress only."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from hipback.clinic.access import require
from hipback.errors import InvalidInput, PermissionDenied
from hipback.services import exercise_logs, plans
from hipback.services.episodes import patient_overview
from hipback.web.deps import Csrf, CurrentUser, Uow
from hipback.web.forms import field_errors
from hipback.web.templating import render

router = APIRouter(include_in_schema=False)


def _own_id(user: CurrentUser) -> int:
    if user.actor.patient_id is None:
        raise PermissionDenied("the portal is for patients; staff use the patient pages")
    require(user.actor, "portal.use", user.actor.patient_id)
    return user.actor.patient_id


@router.get("/portal")
def portal_home(request: Request, uow: Uow, user: CurrentUser) -> Response:
    overview = patient_overview(uow, _own_id(user))
    programme = plans.home_programme(uow, _own_id(user))
    return render(
        request,
        "portal/home.html",
        {
            "user": user,
            "o": overview,
            "programme": programme,
            "form": {},
            "errors": {},
            "saved": request.query_params.get("saved"),
        },
    )


@router.post("/portal/log", dependencies=[Csrf])
async def portal_log(request: Request, uow: Uow, user: CurrentUser) -> Response:
    patient_id = _own_id(user)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    data: dict[str, object] = {
        "logged_on": form.get("logged_on", ""),
        "exercise_id": form.get("exercise_id", ""),
        "sets": form.get("sets", ""),
        "pain": form.get("pain", ""),
        "comment": form.get("comment", ""),
    }
    if form.get("reps", "").strip():
        data["reps"] = form["reps"]
    try:
        exercise_logs.log_exercise(uow, patient_id, data)
    except InvalidInput as exc:
        overview = patient_overview(uow, patient_id)
        programme = plans.home_programme(uow, patient_id)
        return render(
            request,
            "portal/home.html",
            {
                "user": user,
                "o": overview,
                "programme": programme,
                "form": form,
                "errors": field_errors(exc),
                "saved": None,
            },
            422,
        )
    return RedirectResponse("/portal?saved=1", status_code=303)
