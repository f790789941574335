"""Plan from a screened evaluation, session documentation with progression, printable HEP."""

from __future__ import annotations

import json
import re
from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient

from hipback.web import schemaform

from .conftest import sign_in

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "evaluation.json"


def clinic_patient(client: TestClient) -> int:
    """A demo patient outside the trial (a randomised participant's arm is fixed)."""
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        return int(
            conn.execute(
                sa.text(
                    "SELECT e.patient_id FROM episodes e WHERE e.id NOT IN (SELECT p.episode_id "
                    "FROM trial_participants p JOIN trial_randomisations r "
                    "ON r.participant_id = p.id) ORDER BY e.patient_id LIMIT 1"
                )
            ).scalar_one()
        )


def _plan(client: TestClient) -> str:
    csrf = sign_in(client, "therapist")
    data = json.loads(EXAMPLE.read_text())
    data.pop("baseline_measures", None)
    form = schemaform.flatten(data) | {"csrf_token": csrf}
    patient = clinic_patient(client)
    r = client.post(f"/patients/{patient}/evaluation", data=form, follow_redirects=False)
    evaluation_id = r.headers["location"].rsplit("/", 1)[-1]
    r = client.post(
        f"/patients/{patient}/plans",
        data={
            "csrf_token": csrf,
            "evaluation_id": evaluation_id,
            "arm": "hip",
            "start_on": "2026-12-01",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[:1000]
    return r.headers["location"]


def test_plan_has_16_sessions_with_reasons(demo_app: TestClient) -> None:
    url = _plan(demo_app)
    page = demo_app.get(url).text
    assert page.count("Document session") == 16
    assert "Hip-focused plan" in page
    assert "2026-12-01" in page
    detail = demo_app.get(f"/patients/{clinic_patient(demo_app)}").text
    assert "attended 0 of 16 planned sessions" in detail


def test_document_two_sessions_and_see_proposals(demo_app: TestClient) -> None:
    url = _plan(demo_app)
    for number in (1, 2):
        page = demo_app.get(f"{url}/sessions/{number}").text
        form = dict(re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', page))
        n_items = len(re.findall(r'name="items\.\d+\.id"', page))
        assert n_items > 0
        for i in range(n_items):
            form[f"items.{i}.done"] = "1"
            form |= {
                f"items.{i}.rpe": "3",
                f"items.{i}.pain_before": "3",
                f"items.{i}.pain_during": "4",
                f"items.{i}.pain_after": "3",
            }
        r = demo_app.post(f"{url}/sessions/{number}", data=form)
        assert r.status_code == 200, r.text[:2000]
        assert "Next session" in r.text
        assert ": progress</strong>" in r.text or ": hold</strong>" in r.text
    assert "attended 2 of 16" in demo_app.get(url).text


def test_session_error_named_and_stale_version_conflicts(demo_app: TestClient) -> None:
    url = _plan(demo_app)
    page = demo_app.get(f"{url}/sessions/1").text
    form = {
        k: v
        for k, v in re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', page)
        if not k.endswith(".done")
    }
    form |= {
        "items.0.done": "1",
        "items.0.pain_before": "14",
        "items.0.pain_during": "1",
        "items.0.pain_after": "1",
    }
    r = demo_app.post(f"{url}/sessions/1", data=form)
    assert r.status_code == 422
    assert 'id="items.0.pain_before-err"' in r.text
    form["items.0.pain_before"] = "2"
    ok = demo_app.post(f"{url}/sessions/1", data=form)
    assert ok.status_code == 200, re.findall(r'class="error"[^>]*>([^<]*)', ok.text)
    again = demo_app.post(f"{url}/sessions/1", data=form)  # same (now stale) version
    assert again.status_code == 409
    assert "changed by someone else" in again.text


def test_home_program_printable(demo_app: TestClient) -> None:
    url = _plan(demo_app)
    page = demo_app.get(f"{url}/home-program").text
    assert "Your home exercises" in page
    assert 'class="portal print"' in page


def test_plan_page_shows_minutes_education_holidays_and_planned_vs_adjusted(
    demo_app: TestClient,
) -> None:
    """Tue/Fri from 2026-12-01: Christmas and New Year's Day (Fridays) move to the Thursdays.
    Session 1 documented with every item done in full at RPE 3 and pain settled next day:
    each progresses, so session 2 shows the planned dose next to the adjusted one."""
    url = _plan(demo_app)
    page = demo_app.get(url).text
    assert "2026-12-24" in page and "2026-12-25" not in page
    assert "2026-12-31" in page and "2027-01-01" not in page
    assert re.search(r"<td>\d+ of 60</td>", page)
    assert "persistent pain and activity pacing" in page
    assert "<h2>Education</h2>" in page
    assert "Split long jobs into parts" in page
    assert "<h2>Session 1: planned and adjusted doses, and why</h2>" in page
    session = demo_app.get(f"{url}/sessions/1").text
    assert "Education today:" in session and "persistent pain and activity pacing" in session
    assert "edu_pain_pacing" not in re.findall(r'name="items\.\d+\.id" value="([^"]+)"', session)
    form = dict(re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', session))
    n_items = len(re.findall(r'name="items\.\d+\.id"', session))
    for i in range(n_items):
        form[f"items.{i}.done"] = "1"
        form |= {f"items.{i}.rpe": "3", f"items.{i}.pain_before": "3",
                 f"items.{i}.pain_during": "3", f"items.{i}.pain_after": "3",
                 f"items.{i}.pain_next_day": "3"}  # fmt: skip
    r = demo_app.post(f"{url}/sessions/1", data=form)
    assert r.status_code == 200, r.text[:2000]
    after = demo_app.get(url).text
    assert "<h2>Session 2: planned and adjusted doses, and why</h2>" in after
    assert "Session 1 documented (progress): level 2 instead of the planned level 1." in after
    second = demo_app.get(f"{url}/sessions/2").text
    assert "Planned: " in second and "Adjusted: " in second


def test_home_program_lists_the_talks_so_far(demo_app: TestClient) -> None:
    url = _plan(demo_app)
    page = demo_app.get(f"{url}/home-program").text
    assert "What we talked about" in page
    assert "Understanding your pain and pacing your day" in page
    assert "Some soreness after exercise is normal." in page


def test_portal_shows_the_patient_what_was_talked_about(demo_app: TestClient) -> None:
    """The demo patient is in treatment: the portal lists the talks up to the last visit."""
    sign_in(demo_app, "patient")
    page = demo_app.get("/portal").text
    assert "What we talked about" in page
    assert "Understanding your pain and pacing your day" in page
