"""API: GET /api/fhir/Patient/{id}/$everything and POST /api/fhir/Bundle (limits, errors)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from fastapi.testclient import TestClient

from .conftest import sign_in


def test_everything_and_reimport(demo_app: TestClient) -> None:
    csrf = sign_in(demo_app, "therapist")
    r = demo_app.get("/api/fhir/Patient/1/$everything")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/fhir+json")
    bundle = r.json()
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    # Re-importing the clinic's own export matches every record: nothing changes.
    r = demo_app.post("/api/fhir/Bundle", json=bundle, headers={"x-csrf-token": csrf})
    assert r.status_code == 200, r.text
    assert r.json()["changed"] is False


def test_import_needs_csrf_and_permission(demo_app: TestClient) -> None:
    sign_in(demo_app, "therapist")
    r = demo_app.post("/api/fhir/Bundle", json={"resourceType": "Bundle"})
    assert r.status_code == 403
    sign_in(demo_app, "assessor")
    assert demo_app.get("/api/fhir/Patient/1/$everything").status_code == 403


def test_oversized_body_is_413(demo_app: TestClient) -> None:
    csrf = sign_in(demo_app, "therapist")
    body = b'{"resourceType": "Bundle", "pad": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    r = demo_app.post(
        "/api/fhir/Bundle",
        content=body,
        headers={"x-csrf-token": csrf, "content-type": "application/fhir+json"},
    )
    assert r.status_code == 413 and r.json()["error"] == "too_large"


def test_oversized_chunked_body_is_413(demo_app: TestClient) -> None:
    """Without Content-Length the stream is counted and cut off past 10 MB."""
    csrf = sign_in(demo_app, "therapist")

    def chunks() -> Iterator[bytes]:
        for _ in range(11):
            yield b" " * (1024 * 1024)

    r = demo_app.post(
        "/api/fhir/Bundle",
        content=chunks(),
        headers={"x-csrf-token": csrf, "content-type": "application/fhir+json"},
    )
    assert r.status_code == 413


def test_malformed_bundles_are_422_with_paths(demo_app: TestClient) -> None:
    csrf = sign_in(demo_app, "therapist")
    headers = {"x-csrf-token": csrf, "content-type": "application/fhir+json"}
    r = demo_app.post("/api/fhir/Bundle", content=b"{nope", headers=headers)
    assert r.status_code == 422 and r.json()["problems"][0]["field"] == "body"
    bundle = demo_app.get("/api/fhir/Patient/1/$everything").json()
    index = next(
        i for i, e in enumerate(bundle["entry"]) if e["resource"]["resourceType"] == "Patient"
    )
    bundle["entry"][index]["resource"]["birthDate"] = "not a date"
    r = demo_app.post("/api/fhir/Bundle", content=json.dumps(bundle), headers=headers)
    assert r.status_code == 422
    fields = [p["field"] for p in r.json()["problems"]]
    assert f"Bundle.entry[{index}].resource(Patient).birthDate" in fields
