"""Security headers, sign-in throttling, login CSRF, trusted proxies and no-store."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from hipback.config import Settings
from hipback.db import upgrade
from hipback.services.demo import DEMO_PASSWORD
from hipback.web import create_app
from hipback.web.templating import make_templates

from .conftest import login, sign_in


def test_headers_on_pages_and_api(client: TestClient) -> None:
    for path in ("/measures", "/api/measures", "/login"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "strict-transport-security" not in r.headers


def test_page_templates_escape_whatever_their_extension() -> None:
    env = make_templates(Settings()).env
    assert env.autoescape is True
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"


def test_hsts_only_behind_tls(client: TestClient) -> None:
    r = client.get("https://testserver/measures")
    assert r.headers["strict-transport-security"].startswith("max-age=31536000")
    # an untrusted client cannot claim TLS with X-Forwarded-Proto
    r = client.get("/measures", headers={"X-Forwarded-Proto": "https"})
    assert "strict-transport-security" not in r.headers


def _message(html: str) -> str:
    match = re.search(r'<p class="error" role="alert">([^<]+)</p>', html)
    assert match, html[:500]
    return match.group(1)


def test_one_message_and_backoff_instead_of_a_lock(demo_app: TestClient) -> None:
    """Unknown user, wrong password, throttled: one message; no hard lock (issue 12.3)."""
    unknown = login(demo_app, "nobody-here", "wrong-wrong-1")
    wrong = login(demo_app, "therapist", "wrong-wrong-1")
    assert unknown.status_code == wrong.status_code == 401
    for _ in range(4):
        assert login(demo_app, "therapist", "wrong-wrong-1").status_code == 401
    # 5 failures for this account from this client: the next try must wait 1 s, then 2 s, ...
    throttled = login(demo_app, "therapist", DEMO_PASSWORD)
    assert throttled.status_code == 429
    assert throttled.headers["retry-after"] == "1"
    assert _message(unknown.text) == _message(wrong.text) == _message(throttled.text)
    # another client (address) signs in to the same account at once: no lock-out
    other = TestClient(demo_app.app, client=("192.0.2.10", 50000))
    assert login(other, "therapist").status_code == 303


def test_spoofed_forwarded_for_is_ignored(demo_app: TestClient) -> None:
    """Without HIPBACK_TRUSTED_PROXIES a client cannot pick its address with X-Forwarded-For."""
    for n in range(5):
        demo_app.headers["X-Forwarded-For"] = f"198.51.100.{n}"
        assert login(demo_app, "therapist", "wrong-wrong-1").status_code == 401
    demo_app.headers["X-Forwarded-For"] = "198.51.100.99"
    assert login(demo_app, "therapist").status_code == 429


def test_forwarded_for_believed_from_a_trusted_proxy(sqlite_url: str) -> None:
    app = create_app(Settings(database_url=sqlite_url, trusted_proxies="192.0.2.1"))
    upgrade(app.state.engine)
    proxy = TestClient(app, client=("192.0.2.1", 40000))
    with proxy:
        r = proxy.get("/healthz", headers={"X-Forwarded-Proto": "https"})
        assert r.headers["strict-transport-security"].startswith("max-age=")
        stranger = TestClient(app, client=("203.0.113.5", 40000))
        r = stranger.get("/healthz", headers={"X-Forwarded-Proto": "https"})
        assert "strict-transport-security" not in r.headers


def test_sign_in_form_needs_its_pre_session_token(demo_app: TestClient) -> None:
    """Login CSRF: a form posted from another site (no token, or a token of another browser)
    does not sign the victim in."""
    forged = demo_app.post(
        "/login", data={"username": "therapist", "password": DEMO_PASSWORD}, follow_redirects=False
    )
    assert forged.status_code == 403
    assert "hipback_session" not in forged.cookies
    page = TestClient(demo_app.app).get("/login")  # someone else's form
    token = re.search(r'name="login_token" value="([^"]+)"', page.text)
    assert token
    demo_app.get("/login")
    forged = demo_app.post(
        "/login",
        data={"username": "therapist", "password": DEMO_PASSWORD, "login_token": token.group(1)},
        follow_redirects=False,
    )
    assert forged.status_code == 403
    assert login(demo_app, "therapist").status_code == 303


def test_no_store_on_every_signed_in_page_and_download(demo_app: TestClient) -> None:
    sign_in(demo_app, "manager")
    for url in (
        "/trials",
        "/trials/1",
        "/trials/1/allocations",
        "/trials/1/export.csv",
        "/trials/1/report.html",
        "/account",
        "/patients",
    ):
        r = demo_app.get(url)
        assert r.status_code in (200, 422), (url, r.status_code)  # 422: no trial data yet
        assert r.headers["cache-control"] == "no-store", url
    demo_app.cookies.clear()
    csrf = sign_in(demo_app, "therapist")
    assert demo_app.get("/analytics").headers["cache-control"] == "no-store"
    setup = demo_app.post("/account/totp", data={"csrf_token": csrf})
    assert setup.status_code == 200 and "secret" in setup.text.lower()
    assert setup.headers["cache-control"] == "no-store"
    # public static files may be cached
    assert "no-store" not in demo_app.get("/static/hipback.css").headers.get("cache-control", "")
