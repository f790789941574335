"""Report pages over HTTP on the demo clinic: every patient's progress report (HTML, PDF on A4
and Letter), every plan's handout, the analytics page, role limits and bad parameters.

Numbers are compared with the stored outcome rows read by SQL, formatted the way the report
formats them (at most two decimals, no trailing zeros).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient
from tests.reports import pdftools

from hipback.db.tables import EpisodeRow, OutcomeRow, PatientRow, PlanRow, UserRow
from hipback.reports.summary import number

from .conftest import login, sign_in


def _db(client: TestClient) -> sa.orm.Session:
    factory = client.app.state.session_factory  # type: ignore[attr-defined]
    session: sa.orm.Session = factory()
    return session


def _scores(client: TestClient) -> dict[int, tuple[str, dict[str, list[str]]]]:
    """patient id -> (record number, instrument -> stored values as the report shows them)."""
    with _db(client) as s:
        rows = s.execute(
            sa.select(PatientRow.id, PatientRow.mrn, OutcomeRow.instrument, OutcomeRow.value)
            .join(EpisodeRow, EpisodeRow.patient_id == PatientRow.id)
            .outerjoin(OutcomeRow, OutcomeRow.episode_id == EpisodeRow.id)
            .order_by(PatientRow.id, OutcomeRow.id)
        ).all()
    by_patient: dict[int, tuple[str, dict[str, list[str]]]] = {}
    for pid, mrn, instrument, value in rows:
        entry = by_patient.setdefault(pid, (mrn, defaultdict(list)))
        if instrument is not None:
            entry[1][instrument].append(number(float(value)))
    return by_patient


def test_every_demo_patient_report(demo_app: TestClient, tmp_path: Path) -> None:
    sign_in(demo_app, "therapist")
    expected = _scores(demo_app)
    with _db(demo_app) as s:
        assert len(expected) == s.scalar(sa.select(sa.func.count()).select_from(PatientRow)) > 0
    for pid, (mrn, series) in expected.items():
        # instruments in order of first result, each with its values in order
        values = [v for vs in series.values() for v in vs]
        html = demo_app.get(f"/patients/{pid}/report.html")
        assert html.status_code == 200
        assert html.headers["cache-control"] == "no-store"
        assert re.findall(r'<td class="score">([^<]+)</td>', html.text) == values
        assert mrn in html.text
        # one chart per instrument (plus adherence once home exercise began), each with alt text
        charts = html.text.count('role="img"')
        assert html.text.count("<desc id=") == charts
        assert charts in (len(series), len(series) + 1)
        pdf = demo_app.get(f"/patients/{pid}/report.pdf")
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        path = tmp_path / f"report-{pid}.pdf"
        path.write_bytes(pdf.content)
        pages = int(pdf.headers["x-page-count"])
        assert pdftools.info(path)["Pages"] == str(pages)
        pdftools.assert_pages_not_blank(path, pages)
        text = pdftools.text(path)
        assert mrn in text and "Physical therapy progress report" in text


def test_letter_paper_and_bad_paper(demo_app: TestClient, tmp_path: Path) -> None:
    sign_in(demo_app, "therapist")
    pid = next(iter(_scores(demo_app)))
    r = demo_app.get(f"/patients/{pid}/report.pdf", params={"paper": "letter"})
    path = tmp_path / "letter.pdf"
    path.write_bytes(r.content)
    assert pdftools.info(path)["Page size"] == "612 x 792 pts (letter)"
    bad = demo_app.get(f"/patients/{pid}/report.pdf", params={"paper": "a3"})
    assert bad.status_code == 422
    assert "paper" in bad.text and "a4 or letter" in bad.text


def test_every_plan_handout(demo_app: TestClient, tmp_path: Path) -> None:
    sign_in(demo_app, "therapist")
    with _db(demo_app) as s:
        plan_ids = list(s.scalars(sa.select(PlanRow.id)))
    assert plan_ids
    for plan_id in plan_ids:
        r = demo_app.get(f"/plans/{plan_id}/handout.pdf")
        assert r.status_code == 200
        path = tmp_path / f"handout-{plan_id}.pdf"
        path.write_bytes(r.content)
        pages = int(r.headers["x-page-count"])
        pdftools.assert_pages_not_blank(path, pages)
        text = pdftools.text(path)
        assert "Your home exercises" in text and "My exercise log" in text


def test_analytics_page(demo_app: TestClient) -> None:
    sign_in(demo_app, "therapist")
    page = demo_app.get("/analytics")
    assert page.status_code == 200
    assert "Observational, not trial evidence." in page.text
    # two instruments' trajectories, the responder chart and the scatter, each with alt text
    assert page.text.count('role="img"') == page.text.count("<desc id=") == 4
    assert "Hip-focused" in page.text and "Spine-focused" in page.text


def test_role_limits(demo_app: TestClient) -> None:
    sign_in(demo_app, "assessor")
    assert demo_app.get("/analytics").status_code == 403
    pid = next(iter(_scores(demo_app)))
    blinded = demo_app.get(f"/patients/{pid}/report.html")
    assert blinded.status_code == 200
    assert "focused physical therapy" not in blinded.text
    # the treating therapist's name would unblind when therapists deliver one arm each
    with _db(demo_app) as s:
        names = set(s.scalars(sa.select(UserRow.display_name).where(UserRow.role == "therapist")))
    assert names and not any(name in blinded.text for name in names)
    assert "not shown to blinded readers" in blinded.text
    demo_app.cookies.clear()
    sign_in(demo_app, "therapist")
    assert any(name in demo_app.get(f"/patients/{pid}/report.html").text for name in names)
    demo_app.cookies.clear()
    signed = login(demo_app, "statistician", next="/measures")
    assert signed.status_code == 303
    assert demo_app.get(f"/patients/{pid}/report.html").status_code == 403


def test_patient_page_links_to_reports(demo_app: TestClient) -> None:
    sign_in(demo_app, "therapist")
    with _db(demo_app) as s:
        pid = s.scalars(
            sa.select(EpisodeRow.patient_id).join(PlanRow, PlanRow.episode_id == EpisodeRow.id)
        ).first()
    page = demo_app.get(f"/patients/{pid}").text
    assert f'href="/patients/{pid}/report.pdf?paper=letter"' in page
    assert "/handout.pdf" in page and 'href="/analytics"' in page
