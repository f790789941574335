"""Security headers and sign-in rate limiting (in memory and in Redis)."""

from __future__ import annotations

import os
import uuid

import pytest
from fastapi.testclient import TestClient

from hipback.config import Settings
from hipback.services.demo import DEMO_PASSWORD
from hipback.web.security import MemoryRateLimiter, RedisRateLimiter
from hipback.web.templating import make_templates


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
    r = client.get("/measures", headers={"X-Forwarded-Proto": "https"})
    assert r.headers["strict-transport-security"].startswith("max-age=31536000")


def test_failed_sign_ins_are_rate_limited(demo_app: TestClient) -> None:
    for _ in range(5):
        r = demo_app.post("/login", data={"username": "therapist", "password": "wrong-wrong-1"})
        assert r.status_code == 401
    r = demo_app.post("/login", data={"username": "therapist", "password": DEMO_PASSWORD})
    assert r.status_code == 429
    assert int(r.headers["retry-after"]) > 0
    assert "Too many failed sign-ins" in r.text


def test_memory_window_expires() -> None:
    now = [0.0]
    limiter = MemoryRateLimiter(limit=2, window_s=10, clock=lambda: now[0])
    limiter.failed("k")
    now[0] = 3.0
    limiter.failed("k")
    assert limiter.blocked_for("k") == pytest.approx(7.0)  # first failure at t=0 leaves at t=10
    now[0] = 10.5
    assert limiter.blocked_for("k") == 0.0
    limiter.failed("k")
    limiter.reset("k")
    assert limiter.blocked_for("k") == 0.0


def test_redis_limiter_shared_window() -> None:
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(
        os.environ.get("HIPBACK_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Redis unreachable in CI: {exc}")
        pytest.skip(f"Redis unreachable: {exc}")
    prefix = f"hipback:test:{uuid.uuid4().hex}:"
    first, second = (RedisRateLimiter(client, 3, 60, prefix=prefix) for _ in range(2))
    for _ in range(3):
        first.failed("user:x")
    assert second.blocked_for("user:x") > 50  # a second worker sees the same count
    second.reset("user:x")
    assert first.blocked_for("user:x") == 0.0
