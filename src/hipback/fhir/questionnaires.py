"""Questionnaire per instrument (item topics only, never wording) and QuestionnaireResponse.

A response object maps to QuestionnaireResponse items losslessly: a questionnaire's ``items``
list becomes one item per answered question (``linkId`` = the spec's item id; missing answers
are left out and come back as ``null``); every other key becomes an item with that ``linkId``
(a ``null`` value is an item without an answer). Answers keep their JSON type: whole numbers
as ``valueInteger``, other numbers as ``valueDecimal``, booleans as ``valueBoolean``, text as
``valueString``; nested values as ``valueString`` JSON flagged by an extension.
"""

from __future__ import annotations

import json
from typing import Any

from hipback import measures
from hipback.fhir import ids
from hipback.fhir.records import OutcomeRec
from hipback.fhir.values import parse_date
from hipback.measures.base import FieldSpec, Measure
from hipback.measures.binary import BinarySpec
from hipback.measures.questionnaire import Questionnaire

MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"


def questionnaire_url(instrument: str) -> str:
    return f"{ids.QUESTIONNAIRE_BASE}/{instrument}"


def instrument_coding(measure: Measure) -> list[dict[str, Any]]:
    """hipback code always; the LOINC code too when the spec has one, its confidence attached."""
    spec = measure.spec
    codings: list[dict[str, Any]] = [
        {"system": ids.MEASURES_SYSTEM, "code": spec.id, "display": spec.name}
    ]
    if spec.loinc is not None:
        codings.append(
            {
                "extension": [ids.ext("confidence", "valueCode", spec.loinc.confidence.value)],
                "system": ids.LOINC,
                "code": spec.loinc.code,
                "display": spec.loinc.display,
            }
        )
    return codings


def _item_type(f: FieldSpec, half_steps: bool) -> str:
    if isinstance(f, BinarySpec):
        return "boolean"
    if f.choices is not None:
        return "choice"
    return "integer" if f.integer and not half_steps else "decimal"


def _definition_item(f: FieldSpec, text: str, half_steps: bool) -> dict[str, Any]:
    kind = _item_type(f, half_steps)
    item: dict[str, Any] = {"linkId": f.name, "text": text, "type": kind}
    if f.choices is not None:
        item["answerOption"] = [{"valueString": c} for c in f.choices]
    if kind in ("integer", "decimal"):
        key = "valueInteger" if kind == "integer" else "valueDecimal"
        exts = []
        if f.min is not None:
            exts.append({"url": MIN_VALUE, key: int(f.min) if kind == "integer" else f.min})
        if f.max is not None:
            exts.append({"url": MAX_VALUE, key: int(f.max) if kind == "integer" else f.max})
        if exts:
            item["extension"] = exts
    return item


def questionnaire_resource(instrument: str) -> dict[str, Any]:
    measure = measures.get(instrument)
    spec = measure.spec
    half = bool(getattr(measure, "half_steps", False))
    topics = {item.id: item.topic for item in spec.items}
    items = [
        _definition_item(
            f, topics.get(f.name) or (f"{f.name} ({f.unit})" if f.unit else f.name), half
        )
        for f in measure.fields()
    ]
    licence = spec.licence
    return {
        "resourceType": "Questionnaire",
        "extension": [
            ids.ext("licence-status", "valueCode", licence.status),
            ids.ext("licence-confidence", "valueCode", licence.confidence.value),
        ],
        "url": questionnaire_url(spec.id),
        "identifier": [ids.identifier("questionnaire", spec.id)],
        "version": spec.version,
        "title": spec.name,
        "status": "active",
        "description": (
            f"{spec.summary} Item texts are short topic labels only; the instrument's wording "
            "is not reproduced (use the licensed form)."
        ),
        "copyright": f"{licence.holder}. {licence.terms}",
        "code": instrument_coding(measure),
        "item": items,
    }


def _answer(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, int):
        return {"valueInteger": value}
    if isinstance(value, float):
        return {"valueDecimal": value}
    if isinstance(value, str):
        return {"valueString": value}
    return {
        "extension": [ids.ext("json-value", "valueBoolean", True)],
        "valueString": json.dumps(value, sort_keys=True),
    }


