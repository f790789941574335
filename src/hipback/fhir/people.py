"""Patient, Practitioner, EpisodeOfCare and Condition (chronic low back pain).

The condition is coded in the hipback CodeSystem (``chronic-low-back-pain``, the NIH Research
Task Force definition used by MASH): a SNOMED CT code could not be verified here (docs/fhir.md).
"""

from __future__ import annotations

from typing import Any

from hipback.fhir import ids
from hipback.fhir.records import EpisodeRec, PatientRec, PractitionerRec
from hipback.fhir.values import instant, parse_date, parse_instant

# hipback episode status → EpisodeOfCare.status (the exact status travels in an extension,
# since FHIR has no "withdrawn").
EPISODE_STATUS = {"open": "active", "discharged": "finished", "withdrawn": "finished"}
CONDITION_STATUS = {"open": "active", "discharged": "inactive", "withdrawn": "active"}
CLINICAL_ROLES = ("therapist", "assessor")


def patient_resource(p: PatientRec) -> dict[str, Any]:
    res: dict[str, Any] = {
        "resourceType": "Patient",
        "extension": [
            ids.ext("synthetic", "valueBoolean", p.synthetic),
            ids.ext("recorded-at", "valueDateTime", instant(p.created_at)),
        ],
        "identifier": [ids.identifier("patient", p.mrn)],
        "name": [{"family": p.family_name, "given": [p.given_name]}],
        "gender": p.sex,
        "birthDate": p.birth_date.isoformat(),
        "managingOrganization": {
            "identifier": {"system": ids.SITE_SYSTEM, "value": p.site_code},
            "display": p.site_name,
        },
    }
    if p.phone:
        res["telecom"] = [{"system": "phone", "value": p.phone}]
    return res


def patient_from(res: dict[str, Any]) -> PatientRec:
    """Raises KeyError/ValueError/IndexError with the missing part; the caller names the path."""
    name = res["name"][0]
    org = res["managingOrganization"]
    phone = next((t["value"] for t in res.get("telecom", ()) if t.get("system") == "phone"), None)
    synthetic = ids.find_ext(res, "synthetic")
    recorded = ids.find_ext(res, "recorded-at")
    if recorded is None:
        raise KeyError("extension(recorded-at)")
    mrn = ids.own_identifier(res, "patient")
    if mrn is None:
        raise KeyError("identifier")
    return PatientRec(
        mrn=mrn,
        given_name=name["given"][0],
        family_name=name["family"],
        birth_date=parse_date(res["birthDate"]),
        sex=res["gender"],
        phone=phone,
        synthetic=bool(synthetic and synthetic.get("valueBoolean")),
        site_code=org["identifier"]["value"],
        site_name=org.get("display", org["identifier"]["value"]),
        created_at=parse_instant(recorded["valueDateTime"]),
    )


def practitioner_resource(p: PractitionerRec) -> dict[str, Any]:
    return {
        "resourceType": "Practitioner",
        "extension": [ids.ext("role", "valueCode", p.role)],
        "identifier": [ids.identifier("practitioner", p.username)],
        "name": [{"text": p.display_name}],
    }


def practitioner_from(res: dict[str, Any]) -> PractitionerRec:
    username = ids.own_identifier(res, "practitioner")
    if username is None:
        raise KeyError("identifier")
    role = ids.find_ext(res, "role")
    role_code = role["valueCode"] if role else "therapist"
    if role_code not in CLINICAL_ROLES:
        raise ValueError(f"role {role_code!r}: one of {', '.join(CLINICAL_ROLES)}")
    return PractitionerRec(username, res["name"][0]["text"], role_code)


def episode_resource(e: EpisodeRec, mrn: str) -> dict[str, Any]:
    exts = [ids.ext("episode-status", "valueCode", e.status)]
    if e.arm is not None:
        exts.append(ids.ext("arm", "valueCode", e.arm))
    period = {"start": e.opened_on.isoformat()}
    if e.closed_on is not None:
        period["end"] = e.closed_on.isoformat()
    res: dict[str, Any] = {
        "resourceType": "EpisodeOfCare",
        "extension": exts,
        "identifier": [ids.identifier("episode", e.key)],
        "status": EPISODE_STATUS[e.status],
        "diagnosis": [{"condition": ids.ref("condition", e.key)}],
        "patient": ids.ref("patient", mrn),
        "period": period,
    }
    if e.therapist is not None:
        res["careManager"] = ids.ref("practitioner", e.therapist)
    return res


def episode_from(res: dict[str, Any], practitioners: dict[str, str]) -> EpisodeRec:
    key = ids.own_identifier(res, "episode")
    if key is None:
        raise KeyError("identifier")
    status = ids.find_ext(res, "episode-status")
    arm = ids.find_ext(res, "arm")
    manager = res.get("careManager", {}).get("reference")
    therapist = None
    if manager is not None:
        if manager not in practitioners:
            raise KeyError("careManager.reference")
        therapist = practitioners[manager]
    status_code = status["valueCode"] if status else _status_from(res["status"])
    if status_code not in EPISODE_STATUS:
        raise ValueError(f"episode status {status_code!r}: one of {', '.join(EPISODE_STATUS)}")
    end = res["period"].get("end")
    return EpisodeRec(
        key=key,
        opened_on=parse_date(res["period"]["start"]),
        closed_on=None if end is None else parse_date(end),
        status=status_code,
        arm=arm["valueCode"] if arm else None,
        therapist=therapist,
    )


def _status_from(fhir_status: str) -> str:
    return {"active": "open", "finished": "discharged"}.get(fhir_status, fhir_status)


def condition_resource(e: EpisodeRec, mrn: str) -> dict[str, Any]:
    """Chronic low back pain, one per episode (derived: import checks it, stores nothing)."""
    return {
        "resourceType": "Condition",
        "identifier": [ids.identifier("condition", e.key)],
        "clinicalStatus": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                    "code": CONDITION_STATUS[e.status],
                }
            ]
        },
        "verificationStatus": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                    "code": "confirmed",
                }
            ]
        },
        "code": {
            "coding": [
                {
                    "system": ids.CONDITIONS_SYSTEM,
                    "code": "chronic-low-back-pain",
                    "display": "Chronic low back pain (NIH Research Task Force definition)",
                }
            ],
            "text": "Chronic low back pain",
        },
        "subject": ids.ref("patient", mrn),
        "recordedDate": e.opened_on.isoformat(),
    }
