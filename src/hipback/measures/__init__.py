"""Outcome measures: scoring, validation and interpretation of every MASH instrument.

>>> from hipback.measures import score
>>> score("qbpds", {"items": [1] * 20}).value
20.0
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hipback.measures.base import Measure, NormFinding, Patient, Score
from hipback.measures.batch import BatchResult, score_batch
from hipback.measures.interpretation import Change, Comparison, compare, interpret
from hipback.measures.registry import all_measures, get, ids


def score(instrument_id: str, responses: Mapping[str, Any]) -> Score:
    """Score one response set. Raises :class:`hipback.errors.InvalidInput` naming bad fields."""
    return get(instrument_id).score(responses)


__all__ = [
    "BatchResult",
    "Change",
    "Comparison",
    "Measure",
    "NormFinding",
    "Patient",
    "Score",
    "all_measures",
    "compare",
    "get",
    "ids",
    "interpret",
    "score",
    "score_batch",
]
