"""Issue 12, item 2: inputs that used to become a 500 get a 422 (or 413) naming the field.

* non-finite numbers in JSON (``NaN``, ``Infinity``, ``-Infinity``, ``1e999``), anonymous;
* NUL and other control characters in any form field, query value or JSON string, on SQLite and
  PostgreSQL (PostgreSQL refuses NUL in text, which was a 500 in 9 of 10 places);
* JSON nested 1,000+ levels in a FHIR import (a RecursionError), and bodies over 10 MB;
* patient search for ``%`` or ``_`` (LIKE wildcards) matches those characters only.
"""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from hipback.web.permissions import ROUTES

from .conftest import sign_in
from .test_permissions import _ids, _url

#: form-encoded: NUL, ESC, vertical tab, DEL, a C1 code, and a UTF-8-encoded lone surrogate
CONTROLS = ["adm%00in", "a%1Bb", "tab%0Bbed", "del%7F", "c1%C2%85", "x%ED%A0%80y"]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_numbers_are_422(client: TestClient, constant: str) -> None:
    for instrument, field, extra in (
        ("nprs", "score", ""),
        ("ten_mwt", "time_s", ', "distance_m": 10'),
    ):
        r = client.post(
            f"/api/measures/{instrument}/score",
            content=f'{{"{field}": {constant}{extra}}}',
            headers={"content-type": "application/json"},
        )
        assert r.status_code == 422, r.text
        problem = r.json()["problems"][0]
        assert problem["field"] == field
        assert problem["value"] == constant
        assert problem["allowed"] == "a finite number"


def test_non_finite_error_values_serialise() -> None:
    """The error body itself never fails to serialise (it did, as the 500)."""
    from hipback.errors import Problem

    assert Problem("score", float("nan"), "0-10").as_dict()["value"] == "nan"
    assert Problem("score", float("-inf"), "0-10").as_dict()["value"] == "-inf"


def test_control_characters_in_sign_in_are_422(demo_app: TestClient) -> None:
    for value in CONTROLS:
        r = demo_app.post(
            "/login",
            content=f"username={value}&password=whatever-1234",
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert r.status_code == 422, (repr(value), r.status_code)
        assert "username" in r.text


def test_control_characters_everywhere_are_422(demo_app: TestClient) -> None:
    """Every POST route gets a form with a NUL in a field, every GET route a NUL in the query,
    every JSON route a NUL in a string: 422 naming the field, never a 5xx, on both databases."""
    csrf = sign_in(demo_app, "therapist")
    ids = _ids(demo_app)["own"]
    tried = 0
    for (method, path), _need in sorted(ROUTES.items()):
        url = _url(path, ids)
        if method == "GET":
            r = demo_app.get(url, params={"q": "adm\x00in"}, follow_redirects=False)
            assert r.status_code == 422, (url, r.status_code)
            assert "q" in {p["field"] for p in _problems(r)} or "q" in r.text
        else:
            form = {"csrf_token": csrf, "note": "a\x00b", "given_name": "N\x00ed"}
            r = demo_app.post(url, data=form, headers={"X-CSRF-Token": csrf})
            assert r.status_code == 422, (url, r.status_code, r.text[:300])
            if path.startswith("/api/"):
                body = {"given_name": "N\x00ed", "items": [1, "x\x00"]}
                r = demo_app.post(url, json=body, headers={"X-CSRF-Token": csrf})
                assert r.status_code == 422, (url, r.status_code, r.text[:300])
                fields = {p["field"] for p in _problems(r)}
                assert fields == {"given_name", "items.1"}, fields
        tried += 1
    assert tried >= 60


def _problems(r: object) -> list[dict[str, object]]:
    try:
        data = r.json()  # type: ignore[attr-defined]
    except json.JSONDecodeError:
        return []
    return list(data.get("problems", []))


def test_deep_json_and_huge_bodies(demo_app: TestClient) -> None:
    csrf = sign_in(demo_app, "therapist")
    headers = {"X-CSRF-Token": csrf, "content-type": "application/fhir+json"}
    deep = '{"resourceType": "Bundle", "entry": ' + "[" * 1500 + "]" * 1500 + "}"
    r = demo_app.post("/api/fhir/Bundle", content=deep, headers=headers)
    assert r.status_code == 422, r.text[:300]
    assert r.json()["problems"][0]["allowed"] == "JSON nested at most 64 levels"
    huge = b'{"x": "' + b"a" * (10 * 1024 * 1024) + b'"}'
    r = demo_app.post("/api/fhir/Bundle", content=huge, headers=headers)
    assert r.status_code == 413


def test_search_wildcards_are_literal(demo_app: TestClient) -> None:
    csrf = sign_in(demo_app, "therapist")
    everyone = demo_app.get("/api/patients", params={"limit": 500}).json()["total"]
    assert everyone > 2
    for text in ("%", "_", "%%", "a%", "_a"):
        r = demo_app.get("/api/patients", params={"q": text})
        assert r.status_code == 200
        assert r.json()["total"] == 0, text
    created = demo_app.post(
        "/api/patients",
        json={
            "given_name": "Ann",
            "family_name": "Per_cent",
            "birth_date": "1950-02-03",
            "sex": "female",
            "mrn": "WILD-100%",
        },
        headers={"X-CSRF-Token": csrf},
    )
    assert created.status_code == 201, created.text
    for text in ("r_c", "100%", "_"):
        found = demo_app.get("/api/patients", params={"q": text}).json()
        assert [p["mrn"] for p in found["patients"]] == ["WILD-100%"], text
