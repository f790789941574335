"""Schemathesis against the OpenAPI schema: generated requests never get a 5xx.

Every operation in the schema is called as a signed-in therapist (cookie + CSRF header) on the
demo clinic, with parameters and bodies Schemathesis generates from the schema (Hypothesis).
"""

from __future__ import annotations

import re
from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from .conftest import login

EXAMPLES_PER_OPERATION = 25


def _sign_in(client: TestClient) -> tuple[str, str]:
    r = login(client, "therapist", next="/patients", follow_redirects=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', r.text)
    assert match
    return client.cookies.get("hipback_session") or "", match.group(1)


def test_no_server_errors(demo_app: TestClient) -> None:
    cookie, csrf = _sign_in(demo_app)
    schema = schemathesis.openapi.from_asgi("/openapi.json", demo_app.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    seen: list[str] = []

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            response = case.call(
                headers={"X-CSRF-Token": csrf}, cookies={"hipback_session": cookie}
            )
            seen.append(f"{case.method} {case.path} {response.status_code}")
            assert response.status_code < 500, (
                case.method,
                case.formatted_path,
                response.text[:500],
            )

        check()
    assert len(seen) >= len(operations)
    assert not any(line.endswith(("500", "502", "503")) for line in seen)
