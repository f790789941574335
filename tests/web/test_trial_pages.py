"""Trial pages on the demo clinic: the manager's workflow, and the assessor's blindness over every
GET route of the app, the exports and the error responses.

Blindness check (docs/trial.md, Masking): the arm codes ``hip_focused`` / ``spine_focused`` are not
anatomical words, so a page that shows a participant's arm shows one code (or label) more often
than the other. Every response to the assessor must mention each arm exactly as often as the
other (the guess form offers both), must not say "arm: hip|spine" or "<arm>-focused plan" (the
clinic's own arm on the patient and plan pages), and JSON must pass ``find_arm_leaks``.
"""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from hipback.clinic.access import Actor
from hipback.clinic.records import Role
from hipback.core.clock import SystemClock
from hipback.db.repositories import clinic as clinic_repo
from hipback.db.uow import UnitOfWork
from hipback.services import evaluations, outcomes, patients
from hipback.services.demo_evaluation import synthetic_evaluation
from hipback.trial.blinding import find_arm_leaks
from hipback.web.permissions import all_routes

from .conftest import login, sign_in

ARMS = ("hip_focused", "spine_focused")
PAIRS = (("hip_focused", "spine_focused"), ("hip-focused", "spine-focused"))
TRIAL_NAME = "mash-like hip- vs spine-focused physical therapy"
CLINIC_ARM = re.compile(r"arm:\s*(hip|spine)\b|\b(hip|spine)-focused plan", re.IGNORECASE)


def _more_patients(client: TestClient, n: int) -> None:
    """Eligible patients (demo evaluation generator) so both arms are certainly allocated."""
    factory = client.app.state.session_factory  # type: ignore[attr-defined]
    therapist = Actor("therapist", Role.THERAPIST)
    for i in range(n):
        sex = ("female", "male")[i % 2]
        data = {
            "given_name": f"Extra{i}",
            "family_name": "Trialist",
            "birth_date": "1950-06-01",
            "sex": sex,
            "mrn": f"EXTRA-{i}",
        }
        with UnitOfWork(factory, therapist, SystemClock()) as u:
            pid = patients.create_patient(u, data, synthetic=True).id
        with UnitOfWork(factory, therapist, SystemClock()) as u:
            episode = clinic_repo.current_episode(u.session, pid)
            assert episode is not None
            import random

            evaluations.record_evaluation(
                u,
                episode.id,
                synthetic_evaluation(
                    random.Random(i), mrn=data["mrn"], age=72, sex=sex, assessed_on=date.today()
                ),
            )


