"""Evaluation form generated from the model: round trip, errors next to fields, screening page."""

from __future__ import annotations

import json
import re
from pathlib import Path

from fastapi.testclient import TestClient

from hipback.screening import evaluation_schema, load_evaluation
from hipback.web import schemaform

from .conftest import sign_in

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "evaluation.json"


def _example() -> dict[str, object]:
    data = json.loads(EXAMPLE.read_text())
    data.pop("baseline_measures", None)
    return data


def test_form_round_trips_the_example() -> None:
    section = schemaform.build(evaluation_schema(), skip=("schema_version", "baseline_measures"))
    data = _example()
    assert load_evaluation(schemaform.parse(section, schemaform.flatten(data))) == load_evaluation(
        data
    )


def test_blank_form_is_empty() -> None:
    section = schemaform.build(evaluation_schema())
    assert schemaform.parse(section, {}) == {}


def _form_for(patient_url: str, client: TestClient, data: dict[str, object]) -> dict[str, str]:
    page = client.get(f"{patient_url}/evaluation").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf
    form = schemaform.flatten(data)
    form.pop("patient.id", None)
    form["csrf_token"] = csrf.group(1)
    return form


def test_eligible_patient_screened_with_reasons(demo_app: TestClient) -> None:
    sign_in(demo_app, "therapist")
    form = _form_for("/patients/1", demo_app, _example())
    r = demo_app.post("/patients/1/evaluation", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text[:2000]
    page = demo_app.get(r.headers["location"]).text
    assert "ELIGIBLE" in page
    assert "I5" in page  # every criterion is listed with its reason
    assert "Create plan" in page


def test_bad_value_named_next_to_field(demo_app: TestClient) -> None:
    sign_in(demo_app, "therapist")
    form = _form_for("/patients/1", demo_app, _example())
    form["hip_exam.left.rom_deg.internal_rotation"] = "400"
    r = demo_app.post("/patients/1/evaluation", data=form)
    assert r.status_code == 422
    assert 'id="hip_exam.left.rom_deg.internal_rotation-err"' in r.text


def test_red_flag_refers(demo_app: TestClient) -> None:
    sign_in(demo_app, "therapist")
    data = _example()
    data["red_flags"] = dict(data["red_flags"]) | {"saddle_anaesthesia": True}  # type: ignore[call-overload]
    form = _form_for("/patients/1", demo_app, data)
    r = demo_app.post("/patients/1/evaluation", data=form)
    assert r.status_code == 200
    assert "REFER" in r.text
    assert "Create plan" not in r.text
