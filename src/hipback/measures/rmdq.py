"""Roland-Morris Disability Questionnaire, 24 items (Roland & Morris 1983): total 0-24.

Scoring ✅: the number of statements ticked; higher = more disability. Items are given as
``true`` (ticked) / ``false`` (not ticked), or 1/0; a statement that does not apply is unticked.
Missing items ❌: a paper tick-box form cannot tell "unticked" from "missing" and no standard
rule exists, so hipback refuses a ``null`` item rather than guess: the person entering the form
must record each statement as ticked or not. MIC 5 points or 30 % (Ostelo 2008) ✅; MDC90 4-5
(Stratford 1996) ✅, 5 used; "recovered" ≤ 2 (Kamper 2010) ✅. Spec: ``data/rmdq.toml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from hipback.errors import Problem
from hipback.measures.bands import band_labels
from hipback.measures.base import Computed, FieldSpec, FloatArray
from hipback.measures.binary import binary_field, booleans_as_numbers
from hipback.measures.questionnaire import Questionnaire

RECOVERY_TABLE = "Kamper 2010 recovery cutoff"
NULL_REASON = (
    "a tick-box form cannot tell an unticked statement from a missing answer and RMDQ has no "
    "published missing-item rule; record every statement as true (ticked) or false (not ticked)"
)


class Rmdq(Questionnaire):
    id = "rmdq"

    def fields(self) -> tuple[FieldSpec, ...]:
        return tuple(binary_field(item.id, "true = ticked") for item in self.spec.items)

    def row_from(self, responses: Mapping[str, Any]) -> dict[str, Any]:
        return booleans_as_numbers(super().row_from(responses), self.columns())

    def missing_problems(self, row: Mapping[str, Any], why: str) -> list[Problem]:
        return [
            Problem(f"items[{i}]", None, f"true or false ({item.topic})", why)
            for i, item in enumerate(self.spec.items)
            if row.get(item.id) is None
        ] or super().missing_problems(row, why)

    def compute_matrix(self, matrix: FloatArray) -> Computed:
        complete = np.asarray(~np.isnan(matrix).any(axis=1), dtype=bool)
        total = np.where(complete, matrix.sum(axis=1), np.nan)
        why: list[str | None] = [None] * matrix.shape[0]
        for i in np.flatnonzero(~complete):
            why[i] = NULL_REASON
        return Computed(
            value=total,
            ok=complete,
            why=why,
            category=band_labels(self.spec, RECOVERY_TABLE, total),
        )
