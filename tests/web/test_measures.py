"""Calculator pages (no JavaScript needed) and the JSON scoring API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from hipback.measures import ids


def test_index_lists_every_instrument(client: TestClient) -> None:
    page = client.get("/measures")
    assert page.status_code == 200
    for instrument in ids():
        assert f'href="/measures/{instrument}"' in page.text


@pytest.mark.parametrize("instrument", ids())
def test_every_calculator_page_renders(client: TestClient, instrument: str) -> None:
    page = client.get(f"/measures/{instrument}")
    assert page.status_code == 200
    assert "<form" in page.text


def test_form_post_scores_without_javascript(client: TestClient) -> None:
    form = {f"before_items_{i}": "2" for i in range(20)}
    page = client.post("/measures/qbpds", data=form)
    assert page.status_code == 200
    assert "40 points" in page.text


def test_form_compares_two_columns(client: TestClient) -> None:
    form = {f"before_items_{i}": "3" for i in range(20)}
    form |= {f"after_items_{i}": "2" for i in range(20)}
    page = client.post("/measures/qbpds", data=form)
    assert page.status_code == 200
    assert "improved" in page.text
    assert "QBPDS improved by 20 points" in page.text


def test_form_error_shown_next_to_field(client: TestClient) -> None:
    form = {f"before_items_{i}": "2" for i in range(20)}
    form["before_items_4"] = "9"
    page = client.post("/measures/qbpds", data=form)
    assert page.status_code == 422
    assert 'id="before_items_4-err"' in page.text
    assert "9 is not allowed: a whole number from 0 to 5" in page.text


def test_form_text_in_number_field_is_named(client: TestClient) -> None:
    form = {f"before_items_{i}": "2" for i in range(20)}
    form["before_items_0"] = "two"
    page = client.post("/measures/qbpds", data=form)
    assert page.status_code == 422
    assert "&#39;two&#39; is not allowed" in page.text


def test_api_score(client: TestClient) -> None:
    r = client.post("/api/measures/odi/score", json={"items": [1] * 10})
    assert r.status_code == 200
    body = r.json()
    assert body["instrument"] == "odi"
    assert body["score"] == 20.0
    assert body["unit"] == "%"
    assert body["interpretation"]["category"] == "minimal disability"


def test_api_bad_input_is_422_naming_field(client: TestClient) -> None:
    r = client.post("/api/measures/qbpds/score", json={"items": [1] * 19 + [8]})
    assert r.status_code == 422
    (problem,) = r.json()["problems"]
    assert problem["field"] == "items[19]"
    assert problem["value"] == 8
    assert problem["allowed"] == "a whole number from 0 to 5"


def test_api_unknown_instrument(client: TestClient) -> None:
    r = client.post("/api/measures/nope/score", json={})
    assert r.status_code == 422
    assert r.json()["problems"][0]["field"] == "instrument"


@pytest.mark.parametrize("body", ["[1,2]", '"x"', "{", ""])
def test_api_malformed_json_is_not_500(client: TestClient, body: str) -> None:
    r = client.post(
        "/api/measures/qbpds/score", content=body, headers={"content-type": "application/json"}
    )
    assert r.status_code == 422


def test_api_compare(client: TestClient) -> None:
    r = client.post(
        "/api/measures/qbpds/compare",
        json={"before": {"items": [3] * 20}, "after": {"items": [2] * 20}},
    )
    assert r.status_code == 200
    assert r.json()["verdict"] == "improved"


def test_api_compare_missing_after(client: TestClient) -> None:
    r = client.post("/api/measures/qbpds/compare", json={"before": {"items": [3] * 20}})
    assert r.status_code == 422
    assert r.json()["problems"][0]["field"] == "after"


def test_openapi_lists_scoring_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/measures/{instrument}/score" in paths


def test_unknown_page_is_friendly_404(client: TestClient) -> None:
    r = client.get("/measures/nope")
    assert r.status_code == 422 or r.status_code == 404
    assert "allowed" in r.text
