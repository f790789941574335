"""Every route × every role × own/other patient against the permission table.

A route missing from ``hipback.web.permissions.ROUTES`` fails here, so no route ships without a
decision. GET routes are checked exactly (allowed ⇒ not 401/403; denied ⇒ 403; anonymous ⇒
sign-in redirect or 401). POST routes are sent without a valid body: denied roles must be refused
(403, or 422 before anything is written) and allowed roles must never get 403. No route answers
any role with a 5xx.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from hipback.clinic.access import Actor, can
from hipback.clinic.records import Role
from hipback.services.demo import DEMO_ACCOUNTS
from hipback.web.permissions import PUBLIC, ROUTES, SIGNED_IN, Need, all_routes

from .conftest import login


def app_routes(client: TestClient) -> set[tuple[str, str]]:
    return all_routes(client.app)


def test_every_route_has_a_permission(demo_app: TestClient) -> None:
    routes = app_routes(demo_app)
    assert sorted(routes - set(ROUTES)) == [], "add these routes to web/permissions.py"
    assert sorted(set(ROUTES) - routes) == [], "stale entries in web/permissions.py"


def _ids(client: TestClient) -> dict[str, dict[str, int]]:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        own = conn.execute(
            sa.text("SELECT patient_id FROM users WHERE username='patient'")
        ).scalar()
        other = conn.execute(
            sa.text(
                "SELECT e.patient_id FROM plans p JOIN episodes e ON e.id = p.episode_id "
                "WHERE e.patient_id <> :own ORDER BY p.id LIMIT 1"
            ),
            {"own": own},
        ).scalar()
        ids = {}
        for label, pid in (("own", own), ("other", other)):
            plan = conn.execute(
                sa.text(
                    "SELECT p.id FROM plans p JOIN episodes e ON e.id = p.episode_id "
                    "WHERE e.patient_id = :p ORDER BY p.id DESC LIMIT 1"
                ),
                {"p": pid},
            ).scalar()
            evaluation = conn.execute(
                sa.text(
                    "SELECT v.id FROM evaluations v JOIN episodes e ON e.id = v.episode_id "
                    "WHERE e.patient_id = :p ORDER BY v.id DESC LIMIT 1"
                ),
                {"p": pid},
            ).scalar()
            ids[label] = {
                "patient_id": pid,
                "plan_id": plan,
                "evaluation_id": evaluation,
                "number": 1,
                # trial routes (the demo clinic's trial, when loaded, is trial 1)
                "trial_id": 1,
                "participant_id": 1,
                "event_id": 1,
                "visit": "week8",
            }
    return ids


def _url(path: str, ids: dict[str, int]) -> str:
    url = path.replace("{instrument}", "qbpds").replace("{catalog_id}", "clamshell")
    for key, value in ids.items():
        url = url.replace("{" + key + "}", str(value))
    assert "{" not in url, url
    return url


def _sign_in(client: TestClient, username: str) -> str:
    client.cookies.clear()
    r = login(client, username, follow_redirects=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', r.text)
    assert match, (username, r.status_code)
    return match.group(1)


def _expect(role: Role, username: str, need: Need, patient_id: int) -> bool:
    if need in (PUBLIC, SIGNED_IN):
        return True
    actor = Actor(username, role, patient_id=patient_id if role is Role.PATIENT else None)
    actions = (need,) if isinstance(need, str) else need
    return all(can(actor, action, patient_id) for action in actions)


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.username)
def test_routes_by_role_and_owner(demo_app: TestClient, account: Any) -> None:
    ids = _ids(demo_app)
    csrf = _sign_in(demo_app, account.username)
    role = Role(account.role)
    own_patient = ids["own"]["patient_id"]
    checked = 0
    for (method, path), action in sorted(ROUTES.items()):
        if path in ("/login", "/logout"):
            continue
        scoped = any(k in path for k in ("{patient_id}", "{plan_id}", "{evaluation_id}"))
        for label in ("own", "other") if scoped else ("own",):
            target = ids[label]
            allowed = _expect(role, account.username, action, target["patient_id"])
            if role is Role.PATIENT and action not in (PUBLIC, SIGNED_IN):
                allowed = allowed and target["patient_id"] == own_patient
            url = _url(path, target)
            if method == "GET":
                r = demo_app.get(url, follow_redirects=False)
                assert r.status_code < 500, (account.username, url, r.status_code)
                if allowed:
                    assert r.status_code not in (401, 403), (account.username, url, r.status_code)
                else:
                    assert r.status_code == 403, (account.username, url, r.status_code)
            else:
                r = demo_app.post(
                    url,
                    data={"csrf_token": csrf},
                    headers={"X-CSRF-Token": csrf},
                    follow_redirects=False,
                )
                assert r.status_code < 500, (account.username, method, url, r.status_code)
                if allowed:
                    assert r.status_code != 403, (account.username, method, url, r.text[:200])
                else:
                    assert r.status_code in (403, 422), (
                        account.username,
                        method,
                        url,
                        r.status_code,
                    )
            checked += 1
    assert checked >= 45


def test_anonymous_is_sent_to_sign_in(demo_app: TestClient) -> None:
    ids = _ids(demo_app)["own"]
    demo_app.cookies.clear()
    for (method, path), action in ROUTES.items():
        if method != "GET" or action == PUBLIC:
            continue
        r = demo_app.get(_url(path, ids), follow_redirects=False)
        if path.startswith("/api/"):
            assert r.status_code == 401, path
        else:
            assert r.status_code == 303, path
            assert r.headers["location"].startswith("/login"), path
