from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from httpx2 import Response

from hipback.config import Settings
from hipback.services.demo import DEMO_PASSWORD
from hipback.web import create_app

# Apps in tests do not freeze the garbage collector (create_app's production default): the
# full collection before each freeze walks the whole test process (0.4 s at 500,000 objects).


@pytest.fixture
def client(sqlite_url: str, password_hasher: PasswordHasher) -> Iterator[TestClient]:
    settings = Settings(database_url=sqlite_url)
    app = create_app(settings, password_hasher=password_hasher, freeze_gc=False)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def demo_app(demo_db: Any, password_hasher: PasswordHasher) -> Iterator[TestClient]:
    """The app on this test's own copy of the 4-patient demo clinic (built once per session)."""
    settings = Settings(database_url=demo_db(n_patients=4), demo=True)
    app = create_app(settings, password_hasher=password_hasher, freeze_gc=False)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def login(
    client: TestClient,
    username: str,
    password: str = DEMO_PASSWORD,
    *,
    next: str = "/",
    code: str = "",
    follow_redirects: bool = False,
) -> Response:
    """Post the sign-in form as a browser does: load it first (its pre-session token).
    Signs out whoever was signed in on this client."""
    client.cookies.delete("hipback_session")
    page = client.get("/login")
    match = re.search(r'name="login_token" value="([^"]+)"', page.text)
    assert match, page.status_code
    return client.post(
        "/login",
        data={
            "username": username,
            "password": password,
            "next": next,
            "code": code,
            "login_token": match.group(1),
        },
        follow_redirects=follow_redirects,
    )


def sign_in(client: TestClient, username: str) -> str:
    target = "/portal" if username == "patient" else "/patients"
    r = login(client, username, next=target)
    assert r.status_code == 303, r.text
    page = client.get(r.headers["location"])
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match
    return match.group(1)
