"""Plain-language wording: how a value, a rule and its outcome read to a clinician."""

from __future__ import annotations

from typing import Any

from hipback.core import Confidence
from hipback.screening.conditions import Status
from hipback.screening.quantities import Reading
from hipback.screening.rules import Condition


def fmt(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if value is None:
        return "none"
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if value % 1 else f"{value:g}"
    if isinstance(value, list | tuple):
        return ", ".join(fmt(v) for v in value) if value else "none listed"
    return str(value).replace("_", " ")


def rule_phrase(condition: Condition) -> str:
    """``'>', 3, 'points'`` → ``'above 3 points'``."""
    t, unit = condition.threshold, f" {condition.unit}" if condition.unit else ""
    words = {
        "<": "below",
        "<=": "at most",
        ">": "above",
        ">=": "at least",
    }
    if condition.operator in words:
        return f"{words[condition.operator]} {fmt(t)}{unit}"
    if condition.operator == "between" and isinstance(t, list):
        return f"from {fmt(t[0])} to {fmt(t[1])}{unit}"
    if condition.operator == "in" and isinstance(t, list):
        return "one of: " + "; ".join(fmt(v) for v in t)
    return {"is_true": "yes", "is_false": "no", "nonempty": "any listed"}[condition.operator]


def measured_text(condition: Condition, readings: list[Reading], labelled: bool = False) -> str:
    unit = f" {condition.unit}" if condition.unit and condition.operator != "in" else ""

    def one(r: Reading) -> str:
        return (
            fmt(r.value) + (unit if r.value is not None else "") if r.assessed else "not assessed"
        )

    if len(readings) == 1 and not labelled:
        return one(readings[0])
    return "; ".join(f"{r.label}: {one(r)}" for r in readings)


def explain(condition: Condition, kind: str, status: Status, readings: list[Reading]) -> str:
    measured = measured_text(condition, readings, labelled=kind != "inclusion")
    rule = rule_phrase(condition)
    if status == "not_assessed":
        missing = sorted({f for r in readings if not r.assessed for f in r.fields})
        text = (
            f"{condition.text}: cannot be decided (recorded: {measured}). "
            f"Record: {', '.join(missing)}."
        )
    elif kind == "inclusion":
        verdict = (
            "met, so this inclusion is satisfied"
            if status == "met"
            else "not met, so the patient is not eligible"
        )
        text = f"{condition.text}: measured {measured}; required {rule}: {verdict}."
    elif kind == "exclusion":
        verdict = (
            "present, so the patient is excluded"
            if status == "met"
            else "absent, so this does not exclude"
        )
        text = f"{condition.text}: {verdict} (recorded: {measured})."
    else:
        text = (
            f"{condition.text}: PRESENT (recorded: {measured}). Refer for medical assessment; "
            "do not start a treatment plan."
            if status == "met"
            else f"{condition.text}: absent (recorded: {measured})."
        )
    if condition.confidence is not Confidence.VERIFIED:
        text += f" Rule confidence: {condition.confidence.user_label}."
    return text