def _running_trial(client: TestClient) -> dict[str, Any]:
    """Manager: set up a trial, screen every patient with consent, randomise the eligible."""
    _more_patients(client, 6)
    csrf = sign_in(client, "manager")
    r = client.post(
        "/trials", data={"csrf_token": csrf, "code": "web-trial"}, follow_redirects=False
    )
    assert r.status_code == 303, r.text
    trial_id = int(r.headers["location"].rsplit("/", 1)[-1])
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        patient_ids = [row[0] for row in conn.execute(sa.text("SELECT id FROM patients"))]
    for pid in patient_ids:
        r = client.post(
            f"/trials/{trial_id}/screen",
            data={
                "csrf_token": csrf,
                "patient_id": pid,
                "consented": "yes",
                "consented_on": date.today().isoformat(),
            },
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
    people = client.get(f"/api/trials/{trial_id}/participants").json()
    for p in people:
        if p["status"] == "enrolled":
            r = client.post(
                f"/trials/{trial_id}/participants/{p['id']}/randomise",
                data={"csrf_token": csrf},
                follow_redirects=False,
            )
            assert r.status_code == 303, r.text
    people = client.get(f"/api/trials/{trial_id}/participants").json()
    by_arm = {arm: next(p for p in people if p["arm"] == arm) for arm in ARMS}
    ae = client.post(
        f"/trials/{trial_id}/participants/{by_arm[ARMS[0]]['id']}/adverse-events",
        data={
            "csrf_token": csrf,
            "onset": date.today().isoformat(),
            "description": "fell in the garden",
            "severity": "mild",
            "relatedness": "unlikely",
            "expectedness": "expected",
        },
        follow_redirects=False,
    )
    assert ae.status_code == 303, ae.text
    return {"trial_id": trial_id, "by_arm": by_arm, "csrf": csrf, "people": people}


def _ids(client: TestClient, participant: dict[str, Any]) -> dict[str, Any]:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        plan = conn.execute(
            sa.text(
                "SELECT p.id FROM plans p JOIN episodes e ON e.id = p.episode_id "
                "WHERE e.patient_id = :p ORDER BY p.id DESC LIMIT 1"
            ),
            {"p": participant["patient_id"]},
        ).scalar()
        evaluation = conn.execute(
            sa.text(
                "SELECT v.id FROM evaluations v JOIN episodes e ON e.id = v.episode_id "
                "WHERE e.patient_id = :p ORDER BY v.id DESC LIMIT 1"
            ),
            {"p": participant["patient_id"]},
        ).scalar()
        event = conn.execute(sa.text("SELECT min(id) FROM trial_adverse_events")).scalar()
    return {
        "participant_id": participant["id"],
        "patient_id": participant["patient_id"],
        "plan_id": plan or 1,
        "evaluation_id": evaluation or 1,
        "event_id": event or 1,
        "number": 1,
        "visit": "week8",
        "instrument": "qbpds",
        "catalog_id": "bridge",
    }


def _text(response: Any) -> str:
    kind = response.headers.get("content-type", "")
    if "pdf" in kind:
        done = subprocess.run(
            ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
        )
        return done.stdout.decode("utf-8", "replace")
    if kind.startswith(("image/png", "application/octet-stream")):
        return ""
    return str(response.text)


def _public_free(value: Any) -> Any:
    """Drop the public arm list and labels (every trial role may see the arms) and nulls."""
    if isinstance(value, dict):
        return {
            k: _public_free(v)
            for k, v in value.items()
            if k not in ("arms", "arm_labels") and v is not None
        }
    if isinstance(value, list):
        return [_public_free(v) for v in value]
    return value


def assert_blind(response: Any, where: str) -> None:
    text = _text(response)
    lower = text.lower().replace(TRIAL_NAME, "")  # the public trial name mentions both arms
    for a, b in PAIRS:
        assert lower.count(a) == lower.count(b), (where, a, lower.count(a), b, lower.count(b))
    assert not CLINIC_ARM.search(text), (where, CLINIC_ARM.search(text))
    if "json" in response.headers.get("content-type", ""):
        leaks = find_arm_leaks(_public_free(json.loads(text)), ARMS)
        assert leaks == [], (where, leaks)


def test_manager_runs_enrolment_randomisation_and_results(demo_app: TestClient) -> None:
    setup = _running_trial(demo_app)
    tid = setup["trial_id"]
    listing = demo_app.get("/trials")
    commitment = demo_app.get(f"/trials/{tid}/commitment.json").json()
    assert re.fullmatch(r"[0-9a-f]{64}", commitment["commitment"])
    assert commitment["commitment"] in listing.text
    page = demo_app.get(f"/trials/{tid}")
    assert page.status_code == 200 and "Screening log" in page.text
    log = demo_app.get(f"/trials/{tid}/allocations")
    assert "Verified: the sealed list matches the commitment" in log.text
    assert log.text.count('id="seq-') == len(
        [p for p in setup["people"] if p["status"] == "randomised"]
    )
    for path in ("visits", "safety", "results"):
        r = demo_app.get(f"/trials/{tid}/{path}")
        assert r.status_code == 200, (path, r.text[:300])
    svg = demo_app.get(f"/trials/{tid}/consort.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml") and "<svg" in svg.text
    csv_text = demo_app.get(f"/trials/{tid}/export.csv").text
    assert csv_text.splitlines()[0] == "participant_id,arm,site,sex,visit,baseline,outcome"
    flow = demo_app.get(f"/api/trials/{tid}/consort").json()
    engine = demo_app.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        screened = conn.execute(sa.text("SELECT count(*) FROM patients")).scalar()
    assert flow["assessed_for_eligibility"] == screened
    assert flow["randomised"] == sum(a["allocated"] for a in flow["arms"])
    # positive controls: the blindness check does flag what the (unmasked) manager sees
    patient_page = demo_app.get(f"/patients/{setup['people'][0]['patient_id']}")
    for unmasked in (demo_app.get(f"/api/trials/{tid}/allocations"), patient_page):
        with pytest.raises(AssertionError):
            assert_blind(unmasked, "manager")


def test_assessor_never_learns_an_arm_on_any_route(demo_app: TestClient) -> None:
    setup = _running_trial(demo_app)
    tid = setup["trial_id"]
    csrf = sign_in(demo_app, "assessor")
    first = setup["by_arm"][ARMS[0]]
    # the assessor works: a week-8 assessment with a guess, and an accidental-unblinding report
    form = {f"items_{i}": "2" for i in range(20)} | {
        "csrf_token": csrf,
        "visit": "week8",
        "assessed_on": date.today().isoformat(),
        "guess": "dont_know",
    }
    r = demo_app.post(f"/trials/{tid}/assess/{first['id']}", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    r = demo_app.post(
        f"/trials/{tid}/assess/{first['id']}/accidental-unblinding",
        data={"csrf_token": csrf, "reason": "participant talked about hip exercises"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[:500]
    checked = 0
    for participant in setup["by_arm"].values():
        ids = {"trial_id": tid} | _ids(demo_app, participant)
        for method, path in sorted(all_routes(demo_app.app)):
            if method != "GET" or path in ("/logout",):
                continue
            url = path
            for key, value in ids.items():
                url = url.replace("{" + key + "}", str(value))
            url = re.sub(r"\{[a-z_]+\}", "1", url)
            r = demo_app.get(url, follow_redirects=False)
            assert r.status_code < 500, (url, r.status_code)
            assert_blind(r, url)
            checked += 1
    assert checked >= 60
    # masked pages refuse, and the refusal itself names no arm
    for url in (
        f"/trials/{tid}",
        f"/trials/{tid}/allocations",
        f"/trials/{tid}/results",
        f"/trials/{tid}/export.csv",
        f"/api/trials/{tid}/allocations",
        f"/api/trials/{tid}/analysis",
        f"/api/trials/{tid}/consort",
        f"/api/trials/{tid}/participants",
    ):
        r = demo_app.get(url)
        assert r.status_code == 403, url
        assert_blind(r, url)
    # error responses to the assessor's own writes
    bad = form | {"guess": "hip"}
    r = demo_app.post(f"/trials/{tid}/assess/{first['id']}", data=bad)
    assert r.status_code == 422
    assert_blind(r, "bad guess")
    r = demo_app.post(
        f"/api/trials/{tid}/participants/{first['id']}/randomise", headers={"X-CSRF-Token": csrf}
    )
    assert r.status_code == 403
    assert_blind(r, "randomise as assessor")
    # the audit trail of trial actions never records an arm
    engine = demo_app.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT action, detail FROM audit_log WHERE action LIKE 'trial.%'")
        ).all()
    assert rows
    for action, detail in rows:
        body = detail if isinstance(detail, str) else json.dumps(detail)
        assert not any(a in body for a in ARMS), (action, body)


def test_assessor_pages_show_due_visits_and_guess_choices(demo_app: TestClient) -> None:
    setup = _running_trial(demo_app)
    tid = setup["trial_id"]
    sign_in(demo_app, "assessor")
    listing = demo_app.get(f"/trials/{tid}/assess")
    assert (
        listing.status_code == 200 and "never shows a participant's treatment group" in listing.text
    )
    first = next(iter(setup["by_arm"].values()))
    page = demo_app.get(f"/trials/{tid}/assess/{first['id']}")
    assert page.status_code == 200
    for label in ("Hip-focused PT", "Spine-focused PT", 'value="dont_know"', "8 weeks", "6 months"):
        assert label in page.text
    visits = demo_app.get(f"/api/trials/{tid}/visits").json()
    assert {v["code"] for v in visits[0]["visits"]} == {"baseline", "week8", "month6"}
    assert "arm" not in visits[0]


def test_manager_safety_forms_and_statistician_results(demo_app: TestClient) -> None:
    setup = _running_trial(demo_app)
    tid, csrf = setup["trial_id"], setup["csrf"]
    pid = setup["by_arm"][ARMS[1]]["id"]
    posts = {
        f"/trials/{tid}/participants/{pid}/unblind": {
            "kind": "emergency",
            "reason": "admitted to hospital, treating team asks",
            "revealed_to": "Dr Ward",
            "revealed_to_role": "therapist",
            "authorised_by": "Dr PI",
            "authoriser_role": "principal_investigator",
        },
        f"/trials/{tid}/participants/{pid}/deviations": {
            "occurred_on": date.today().isoformat(),
            "category": "consent",
            "severity": "minor",
            "description": "consent form page 2 unsigned",
        },
        f"/trials/{tid}/participants/{pid}/visits/week8/missed": {"reason": "moved away"},
    }
    for url, data in posts.items():
        r = demo_app.post(url, data=data | {"csrf_token": csrf}, follow_redirects=False)
        assert r.status_code == 303, (url, r.text[:300])
    safety = demo_app.get(f"/api/trials/{tid}/safety").json()
    assert [u["kind"] for u in safety["unblindings"]] == ["emergency"]
    assert safety["unblindings"][0]["authorised_by"] == "Dr PI (principal_investigator)"
    found = [(d["category"], d["detected"]) for d in safety["deviations"]]
    assert found[0] == ("consent", "manual")
    # a missed visit is a major deviation derived from the window (deviations.py)
    assert ("missed_visit", "automatic") in found
    event_id = safety["adverse_events"][0]["id"]
    r = demo_app.post(
        f"/trials/{tid}/adverse-events/{event_id}/adjudicate",
        data={
            "csrf_token": csrf,
            "adjudicator": "Dr PI",
            "relatedness": "not_related",
            "expectedness": "expected",
            "rationale": "fall unrelated to the exercise programme",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[:300]
    refused = demo_app.post(
        f"/trials/{tid}/participants/{pid}/unblind",
        data=posts[f"/trials/{tid}/participants/{pid}/unblind"]
        | {"csrf_token": csrf, "authoriser_role": "trial_manager"},
    )
    assert refused.status_code == 403  # a trial manager cannot authorise unblinding
    demo_app.cookies.clear()
    r = login(demo_app, "statistician", next="/trials")
    assert r.status_code == 303, r.text
    page = demo_app.get(f"/trials/{tid}/results")
    assert page.status_code == 200 and "Table 1" in page.text
    assert "Trialist" not in page.text  # participants by trial code only, never by name
    assert demo_app.get(f"/api/trials/{tid}/participants").status_code == 403


def test_results_page_shows_contrasts_lsmeans_and_table1(demo_app: TestClient) -> None:
    setup = _running_trial(demo_app)
    tid = setup["trial_id"]
    factory = demo_app.app.state.session_factory  # type: ignore[attr-defined]
    therapist = Actor("therapist", Role.THERAPIST)
    rng = __import__("random").Random(3)
    today = date.today().isoformat()
    engine = demo_app.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        episodes = dict(
            conn.execute(
                sa.text("SELECT id, episode_id FROM trial_participants WHERE trial_id = :t"),
                {"t": tid},
            ).all()
        )
    for p in setup["people"]:
        if p["status"] != "randomised":
            continue
        for timepoint, level in (("baseline", rng.randint(2, 4)), ("8wk", rng.randint(0, 3))):
            with UnitOfWork(factory, therapist, SystemClock()) as u:
                outcomes.record_outcome(
                    u,
                    episodes[p["id"]],
                    {
                        "timepoint": timepoint,
                        "instrument": "qbpds",
                        "assessed_on": today,
                        "responses": {"items": [level] * 20},
                    },
                )
    page = demo_app.get(f"/trials/{tid}/results")
    assert page.status_code == 200
    assert "Between-arm differences" in page.text and "LS mean change" in page.text
    analysis = demo_app.get(f"/api/trials/{tid}/analysis").json()
    [contrast] = analysis["contrasts"]
    assert f"{contrast['difference']:.2f}" in page.text
    table = demo_app.get(f"/api/trials/{tid}/table1").json()
    assert table["n"]["Total"] == sum(1 for p in setup["people"] if p["status"] == "randomised")
    # the trial report uses the same export and model: the same difference is printed
    report = demo_app.get(f"/trials/{tid}/report.html")
    assert report.status_code == 200, report.text[:300]
    assert "CONSORT" in report.text
    assert f"{contrast['difference']:.2f}" in report.text
    pdf = demo_app.get(f"/trials/{tid}/report.pdf?paper=letter")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def _swap_arms(client: TestClient, a: dict[str, Any], b: dict[str, Any]) -> None:
    """Exchange two participants' arms everywhere an arm is stored (log line and episode)."""
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with engine.begin() as conn:
        for table, key, first, second in (
            ("trial_randomisations", "participant_id", a["id"], b["id"]),
            ("episodes", "patient_id", a["patient_id"], b["patient_id"]),
        ):
            arm_a = conn.execute(
                sa.text(f"SELECT arm FROM {table} WHERE {key} = :v"), {"v": first}
            ).scalar()
            arm_b = conn.execute(
                sa.text(f"SELECT arm FROM {table} WHERE {key} = :v"), {"v": second}
            ).scalar()
            assert arm_a != arm_b
            for value, arm in ((first, arm_b), (second, arm_a)):
                conn.execute(
                    sa.text(f"UPDATE {table} SET arm = :arm WHERE {key} = :v"),
                    {"arm": arm, "v": value},
                )


def test_assessor_pages_do_not_change_when_arms_are_swapped(demo_app: TestClient) -> None:
    """Differential check: every GET response the assessor gets is identical before and after two
    participants' arms are exchanged in the database, so no page depends on an arm in any form
    (names, counts, styles, ordering). Participants without a clinic plan are used (a plan's
    exercises differ by arm and are already refused to assessors)."""
    setup = _running_trial(demo_app)
    tid = setup["trial_id"]
    engine = demo_app.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        planned = {
            row[0]
            for row in conn.execute(
                sa.text("SELECT e.patient_id FROM plans p JOIN episodes e ON e.id = p.episode_id")
            )
        }
    free = [
        p for p in setup["people"] if p["status"] == "randomised" and p["patient_id"] not in planned
    ]
    a = next(p for p in free if p["arm"] == ARMS[0])
    b = next(p for p in free if p["arm"] == ARMS[1])
    sign_in(demo_app, "assessor")
    urls = []
    for participant in (a, b):
        ids = {"trial_id": tid} | _ids(demo_app, participant)
        for method, path in sorted(all_routes(demo_app.app)):
            if method != "GET" or path == "/logout":
                continue
            url = path
            for key, value in ids.items():
                url = url.replace("{" + key + "}", str(value))
            urls.append(re.sub(r"\{[a-z_]+\}", "1", url))
    responses = {url: demo_app.get(url, follow_redirects=False) for url in urls}
    before = {url: _text(r) for url, r in responses.items()}
    shown = [url for url, r in responses.items() if r.status_code == 200]
    assert f"/trials/{tid}/assess/{a['id']}" in shown and f"/patients/{a['patient_id']}" in shown
    assert len(shown) >= 20
    _swap_arms(demo_app, a, b)
    changed = [
        url for url in urls if _text(demo_app.get(url, follow_redirects=False)) != before[url]
    ]
    assert changed == []
    # positive control: the manager's allocation log does change
    sign_in(demo_app, "manager")
    log_after = demo_app.get(f"/api/trials/{tid}/allocations").json()
    arm_of = {line["participant_code"]: line["arm"] for line in log_after}
    assert (arm_of[a["code"]], arm_of[b["code"]]) == (b["arm"], a["arm"])
