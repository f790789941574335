"""ClinicalImpression (first-visit evaluation), CarePlan (the plan and its sessions) and
Procedure (each delivered session).

The clinical documents hipback keeps as JSON (evaluation findings, screening result, the full
plan with doses and reasons, session documentation) travel as ``application/json`` Attachments
in hipback extensions, so import restores them exactly; the readable FHIR parts (dates, status,
activities with exercise names and doses, notes) are filled from them.
"""

from __future__ import annotations

from typing import Any

from hipback.fhir import ids
from hipback.fhir.records import EvaluationRec, PlanRec, SessionRec
from hipback.fhir.values import (
    attachment_json,
    instant,
    json_attachment,
    parse_date,
    parse_instant,
)

CAREPLAN_STATUS = {"open": "active", "discharged": "completed", "withdrawn": "revoked"}
ACTIVITY_STATUS = {
    "planned": "scheduled",
    "delivered": "completed",
    "missed": "not-started",
    "cancelled": "cancelled",
}


def _json_ext(name: str, document: Any) -> dict[str, Any]:
    return ids.ext(name, "valueAttachment", json_attachment(name, document))


def _json_from(res: dict[str, Any], name: str) -> Any:
    found = ids.find_ext(res, name)
    if found is None:
        raise KeyError(f"extension({name})")
    try:
        return attachment_json(found["valueAttachment"])
    except ValueError as exc:
        raise ValueError(f"extension({name}).valueAttachment: {exc}") from None


def _who(ref: dict[str, Any] | None, practitioners: dict[str, str], where: str) -> str | None:
    if ref is None:
        return None
    target = ref.get("reference")
    if target not in practitioners:
        raise KeyError(where)
    return practitioners[target]


def evaluation_resource(e: EvaluationRec, mrn: str) -> dict[str, Any]:
    res: dict[str, Any] = {
        "resourceType": "ClinicalImpression",
        "extension": [
            ids.ext("episode", "valueReference", ids.ref("episode", e.episode_key)),
            ids.ext("decision", "valueCode", e.decision),
            ids.ext("recorded-at", "valueDateTime", instant(e.created_at)),
            _json_ext("evaluation", e.data),
            _json_ext("screening", e.screening),
        ],
        "identifier": [ids.identifier("evaluation", e.key)],
        "status": "completed",
        "code": {
            "coding": [{"system": ids.ACTIVITIES_SYSTEM, "code": "first-visit-evaluation"}],
            "text": "First-visit evaluation and MASH screening",
        },
        "subject": ids.ref("patient", mrn),
        "effectiveDateTime": e.assessed_on.isoformat(),
        "problem": [ids.ref("condition", e.episode_key)],
        "summary": f"Screening decision: {e.decision}",
    }
    if e.created_by is not None:
        res["assessor"] = ids.ref("practitioner", e.created_by)
    return res


def evaluation_from(
    res: dict[str, Any], episodes: dict[str, str], practitioners: dict[str, str]
) -> EvaluationRec:
    key = ids.own_identifier(res, "evaluation")
    if key is None:
        raise KeyError("identifier")
    episode = ids.find_ext(res, "episode")
    if episode is None or episode["valueReference"].get("reference") not in episodes:
        raise KeyError("extension(episode).valueReference.reference")
    decision = ids.find_ext(res, "decision")
    recorded = ids.find_ext(res, "recorded-at")
    if decision is None:
        raise KeyError("extension(decision)")
    if recorded is None:
        raise KeyError("extension(recorded-at)")
    return EvaluationRec(
        key=key,
        episode_key=episodes[episode["valueReference"]["reference"]],
        assessed_on=parse_date(res["effectiveDateTime"][:10]),
        decision=decision["valueCode"],
        data=_json_from(res, "evaluation"),
        screening=_json_from(res, "screening"),
        created_by=_who(res.get("assessor"), practitioners, "assessor.reference"),
        created_at=parse_instant(recorded["valueDateTime"]),
    )


def _session_text(plan: dict[str, Any], number: int) -> str:
    for session in plan.get("sessions", ()):
        if session.get("number") == number:
            items = [
                f"{i.get('name', i.get('id'))}: {i.get('dose_text', '')}".rstrip(": ")
                for i in session.get("items", ())
            ]
            return "; ".join(items) or "Session"
    return "Session"


