"""Therapist workspace and patient portal over HTTP: sign-in, CSRF, forms, role limits."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .conftest import login, sign_in


def test_pages_need_sign_in(demo_app: TestClient) -> None:
    r = demo_app.get("/patients", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=/patients"
    assert demo_app.get("/api/patients").status_code == 401


def test_demo_login_page_lists_accounts_and_banner(demo_app: TestClient) -> None:
    page = demo_app.get("/login").text
    assert "Synthetic demo data" in page
    for name in ("admin", "therapist", "assessor", "manager", "statistician", "patient"):
        assert f"<code>{name}</code>" in page


def test_wrong_password_is_401_without_detail(demo_app: TestClient) -> None:
    r = login(demo_app, "therapist", "nope-nope-nope")
    assert r.status_code == 401
    assert "Sign-in failed. Check your username, password" in r.text


def test_therapist_registers_patient_and_records_outcome(demo_app: TestClient) -> None:
    csrf = sign_in(demo_app, "therapist")
    bad = demo_app.post(
        "/patients/new",
        data={
            "csrf_token": csrf,
            "given_name": "Ann",
            "family_name": "Lee",
            "birth_date": "1950-02-30",
            "sex": "female",
            "mrn": "T-1",
        },
    )
    assert bad.status_code == 422
    assert 'id="birth_date-err"' in bad.text
    r = demo_app.post(
        "/patients/new",
        data={
            "csrf_token": csrf,
            "given_name": "Ann",
            "family_name": "Lee",
            "birth_date": "1950-02-03",
            "sex": "female",
            "mrn": "T-1",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    url = r.headers["location"]
    form = {
        "csrf_token": csrf,
        "instrument": "qbpds",
        "timepoint": "baseline",
        "assessed_on": "2026-11-01",
    } | {f"before_items_{i}": "3" for i in range(20)}
    bad = demo_app.post(f"{url}/outcomes/new", data=form | {"before_items_2": "7"})
    assert bad.status_code == 422
    assert 'id="before_items_2-err"' in bad.text
    ok = demo_app.post(f"{url}/outcomes/new", data=form, follow_redirects=False)
    assert ok.status_code == 303
    page = demo_app.get(url).text
    assert "60 points" in page or ">60 points<" in page or "60 " in page
    assert "<svg" in page


def test_missing_csrf_is_refused(demo_app: TestClient) -> None:
    sign_in(demo_app, "therapist")
    r = demo_app.post("/patients/new", data={"given_name": "X"})
    assert r.status_code == 403
    assert "CSRF" in r.text


def test_patient_search_partial(demo_app: TestClient) -> None:
    sign_in(demo_app, "therapist")
    r = demo_app.get("/patients?q=SYN-0001", headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert "<html" not in r.text
    assert "1 patient matching" in r.text


def test_patient_portal_logs_exercise_and_sees_only_own(demo_app: TestClient) -> None:
    csrf = sign_in(demo_app, "patient")
    home = demo_app.get("/portal")
    assert home.status_code == 200
    assert 'class="portal"' in home.text
    assert "My exercises" in home.text
    assert '<img class="hb-figure-img" src="/figures/' in home.text  # the demo patient has a plan
    bad = demo_app.post(
        "/portal/log",
        data={
            "csrf_token": csrf,
            "logged_on": "2026-11-01",
            "exercise_id": "bridge",
            "sets": "2",
            "pain": "12",
        },
    )
    assert bad.status_code == 422
    assert 'id="pain-err"' in bad.text
    ok = demo_app.post(
        "/portal/log",
        data={
            "csrf_token": csrf,
            "logged_on": "2026-11-01",
            "exercise_id": "bridge",
            "sets": "2",
            "reps": "10",
            "pain": "2",
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303
    assert demo_app.get("/patients").status_code == 403
    assert demo_app.get("/patients/1").status_code == 403
