"""Observations: one per score (subscores as components) and one per home-exercise log line.

Score Observations are coded in the hipback measures CodeSystem and, where the instrument's spec
has one, in LOINC too; the LOINC coding carries the spec's confidence mark (verified, uncertain,
unverified) in an extension, since several of those codes are not yet confirmed in LOINC.
"""

from __future__ import annotations

from typing import Any

from hipback import measures
from hipback.fhir import ids
from hipback.fhir.questionnaires import instrument_coding
from hipback.fhir.records import LogRec, OutcomeRec
from hipback.fhir.values import instant, parse_date, parse_instant

CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
UCUM_UNITS = {"m/s": "m/s", "s": "s", "m": "m", "N": "N", "kg": "kg", "N/kg": "N/kg"}
LOG_CODE = "home-exercise-log"


def _quantity(value: float | None, unit: str) -> dict[str, Any]:
    if value is None:
        return {"dataAbsentReason": {"coding": [{"system": ABSENT, "code": "not-applicable"}]}}
    q: dict[str, Any] = {"value": value, "unit": unit}
    if unit in UCUM_UNITS:
        q |= {"system": ids.UCUM, "code": UCUM_UNITS[unit]}
    return {"valueQuantity": q}


def _norm_note(norm: dict[str, Any]) -> str:
    mark = "verified" if norm.get("verified") else f"NOT VERIFIED ({norm.get('confidence')})"
    return (
        f"Norm, {mark}: {norm.get('table')}: {norm.get('category')} ({norm.get('detail')}). "
        f"Source: {norm.get('source')}"
    )


def score_resource(o: OutcomeRec, mrn: str) -> dict[str, Any]:
    measure = measures.get(o.instrument)
    spec = measure.spec
    result = o.result
    kind = "survey" if spec.kind in ("questionnaire", "rating") else "exam"
    res: dict[str, Any] = {
        "resourceType": "Observation",
        "extension": [
            ids.ext("scoring-confidence", "valueCode", result.get("scoring_confidence", "verified"))
        ],
        "identifier": [ids.identifier("observation", o.key)],
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY, "code": kind}]}],
        "code": {"coding": instrument_coding(measure), "text": spec.name},
        "subject": ids.ref("patient", mrn),
        "effectiveDateTime": o.assessed_on.isoformat(),
    }
    if o.assessed_by is not None:
        res["performer"] = [ids.ref("practitioner", o.assessed_by)]
    res |= _quantity(o.value, spec.unit)
    category = result.get("category")
    if category:
        res["interpretation"] = [{"text": str(category)}]
    notes = [str(w) for w in result.get("warnings", [])]
    interpretation = result.get("interpretation") or {}
    notes += [_norm_note(n) for n in interpretation.get("norms", [])]
    unverified = interpretation.get("unverified") or []
    if unverified:
        notes.append("Not verified in the primary source: " + ", ".join(map(str, unverified)))
    if notes:
        res["note"] = [{"text": n} for n in notes]
    res["derivedFrom"] = [ids.ref("questionnaire-response", o.key)]
    subscores: dict[str, Any] = result.get("subscores") or {}
    if subscores:
        res["component"] = [
            {
                "code": {
                    "coding": [{"system": ids.MEASURES_SYSTEM, "code": f"{spec.id}.{name}"}],
                    "text": name,
                }
            }
            | _quantity(value, spec.unit)
            for name, value in sorted(subscores.items())
        ]
    return res


def score_values(res: dict[str, Any]) -> tuple[str, float | None, dict[str, float | None]]:
    """(derivedFrom reference, value, subscores) of a score Observation."""
    source = res["derivedFrom"][0]["reference"]
    value = res.get("valueQuantity", {}).get("value")
    subs: dict[str, float | None] = {}
    for comp in res.get("component", ()):
        code = comp["code"]["coding"][0]["code"]
        v = comp.get("valueQuantity", {}).get("value")
        subs[code.split(".", 1)[1]] = None if v is None else float(v)
    return source, None if value is None else float(value), subs


def is_log(res: dict[str, Any]) -> bool:
    return any(
        c.get("system") == ids.ACTIVITIES_SYSTEM and c.get("code") == LOG_CODE
        for c in res.get("code", {}).get("coding", ())
    )


def _component(code: str, value: int) -> dict[str, Any]:
    return {
        "code": {"coding": [{"system": ids.ACTIVITIES_SYSTEM, "code": code}], "text": code},
        "valueInteger": value,
    }


def log_resource(line: LogRec, mrn: str) -> dict[str, Any]:
    components = [_component("sets", line.sets)]
    if line.reps is not None:
        components.append(_component("reps", line.reps))
    components.append(_component("pain", line.pain))
    res: dict[str, Any] = {
        "resourceType": "Observation",
        "extension": [ids.ext("recorded-at", "valueDateTime", instant(line.created_at))],
        "identifier": [ids.identifier("observation", line.key)],
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY, "code": "activity"}]}],
        "code": {
            "coding": [{"system": ids.ACTIVITIES_SYSTEM, "code": LOG_CODE}],
            "text": "Home exercise log",
        },
        "subject": ids.ref("patient", mrn),
        "effectiveDateTime": line.logged_on.isoformat(),
        "valueCodeableConcept": {
            "coding": [{"system": ids.EXERCISES_SYSTEM, "code": line.exercise_id}]
        },
        "component": components,
    }
    if line.created_by is not None:
        res["performer"] = [ids.ref("practitioner", line.created_by)]
    if line.comment:
        res["note"] = [{"text": line.comment}]
    return res


def log_from(res: dict[str, Any], practitioners: dict[str, str]) -> LogRec:
    key = ids.own_identifier(res, "observation")
    if key is None:
        raise KeyError("identifier")
    recorded = ids.find_ext(res, "recorded-at")
    if recorded is None:
        raise KeyError("extension(recorded-at)")
    parts: dict[str, int] = {}
    for comp in res.get("component", ()):
        parts[comp["code"]["coding"][0]["code"]] = int(comp["valueInteger"])
    for needed in ("sets", "pain"):
        if needed not in parts:
            raise KeyError(f"component({needed})")
    performer = (res.get("performer") or [{}])[0].get("reference")
    if performer is not None and performer not in practitioners:
        raise KeyError("performer[0].reference")
    return LogRec(
        key=key,
        logged_on=parse_date(res["effectiveDateTime"][:10]),
        exercise_id=res["valueCodeableConcept"]["coding"][0]["code"],
        sets=parts["sets"],
        reps=parts.get("reps"),
        pain=parts["pain"],
        comment=(res.get("note") or [{"text": ""}])[0]["text"],
        created_at=parse_instant(recorded["valueDateTime"]),
        created_by=None if performer is None else practitioners[performer],
    )
