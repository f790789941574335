"""Turn calculator form fields into the response objects the measures take.

Field names: ``<prefix>items_<i>`` for questionnaire items, ``<prefix><key>`` for other inputs,
where prefix is ``before_`` or ``after_``. Blank fields are missing. Text that is not a number is
passed through unchanged so validation names the field and the bad value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hipback.errors import InvalidInput
from hipback.measures.base import Measure
from hipback.measures.questionnaire import Questionnaire


def parse_number(text: str) -> int | float | str | None:
    text = text.strip()
    if text == "":
        return None
    lowered = text.lower()
    if lowered in ("true", "yes"):
        return 1
    if lowered in ("false", "no"):
        return 0
    try:
        number = float(text)
    except ValueError:
        return text
    if number != number or number in (float("inf"), float("-inf")):
        return text
    return int(number) if number.is_integer() else number


def responses_from_form(
    measure: Measure, form: Mapping[str, str], prefix: str
) -> dict[str, Any] | None:
    """The response object for one column of the form, or None when it is entirely blank."""
    if isinstance(measure, Questionnaire):
        items = [
            parse_number(form.get(f"{prefix}items_{i}", "")) for i in range(len(measure.spec.items))
        ]
        return None if all(v is None for v in items) else {"items": items}
    out: dict[str, Any] = {}
    for spec in measure.fields():
        raw = form.get(f"{prefix}{spec.name}", "")
        if spec.choices is not None:
            if raw.strip():
                out[spec.name] = raw.strip()
        else:
            value = parse_number(raw)
            if value is not None:
                out[spec.name] = value
    return out or None


def patient_from_form(form: Mapping[str, str]) -> dict[str, Any] | None:
    patient: dict[str, Any] = {}
    age = parse_number(form.get("age", ""))
    if age is not None:
        patient["age"] = age
    sex = form.get("sex", "").strip()
    if sex:
        patient["sex"] = sex
    return patient or None


def field_errors(exc: InvalidInput, prefix: str = "", strip: str = "") -> dict[str, str]:
    """Problems keyed by form field name, for messages next to the fields.

    ``items[3]`` becomes ``<prefix>items_3``; ``patient.age`` becomes ``age``; other fields keep
    their name under ``prefix`` after removing ``strip`` (e.g. ``responses.``).
    """
    out: dict[str, str] = {}
    for p in exc.problems:
        if p.field.startswith("patient."):
            key = p.field.removeprefix("patient.")
        elif strip and not p.field.startswith(strip):
            key = p.field
        else:
            name = p.field.removeprefix(strip)
            key = prefix + name.replace("items[", "items_").rstrip("]")
        shown = "(blank)" if p.value in (None, "") else repr(p.value)
        message = f"{shown} is not allowed: {p.allowed}"
        out[key] = message + (f" ({p.message})" if p.message else "")
    return out
