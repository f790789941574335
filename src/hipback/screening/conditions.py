"""Apply one rule's operator and threshold to its readings: met, not met or not assessed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from hipback.screening.evaluation import Evaluation
from hipback.screening.quantities import Reading, expand, read
from hipback.screening.rules import Condition

Status = Literal["met", "not_met", "not_assessed"]


def holds(operator: str, value: Any, threshold: Any) -> bool:
    """Whether ``value`` satisfies ``operator threshold``. An absent value (None) never does."""
    if value is None:
        return False
    if operator == "is_true":
        return value is True
    if operator == "is_false":
        return value is False
    if operator == "nonempty":
        return len(value) > 0
    if operator == "in":
        return bool(value in threshold)
    if operator == "between":
        return bool(threshold[0] <= value <= threshold[1])
    comparisons = {
        "<": value < threshold,
        "<=": value <= threshold,
        ">": value > threshold,
        ">=": value >= threshold,
    }
    return bool(comparisons[operator])


def combine(kind: str, results: Sequence[bool | None]) -> Status:
    """Combine per-value results (None = not assessed).

    "any": met if one value meets it, even if others are missing; not met only when every value
    was assessed. "all": not met if one assessed value fails; met only when all were assessed.
    """
    if kind == "any":
        if any(r is True for r in results):
            return "met"
        return "not_met" if all(r is not None for r in results) else "not_assessed"
    if any(r is False for r in results):
        return "not_met"
    return "met" if all(r is not None for r in results) else "not_assessed"


def evaluate(condition: Condition, ev: Evaluation) -> tuple[Status, list[Reading]]:
    readings = [read(ev, f) for f in expand(condition.fields)]
    results = [
        holds(condition.operator, r.value, condition.threshold) if r.assessed else None
        for r in readings
    ]
    return combine(condition.combine, results), readings
