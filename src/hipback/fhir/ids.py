"""Systems, URLs and references used by every hipback FHIR resource.

Every resource carries an identifier ``{system: https://hipback.org/fhir/id/<type>, value}``
whose value is derived from the clinic record number and an ordinal (never a database id), so
the same record has the same identifier in every database and import can match on it. Bundle
``fullUrl``\\ s are ``urn:uuid:`` UUIDv5 of that identifier: stable across exports.
"""

from __future__ import annotations

import uuid
from typing import Any

BASE = "https://hipback.org/fhir"
ID_BASE = f"{BASE}/id"
EXT_BASE = f"{BASE}/StructureDefinition"
MEASURES_SYSTEM = f"{BASE}/CodeSystem/measures"
CONDITIONS_SYSTEM = f"{BASE}/CodeSystem/conditions"
ACTIVITIES_SYSTEM = f"{BASE}/CodeSystem/activities"
EXERCISES_SYSTEM = f"{BASE}/CodeSystem/exercises"
SITE_SYSTEM = f"{ID_BASE}/site"
QUESTIONNAIRE_BASE = f"{BASE}/Questionnaire"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"


def ext_url(name: str) -> str:
    return f"{EXT_BASE}/{name}"


def system(kind: str) -> str:
    return f"{ID_BASE}/{kind}"


def identifier(kind: str, value: str) -> dict[str, str]:
    return {"system": system(kind), "value": value}


def full_url(kind: str, value: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{system(kind)}|{value}"))


def ref(kind: str, value: str) -> dict[str, str]:
    return {"reference": full_url(kind, value)}


def ext(name: str, key: str, value: Any) -> dict[str, Any]:
    return {"url": ext_url(name), key: value}


def find_ext(resource: dict[str, Any], name: str) -> dict[str, Any] | None:
    url = ext_url(name)
    for e in resource.get("extension", ()):
        if e.get("url") == url:
            found: dict[str, Any] = e
            return found
    return None


def own_identifier(resource: dict[str, Any], kind: str) -> str | None:
    wanted = system(kind)
    for ident in resource.get("identifier", ()):
        if ident.get("system") == wanted and isinstance(ident.get("value"), str):
            value: str = ident["value"]
            return value
    return None


# Stable keys (identifier values) of each record type.
def episode_key(mrn: str, n: int) -> str:
    return f"{mrn}/episode/{n}"


def evaluation_key(mrn: str, n: int) -> str:
    return f"{mrn}/evaluation/{n}"


def plan_key(mrn: str, n: int) -> str:
    return f"{mrn}/plan/{n}"


def session_key(plan: str, number: int) -> str:
    return f"{plan}/session/{number}"


def outcome_key(mrn: str, n: int) -> str:
    return f"{mrn}/outcome/{n}"


def log_key(mrn: str, n: int) -> str:
    return f"{mrn}/exercise-log/{n}"