def _value(answer: dict[str, Any]) -> Any:
    if "valueBoolean" in answer:
        return bool(answer["valueBoolean"])
    if "valueInteger" in answer:
        return int(answer["valueInteger"])
    if "valueDecimal" in answer:
        return float(answer["valueDecimal"])
    if "valueString" in answer:
        if ids.find_ext(answer, "json-value") is not None:
            return json.loads(answer["valueString"])
        return str(answer["valueString"])
    raise KeyError("answer[0].value[x] (boolean, integer, decimal or string)")


def response_items(instrument: str, responses: dict[str, Any]) -> list[dict[str, Any]]:
    measure = measures.get(instrument)
    spec = measure.spec
    out: list[dict[str, Any]] = []
    for key in sorted(responses, key=lambda k: (k != "items", k)):
        value = responses[key]
        if key == "items" and isinstance(measure, Questionnaire) and isinstance(value, list):
            for item_spec, answer in zip(spec.items, value, strict=False):
                if answer is not None:
                    out.append(
                        {
                            "linkId": item_spec.id,
                            "text": item_spec.topic,
                            "answer": [_answer(answer)],
                        }
                    )
            continue
        item: dict[str, Any] = {"linkId": key}
        if value is not None:
            item["answer"] = [_answer(value)]
        out.append(item)
    return out


def responses_from(instrument: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Inverse of :func:`response_items`. Raises KeyError naming ``item[i]…`` when malformed."""
    measure = measures.get(instrument)
    item_ids = [i.id for i in measure.spec.items] if isinstance(measure, Questionnaire) else []
    answers: list[Any] = [None] * len(item_ids)
    position = {item_id: n for n, item_id in enumerate(item_ids)}
    out: dict[str, Any] = {}
    for n, item in enumerate(items):
        link = item["linkId"]
        given = item.get("answer", [])
        try:
            value = _value(given[0]) if given else None
        except KeyError as exc:
            raise KeyError(f"item[{n}].{exc.args[0]}") from None
        except ValueError as exc:
            raise ValueError(f"item[{n}].answer[0].valueString: {exc}") from None
        if link in position:
            answers[position[link]] = value
        else:
            out[link] = value
    if item_ids:
        out = {"items": answers} | out
    return out


def response_resource(o: OutcomeRec, mrn: str) -> dict[str, Any]:
    res: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "extension": [
            ids.ext("timepoint", "valueCode", o.timepoint),
            ids.ext("episode", "valueReference", ids.ref("episode", o.episode_key)),
        ],
        "identifier": ids.identifier("questionnaire-response", o.key),
        "questionnaire": questionnaire_url(o.instrument),
        "status": "completed",
        "subject": ids.ref("patient", mrn),
        "authored": o.assessed_on.isoformat(),
        "item": response_items(o.instrument, o.responses),
    }
    if o.assessed_by is not None:
        res["author"] = ids.ref("practitioner", o.assessed_by)
    if not res["item"]:
        del res["item"]
    return res


def instrument_of(url: str) -> str:
    prefix = ids.QUESTIONNAIRE_BASE + "/"
    instrument = url.split("|", 1)[0].removeprefix(prefix)
    if not url.startswith(prefix) or instrument not in measures.ids():
        raise ValueError(
            f"questionnaire {url!r}: one of {prefix}<id> with id in " + ", ".join(measures.ids())
        )
    return instrument


def response_from(
    res: dict[str, Any], episodes: dict[str, str], practitioners: dict[str, str]
) -> OutcomeRec:
    ident = res.get("identifier") or {}
    if ident.get("system") != ids.system("questionnaire-response") or not ident.get("value"):
        raise KeyError("identifier")
    instrument = instrument_of(res["questionnaire"])
    timepoint = ids.find_ext(res, "timepoint")
    episode = ids.find_ext(res, "episode")
    if timepoint is None:
        raise KeyError("extension(timepoint)")
    if episode is None or episode["valueReference"].get("reference") not in episodes:
        raise KeyError("extension(episode).valueReference.reference")
    author = res.get("author", {}).get("reference")
    if author is not None and author not in practitioners:
        raise KeyError("author.reference")
    return OutcomeRec(
        key=ident["value"],
        episode_key=episodes[episode["valueReference"]["reference"]],
        timepoint=timepoint["valueCode"],
        instrument=instrument,
        assessed_on=parse_date(res["authored"][:10]),
        responses=responses_from(instrument, res.get("item", [])),
        value=None,
        assessed_by=None if author is None else practitioners[author],
    )
