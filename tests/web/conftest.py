from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from hipback.config import Settings
from hipback.core.clock import SystemClock
from hipback.db import make_engine, upgrade
from hipback.db.uow import UnitOfWork, session_factory
from hipback.services.demo import DEMO_PASSWORD, load_demo
from hipback.web import create_app


@pytest.fixture
def client(sqlite_url: str) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=sqlite_url))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def demo_app(db_url: str) -> Iterator[TestClient]:
    settings = Settings(database_url=db_url, demo=True)
    engine = make_engine(settings)
    upgrade(engine)
    factory = session_factory(engine)
    load_demo(
        lambda actor: UnitOfWork(factory, actor, SystemClock()), today=date.today(), n_patients=4
    )
    engine.dispose()
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
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
