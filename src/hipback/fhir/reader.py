"""Reading a hipback collection Bundle back into records, with path-named errors.

Every resource is validated with fhir.resources (R4B), then mapped back; each
QuestionnaireResponse is rescored and the Observation's value checked against that score. Every
problem names ``Bundle.entry[i].resource(Type).path``; all problems are reported together.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any, TypeVar

from pydantic import ValidationError

from hipback import measures
from hipback.errors import InvalidInput, Problem
from hipback.fhir.care import careplan_from, evaluation_from
from hipback.fhir.observations import is_log, log_from, score_values
from hipback.fhir.people import episode_from, patient_from, practitioner_from
from hipback.fhir.questionnaires import instrument_of, response_from
from hipback.fhir.records import Exchange, OutcomeRec, PatientRecord

SUPPORTED = (
    "Patient",
    "Practitioner",
    "EpisodeOfCare",
    "Condition",
    "ClinicalImpression",
    "CarePlan",
    "Procedure",
    "Questionnaire",
    "QuestionnaireResponse",
    "Observation",
)
FIELD_HELP = "see docs/fhir.md for what hipback reads"
T = TypeVar("T")


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out.lstrip(".")


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def where(self, i: int, rtype: str, path: str = "") -> str:
        base = f"Bundle.entry[{i}].resource({rtype})"
        return f"{base}.{path}" if path else base

    def attempt(self, i: int, rtype: str, fn: Callable[[], T]) -> T | None:
        try:
            return fn()
        except InvalidInput as exc:
            self.problems += [
                Problem(self.where(i, rtype, p.field), p.value, p.allowed, p.message)
                for p in exc.problems
            ]
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
            detail = str(exc.args[0]) if exc.args else type(exc).__name__
            path = detail if isinstance(exc, KeyError) else ""
            message = "missing or malformed" if isinstance(exc, KeyError) else detail
            self.problems.append(Problem(self.where(i, rtype, path), None, FIELD_HELP, message))
        return None


def _validated(bundle: Any, reader: _Reader) -> list[tuple[int, str, str, dict[str, Any]]]:
    # the FHIR models are imported on first use (they cost ~35 MB and 0.2 s at start-up)
    from fhir.resources.R4B import get_fhir_model_class

    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise InvalidInput.one("Bundle.resourceType", _short(bundle), "a FHIR Bundle object")
    if bundle.get("type") != "collection":
        raise InvalidInput.one("Bundle.type", bundle.get("type"), "'collection'")
    entries = bundle.get("entry", [])
    if not isinstance(entries, list):
        raise InvalidInput.one("Bundle.entry", _short(entries), "a list of entries")
    seen: dict[str, int] = {}
    out = []
    for i, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        rtype = resource.get("resourceType") if isinstance(resource, dict) else None
        if not isinstance(resource, dict) or rtype not in SUPPORTED:
            reader.problems.append(
                Problem(
                    f"Bundle.entry[{i}].resource.resourceType",
                    rtype,
                    "one of " + ", ".join(SUPPORTED),
                )
            )
            continue
        assert isinstance(entry, dict) and isinstance(rtype, str)
        url = entry.get("fullUrl")
        if not isinstance(url, str) or url in seen:
            reader.problems.append(
                Problem(f"Bundle.entry[{i}].fullUrl", url, "a fullUrl unique in the Bundle")
            )
            continue
        seen[url] = i
        try:
            get_fhir_model_class(rtype).model_validate(resource)
        except ValidationError as exc:
            for err in exc.errors():
                reader.problems.append(
                    Problem(
                        reader.where(i, rtype, _loc(tuple(err["loc"]))),
                        _short(err.get("input")),
                        f"a valid FHIR R4 {rtype} ({err['type']})",
                        str(err["msg"]),
                    )
                )
            continue
        out.append((i, rtype, url, resource))
    if reader.problems:
        raise InvalidInput(reader.problems)
    return out


def _short(value: Any) -> Any:
    text = repr(value)
    return value if len(text) <= 80 else text[:77] + "..."


def _age(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def read_bundle(bundle: Any) -> Exchange:
    """The records in a hipback Bundle; :class:`InvalidInput` lists every problem found."""
    reader = _Reader()
    entries = _validated(bundle, reader)
    by_type: dict[str, list[tuple[int, str, dict[str, Any]]]] = {t: [] for t in SUPPORTED}
    for i, rtype, url, res in entries:
        by_type[rtype].append((i, url, res))
    practitioners: dict[str, str] = {}
    found_practitioners = []
    for i, url, res in by_type["Practitioner"]:
        got = reader.attempt(i, "Practitioner", partial(practitioner_from, res))
        if got is not None:
            practitioners[url] = got.username
            found_practitioners.append(got)
    instruments = []
    for i, _url, res in by_type["Questionnaire"]:
        inst = reader.attempt(i, "Questionnaire", partial(instrument_of, str(res.get("url"))))
        if inst is not None:
            instruments.append(inst)
    patients: dict[str, Any] = {}
    for i, url, res in by_type["Patient"]:
        p = reader.attempt(i, "Patient", partial(patient_from, res))
        if p is not None:
            patients[url] = p
    parts: dict[str, dict[str, list[Any]]] = {
        p.mrn: {k: [] for k in ("episodes", "evaluations", "plans", "outcomes", "logs")}
        for p in patients.values()
    }

    def owner(i: int, rtype: str, res: dict[str, Any], field: str) -> str | None:
        target = (res.get(field) or {}).get("reference")
        if target not in patients:
            reader.problems.append(
                Problem(reader.where(i, rtype, f"{field}.reference"), target, "a Patient entry")
            )
            return None
        mrn: str = patients[target].mrn
        return mrn

    episodes: dict[str, str] = {}
    episode_owner: dict[str, str] = {}
    for i, url, res in by_type["EpisodeOfCare"]:
        mrn = owner(i, "EpisodeOfCare", res, "patient")
        e = reader.attempt(i, "EpisodeOfCare", partial(episode_from, res, practitioners))
        if mrn is not None and e is not None:
            episodes[url] = e.key
            episode_owner[e.key] = mrn
            parts[mrn]["episodes"].append(e)
    evaluations: dict[str, str] = {}
    for i, url, res in by_type["ClinicalImpression"]:
        v = reader.attempt(
            i, "ClinicalImpression", partial(evaluation_from, res, episodes, practitioners)
        )
        if v is not None:
            evaluations[url] = v.key
            parts[episode_owner[v.episode_key]]["evaluations"].append(v)
    procedures = {url: res for _i, url, res in by_type["Procedure"]}
    for i, _url, res in by_type["CarePlan"]:
        plan = reader.attempt(
            i,
            "CarePlan",
            partial(careplan_from, res, episodes, evaluations, procedures, practitioners),
        )
        if plan is not None:
            parts[episode_owner[plan.episode_key]]["plans"].append(plan)
    scores: dict[str, tuple[int, float | None, dict[str, float | None]]] = {}
    for i, _url, res in by_type["Observation"]:
        if is_log(res):
            mrn = owner(i, "Observation", res, "subject")
            line = reader.attempt(i, "Observation", partial(log_from, res, practitioners))
            if mrn is not None and line is not None:
                parts[mrn]["logs"].append(line)
            continue
        value = reader.attempt(i, "Observation", partial(score_values, res))
        if value is not None:
            scores[value[0]] = (i, value[1], value[2])
    births = {p.mrn: p for p in patients.values()}
    for i, url, res in by_type["QuestionnaireResponse"]:
        o = reader.attempt(
            i,
            "QuestionnaireResponse",
            partial(response_from, res, episodes, practitioners),
        )
        if o is None:
            continue
        mrn = episode_owner[o.episode_key]
        patient = births[mrn]
        who = {"age": _age(patient.birth_date, o.assessed_on), "sex": patient.sex}
        scored = reader.attempt(i, "QuestionnaireResponse", partial(_rescore, o, who))
        if scored is None:
            continue
        if url in scores:
            _check_value(reader, scores.pop(url), scored)
        parts[mrn]["outcomes"].append(scored)
    for _url, (i, _v, _s) in scores.items():
        reader.problems.append(
            Problem(
                reader.where(i, "Observation", "derivedFrom[0].reference"),
                _url,
                "a QuestionnaireResponse entry of this Bundle",
            )
        )
    if reader.problems:
        raise InvalidInput(reader.problems)
    records = tuple(
        PatientRecord(
            patient=p,
            episodes=tuple(parts[p.mrn]["episodes"]),
            evaluations=tuple(parts[p.mrn]["evaluations"]),
            plans=tuple(parts[p.mrn]["plans"]),
            outcomes=tuple(parts[p.mrn]["outcomes"]),
            logs=tuple(parts[p.mrn]["logs"]),
        )
        for p in patients.values()
    )
    return Exchange(tuple(found_practitioners), tuple(instruments), records)


def _rescore(o: OutcomeRec, who: dict[str, Any]) -> OutcomeRec:
    """Score the responses as ``record_outcome`` does; problems name the response field."""
    try:
        score = measures.score(o.instrument, o.responses)
    except InvalidInput as exc:
        raise InvalidInput(
            Problem(f"item ({p.field})", p.value, p.allowed, p.message) for p in exc.problems
        ) from None
    result = score.as_dict() | {"interpretation": measures.interpret(score, who)}
    return OutcomeRec(
        key=o.key,
        episode_key=o.episode_key,
        timepoint=o.timepoint,
        instrument=o.instrument,
        assessed_on=o.assessed_on,
        responses=o.responses,
        value=score.value,
        assessed_by=o.assessed_by,
        result=result,
        subscores=dict(score.subscores),
    )


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _check_value(
    reader: _Reader, given: tuple[int, float | None, dict[str, float | None]], o: OutcomeRec
) -> None:
    i, value, subs = given
    if not _close(value, o.value):
        reader.problems.append(
            Problem(
                reader.where(i, "Observation", "valueQuantity.value"),
                value,
                f"{o.value} (hipback's {o.instrument} score of the QuestionnaireResponse)",
                "does not match the responses",
            )
        )
    for n, (name, expected) in enumerate(sorted(o.subscores.items())):
        if name in subs and not _close(subs[name], expected):
            reader.problems.append(
                Problem(
                    reader.where(i, "Observation", f"component[{n}].valueQuantity.value"),
                    subs[name],
                    f"{expected} (hipback's {name} subscore)",
                    "does not match the responses",
                )
            )