def careplan_resource(p: PlanRec, mrn: str, episode_status: str) -> dict[str, Any]:
    activities = []
    for s in p.sessions:
        detail: dict[str, Any] = {
            "extension": [
                ids.ext("session-number", "valueInteger", s.number),
                ids.ext("session-status", "valueCode", s.status),
            ],
            "kind": "Appointment",
            "code": {
                "coding": [{"system": ids.ACTIVITIES_SYSTEM, "code": "supervised-pt-session"}],
                "text": f"Supervised session {s.number}",
            },
            "status": ACTIVITY_STATUS[s.status],
            "scheduledPeriod": {"start": s.planned_on.isoformat()},
            "description": _session_text(p.data, s.number),
        }
        activity: dict[str, Any] = {"detail": detail}
        if s.status == "delivered":
            activity["outcomeReference"] = [ids.ref("procedure", ids.session_key(p.key, s.number))]
        activities.append(activity)
    return {
        "resourceType": "CarePlan",
        "extension": [
            ids.ext("episode", "valueReference", ids.ref("episode", p.episode_key)),
            ids.ext("arm", "valueCode", p.arm),
            ids.ext("recorded-at", "valueDateTime", instant(p.created_at)),
            _json_ext("plan", p.data),
        ],
        "identifier": [ids.identifier("careplan", p.key)],
        "status": CAREPLAN_STATUS[episode_status],
        "intent": "plan",
        "title": f"{p.arm.capitalize()}-focused physical therapy plan",
        "subject": ids.ref("patient", mrn),
        "period": {"start": p.start_on.isoformat()},
        "addresses": [ids.ref("condition", p.episode_key)],
        "supportingInfo": [ids.ref("evaluation", p.evaluation_key)],
        "activity": activities,
    }


def procedure_resource(p: PlanRec, s: SessionRec, mrn: str) -> dict[str, Any]:
    key = ids.session_key(p.key, s.number)
    exts = [ids.ext("session-number", "valueInteger", s.number)]
    if s.documentation is not None:
        exts.append(_json_ext("session-documentation", s.documentation))
    res: dict[str, Any] = {
        "resourceType": "Procedure",
        "extension": exts,
        "identifier": [ids.identifier("procedure", key)],
        "basedOn": [ids.ref("careplan", p.key)],
        "status": "completed",
        "code": {
            "coding": [{"system": ids.ACTIVITIES_SYSTEM, "code": "supervised-pt-session"}],
            "text": f"Supervised physical therapy session {s.number}",
        },
        "subject": ids.ref("patient", mrn),
    }
    if s.delivered_on is not None:
        res["performedDateTime"] = s.delivered_on.isoformat()
    if s.recorded_by is not None:
        res["performer"] = [{"actor": ids.ref("practitioner", s.recorded_by)}]
    if s.notes:
        res["note"] = [{"text": s.notes}]
    return res


def _session_from(
    n: int,
    activity: dict[str, Any],
    procedures: dict[str, dict[str, Any]],
    practitioners: dict[str, str],
) -> SessionRec:
    where = f"activity[{n}]"
    detail = activity["detail"]
    number = ids.find_ext(detail, "session-number")
    status = ids.find_ext(detail, "session-status")
    if number is None:
        raise KeyError(f"{where}.detail.extension(session-number)")
    if status is None or status["valueCode"] not in ACTIVITY_STATUS:
        raise KeyError(f"{where}.detail.extension(session-status)")
    outcome = (activity.get("outcomeReference") or [{}])[0].get("reference")
    proc: dict[str, Any] = {}
    if outcome is not None:
        if outcome not in procedures:
            raise KeyError(f"{where}.outcomeReference[0].reference")
        proc = procedures[outcome]
    performed = proc.get("performedDateTime")
    doc = (
        _json_from(proc, "session-documentation")
        if ids.find_ext(proc, "session-documentation")
        else None
    )
    actor = (proc.get("performer") or [{}])[0].get("actor")
    return SessionRec(
        number=int(number["valueInteger"]),
        planned_on=parse_date(detail["scheduledPeriod"]["start"][:10]),
        status=status["valueCode"],
        delivered_on=None if performed is None else parse_date(performed[:10]),
        documentation=doc,
        notes=(proc.get("note") or [{"text": ""}])[0]["text"],
        recorded_by=_who(actor, practitioners, "Procedure.performer[0].actor.reference"),
    )


def careplan_from(
    res: dict[str, Any],
    episodes: dict[str, str],
    evaluations: dict[str, str],
    procedures: dict[str, dict[str, Any]],
    practitioners: dict[str, str],
) -> PlanRec:
    key = ids.own_identifier(res, "careplan")
    if key is None:
        raise KeyError("identifier")
    episode = ids.find_ext(res, "episode")
    if episode is None or episode["valueReference"].get("reference") not in episodes:
        raise KeyError("extension(episode).valueReference.reference")
    arm = ids.find_ext(res, "arm")
    recorded = ids.find_ext(res, "recorded-at")
    if arm is None:
        raise KeyError("extension(arm)")
    if recorded is None:
        raise KeyError("extension(recorded-at)")
    evaluation = (res.get("supportingInfo") or [{}])[0].get("reference")
    if evaluation not in evaluations:
        raise KeyError("supportingInfo[0].reference")
    sessions = tuple(
        _session_from(n, a, procedures, practitioners)
        for n, a in enumerate(res.get("activity", ()))
    )
    return PlanRec(
        key=key,
        episode_key=episodes[episode["valueReference"]["reference"]],
        evaluation_key=evaluations[evaluation],
        arm=arm["valueCode"],
        start_on=parse_date(res["period"]["start"][:10]),
        data=_json_from(res, "plan"),
        created_at=parse_instant(recorded["valueDateTime"]),
        sessions=sessions,
    )
