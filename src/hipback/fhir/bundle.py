"""Collection Bundles: build one from records, and read one back with path-named errors.

``build_bundle`` lays entries out in a fixed order (practitioners, questionnaires, then per
patient by record number: Patient, EpisodeOfCare + Condition, ClinicalImpression, CarePlan +
Procedures, QuestionnaireResponse + Observation, exercise-log Observations), so the same records
always give the same JSON. ``read_bundle`` (from :mod:`hipback.fhir.reader`) reads one back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hipback.fhir import ids
from hipback.fhir.care import (
    careplan_resource,
    evaluation_resource,
    procedure_resource,
)
from hipback.fhir.observations import log_resource, score_resource
from hipback.fhir.people import (
    condition_resource,
    episode_resource,
    patient_resource,
    practitioner_resource,
)
from hipback.fhir.questionnaires import (
    questionnaire_resource,
    response_resource,
)
from hipback.fhir.reader import read_bundle
from hipback.fhir.records import Exchange, PatientRecord
from hipback.fhir.values import instant


def _entry(kind: str, key: str, resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": ids.full_url(kind, key), "resource": resource}


def record_entries(r: PatientRecord) -> list[dict[str, Any]]:
    mrn = r.patient.mrn
    out = [_entry("patient", mrn, patient_resource(r.patient))]
    status = {e.key: e.status for e in r.episodes}
    for e in r.episodes:
        out.append(_entry("episode", e.key, episode_resource(e, mrn)))
        out.append(_entry("condition", e.key, condition_resource(e, mrn)))
    out += [_entry("evaluation", v.key, evaluation_resource(v, mrn)) for v in r.evaluations]
    for p in r.plans:
        out.append(_entry("careplan", p.key, careplan_resource(p, mrn, status[p.episode_key])))
        for s in p.sessions:
            if s.status == "delivered":
                key = ids.session_key(p.key, s.number)
                out.append(_entry("procedure", key, procedure_resource(p, s, mrn)))
    for o in r.outcomes:
        out.append(_entry("questionnaire-response", o.key, response_resource(o, mrn)))
        out.append(_entry("observation", o.key, score_resource(o, mrn)))
    out += [_entry("observation", line.key, log_resource(line, mrn)) for line in r.logs]
    return out


def build_bundle(exchange: Exchange, timestamp: datetime) -> dict[str, Any]:
    entries = [
        _entry("practitioner", p.username, practitioner_resource(p))
        for p in sorted(exchange.practitioners, key=lambda p: p.username)
    ]
    entries += [
        _entry("questionnaire", i, questionnaire_resource(i)) for i in sorted(exchange.instruments)
    ]
    for record in sorted(exchange.records, key=lambda r: r.patient.mrn):
        entries += record_entries(record)
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": instant(timestamp),
        "entry": entries,
    }


__all__ = ["build_bundle", "read_bundle", "record_entries"]
