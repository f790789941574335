"""Pure FHIR mapping: resources validate with fhir.resources (R4B), and map back losslessly."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from hipback import measures
from hipback.errors import InvalidInput
from hipback.fhir import ids
from hipback.fhir.bundle import build_bundle, read_bundle
from hipback.fhir.questionnaires import questionnaire_resource, response_items, responses_from
from hipback.fhir.records import Exchange

NOW = datetime(2026, 11, 29, 10, tzinfo=UTC)


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _entry(bundle: dict[str, Any], rtype: str, nth: int = 0) -> tuple[int, dict[str, Any]]:
    found = [
        (i, e["resource"])
        for i, e in enumerate(bundle["entry"])
        if e["resource"]["resourceType"] == rtype
    ]
    return found[nth]


def test_every_resource_validates_with_fhir_resources(exchange: Exchange) -> None:
    bundle = build_bundle(exchange, NOW)
    Bundle.model_validate(bundle)
    types = set()
    for entry in bundle["entry"]:
        res = entry["resource"]
        get_fhir_model_class(res["resourceType"]).model_validate(res)
        types.add(res["resourceType"])
    assert types == {
        "Practitioner",
        "Questionnaire",
        "Patient",
        "EpisodeOfCare",
        "Condition",
        "ClinicalImpression",
        "CarePlan",
        "Procedure",
        "QuestionnaireResponse",
        "Observation",
    }


def test_every_instrument_questionnaire_validates_and_carries_topics_only() -> None:
    for instrument in measures.ids():
        res = questionnaire_resource(instrument)
        get_fhir_model_class("Questionnaire").model_validate(res)
        spec = measures.get(instrument).spec
        topics = {i.id: i.topic for i in spec.items}
        for item in res["item"]:
            if item["linkId"] in topics:
                assert item["text"] == topics[item["linkId"]]
        assert spec.licence.holder in res["copyright"]


def test_pure_round_trip_is_lossless(exchange: Exchange) -> None:
    first = build_bundle(exchange, NOW)
    again = build_bundle(read_bundle(first), NOW)
    assert canonical(again) == canonical(first)
    back = read_bundle(first).records[0]
    original = exchange.records[0]
    assert back.patient == original.patient
    assert back.episodes == original.episodes  # includes status "withdrawn"
    assert back.plans == original.plans
    assert back.evaluations == original.evaluations
    assert back.logs == original.logs
    assert [o.responses for o in back.outcomes] == [o.responses for o in original.outcomes]


def test_missing_item_is_left_out_and_comes_back_as_null() -> None:
    responses = {"items": [1, 2, 3, None, 1, 2, 3, 1, 0, 2]}
    items = response_items("odi", responses)
    assert len(items) == 9
    fourth = measures.get("odi").spec.items[3].id
    assert fourth not in [i["linkId"] for i in items]
    assert responses_from("odi", items) == responses


def test_answer_types_survive() -> None:
    responses = {"time_s": 5.0, "distance_m": 6}
    items = response_items("ten_mwt", responses)
    assert items[0]["answer"] == [{"valueInteger": 6}]
    assert items[1]["answer"] == [{"valueDecimal": 5.0}]
    back = responses_from("ten_mwt", items)
    assert back == responses and isinstance(back["time_s"], float)


def test_loinc_only_where_the_spec_has_it_with_its_confidence() -> None:
    # measures.md §4: NPRS 72514-3 ✅; §1: QBPDS none found ❌; §6: 6MWT 64098-7 ⚠️
    nprs = questionnaire_resource("nprs")["code"]
    assert nprs[1]["system"] == ids.LOINC and nprs[1]["code"] == "72514-3"
    assert nprs[1]["extension"][0]["valueCode"] == "verified"
    assert [c["system"] for c in questionnaire_resource("qbpds")["code"]] == [ids.MEASURES_SYSTEM]
    six = questionnaire_resource("six_mwt")["code"]
    assert six[1]["code"] == "64098-7" and six[1]["extension"][0]["valueCode"] != "verified"


def test_profile_score_without_headline_value_uses_components(exchange: Exchange) -> None:
    bundle = build_bundle(exchange, NOW)
    promis = next(
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation"
        and e["resource"]["code"]["coding"][0]["code"] == "promis29"
    )
    assert "valueQuantity" not in promis and promis["dataAbsentReason"]
    names = [c["code"]["text"] for c in promis["component"]]
    assert names == sorted(names) and "physical_function" in names


def test_unverified_norm_is_marked(exchange: Exchange) -> None:
    bundle = build_bundle(exchange, NOW)
    gait = next(
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation"
        and e["resource"]["code"]["coding"][0]["code"] == "ten_mwt"
    )
    notes = [n["text"] for n in gait["note"]]
    # Perry 1995 ambulation categories are 'uncertain' in measures/data/ten_mwt (stroke-derived)
    assert any("Perry" in n and "NOT VERIFIED" in n for n in notes)


def test_wrong_value_type_names_the_path(exchange: Exchange) -> None:
    bundle = build_bundle(exchange, NOW)
    i, obs = _entry(bundle, "Observation")
    obs["valueQuantity"]["value"] = "lots"
    with pytest.raises(InvalidInput) as info:
        read_bundle(bundle)
    fields = [p.field for p in info.value.problems]
    assert f"Bundle.entry[{i}].resource(Observation).valueQuantity.value" in fields


def test_value_that_does_not_match_the_responses_is_refused(exchange: Exchange) -> None:
    bundle = build_bundle(exchange, NOW)
    i, obs = _entry(bundle, "Observation")
    assert obs["code"]["coding"][0]["code"] == "odi"
    # ODI items 1+2+3+1+2+3+1+0+2 = 15 over 9 answered sections: 15 / 45 * 100 = 33.33...
    assert obs["valueQuantity"]["value"] == pytest.approx(100 / 3)
    obs["valueQuantity"]["value"] = 40
    with pytest.raises(InvalidInput) as info:
        read_bundle(bundle)
    [problem] = info.value.problems
    assert problem.field == f"Bundle.entry[{i}].resource(Observation).valueQuantity.value"
    assert problem.value == 40


def test_out_of_range_answer_is_refused(exchange: Exchange) -> None:
    bundle = build_bundle(exchange, NOW)
    i, qr = _entry(bundle, "QuestionnaireResponse")
    qr["item"][0]["answer"] = [{"valueInteger": 9}]
    with pytest.raises(InvalidInput) as info:
        read_bundle(bundle)
    assert info.value.problems[0].field.startswith(
        f"Bundle.entry[{i}].resource(QuestionnaireResponse).item"
    )


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda b: b.update(resourceType="Patient"), "Bundle.resourceType"),
        (lambda b: b.update(type="transaction"), "Bundle.type"),
        (
            lambda b: b["entry"].append({"fullUrl": "urn:x", "resource": {"resourceType": "Flag"}}),
            "resource.resourceType",
        ),
        (
            lambda b: b["entry"][3].update(fullUrl=b["entry"][2]["fullUrl"]),
            "Bundle.entry[3].fullUrl",
        ),
        (lambda b: b["entry"][3]["resource"].update(bogus=1), ".bogus"),
    ],
)
def test_malformed_bundles_name_the_problem(exchange: Exchange, mutate: Any, field: str) -> None:
    bundle = copy.deepcopy(build_bundle(exchange, NOW))
    mutate(bundle)
    with pytest.raises(InvalidInput) as info:
        read_bundle(bundle)
    assert any(field in p.field for p in info.value.problems), info.value.problems


def test_dangling_reference_is_refused(exchange: Exchange) -> None:
    bundle = build_bundle(exchange, NOW)
    i, episode = _entry(bundle, "EpisodeOfCare")
    episode["patient"]["reference"] = "urn:uuid:00000000-0000-0000-0000-000000000000"
    with pytest.raises(InvalidInput) as info:
        read_bundle(bundle)
    assert f"Bundle.entry[{i}].resource(EpisodeOfCare).patient.reference" in [
        p.field for p in info.value.problems
    ]


def test_identifiers_are_stable_and_not_database_ids(exchange: Exchange) -> None:
    bundle = build_bundle(exchange, NOW)
    _, patient = _entry(bundle, "Patient")
    assert patient["identifier"] == [
        {"system": "https://hipback.org/fhir/id/patient", "value": "T-0001"}
    ]
    assert bundle["entry"][2]["fullUrl"] == build_bundle(exchange, NOW)["entry"][2]["fullUrl"]
