"""Progress report (HTML, PDF), home-exercise handout (PDF) and the clinic analytics page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from hipback.reports import render as reports
from hipback.services import analytics
from hipback.services import reports as report_service
from hipback.web.deps import CurrentUser, Uow
from hipback.web.templating import render

router = APIRouter(include_in_schema=False)

Paper = Annotated[str, Query(max_length=10, description="a4 or letter")]
#: patient documents must not linger in shared caches
PRIVATE = {"Cache-Control": "no-store"}


def _pdf(data: bytes, filename: str, pages: int) -> Response:
    return Response(
        data,
        media_type="application/pdf",
        headers={
            **PRIVATE,
            "Content-Disposition": f'inline; filename="{filename}"',
            "X-Page-Count": str(pages),
        },
    )


@router.get("/patients/{patient_id}/report.html")
def progress_html(patient_id: int, uow: Uow, user: CurrentUser, paper: Paper = "a4") -> Response:
    reports.paper_size(paper)
    report = report_service.progress_report(uow, patient_id)
    return HTMLResponse(reports.progress_html(report, paper), headers=PRIVATE)


@router.get("/patients/{patient_id}/report.pdf")
def progress_pdf(patient_id: int, uow: Uow, user: CurrentUser, paper: Paper = "a4") -> Response:
    reports.paper_size(paper)
    report = report_service.progress_report(uow, patient_id)
    pdf = reports.progress_pdf(report, paper)
    return _pdf(pdf.data, f"progress-report-{report.mrn}-{report.generated_on}.pdf", pdf.pages)


@router.get("/plans/{plan_id}/handout.pdf")
def handout_pdf(plan_id: int, uow: Uow, user: CurrentUser, paper: Paper = "a4") -> Response:
    reports.paper_size(paper)
    handout = report_service.home_exercise_handout(uow, plan_id)
    pdf = reports.handout_pdf(handout, paper)
    return _pdf(pdf.data, f"home-exercises-{handout.mrn}-{handout.valid_from}.pdf", pdf.pages)


@router.get("/analytics")
def analytics_page(request: Request, uow: Uow, user: CurrentUser) -> Response:
    view = analytics.clinic_analytics(uow)
    return render(
        request,
        "reports/analytics.html",
        {"user": user, "a": view, "body": reports.analytics_fragment(view)},
    )
