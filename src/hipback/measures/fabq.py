"""Fear-Avoidance Beliefs Questionnaire (Waddell et al. 1993): 16 items 0-6.

Subscales ✅ (APTA LBP CPG allocation): PA (physical activity) = items 2, 3, 4, 5 (0-24);
W (work) = items 6, 7, 9, 10, 11, 12, 15 (0-42); items 1, 8, 13, 14, 16 are not scored.
The headline ``value`` is FABQ-PA, the subscale that applies to retired older adults; W is a
subscore computed only when the response says ``"working": true`` (W is not meaningful for
people not in work ⚠️), otherwise None. ``working`` is a real column (1/0) so batches handle it.
Missing items ❌ (no official rule): every item of each computed subscale is required.
MCID / MDC95: PA 4 / 3.69, W 7 / 5.95 (Monticone 2020) ✅. Spec: ``data/fabq.toml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from hipback.errors import InvalidInput, Problem
from hipback.measures.base import Computed, FieldSpec, FloatArray
from hipback.measures.binary import binary_field, booleans_as_numbers
from hipback.measures.questionnaire import Questionnaire

WORKING = "working"
#: 0-based item positions of each subscale
PA = (1, 2, 3, 4)
W = (5, 6, 8, 9, 10, 11, 14)


def _names(positions: tuple[int, ...]) -> str:
    return ", ".join(f"items[{i}]" for i in positions)


class Fabq(Questionnaire):
    id = "fabq"

    def fields(self) -> tuple[FieldSpec, ...]:
        return (*super().fields(), binary_field(WORKING, "true = in paid work"))

    def field_label(self, name: str) -> str:
        return WORKING if name == WORKING else super().field_label(name)

    def row_from(self, responses: Mapping[str, Any]) -> dict[str, Any]:
        allowed_keys = ("items", WORKING)
        problems = [
            Problem(k, responses[k], "one of " + ", ".join(allowed_keys), "unknown field")
            for k in sorted(set(responses) - set(allowed_keys))
        ]
        items = responses.get("items")
        n = len(self.spec.items)
        if not isinstance(items, list):
            problems.append(Problem("items", items, f"a list of {n} answers (null = missing)"))
        elif len(items) != n:
            problems.append(
                Problem("items", f"{len(items)} answers", f"exactly {n} answers (null = missing)")
            )
        if problems or not isinstance(items, list):
            raise InvalidInput(problems)
        row = dict(zip([item.id for item in self.spec.items], items, strict=True))
        row[WORKING] = responses.get(WORKING)
        return booleans_as_numbers(row, (WORKING,))

    def missing_problems(self, row: Mapping[str, Any], why: str) -> list[Problem]:
        needed = PA + (W if row.get(WORKING) == 1 else ())
        problems = []
        for i in sorted(needed):
            item = self.spec.items[i]
            if row.get(item.id) is None:
                allowed = f"an answer {item.min:g}-{item.max:g} ({item.topic})"
                problems.append(Problem(f"items[{i}]", None, allowed, why))
        return problems or super().missing_problems(row, why)

    def compute_matrix(self, matrix: FloatArray) -> Computed:
        items, working = matrix[:, : len(self.spec.items)], matrix[:, len(self.spec.items)]
        pa_items, w_items = items[:, list(PA)], items[:, list(W)]
        pa_complete = np.asarray(~np.isnan(pa_items).any(axis=1), dtype=bool)
        w_complete = np.asarray(~np.isnan(w_items).any(axis=1), dtype=bool)
        is_working = np.asarray(working == 1, dtype=bool)
        ok = np.asarray(pa_complete & (w_complete | ~is_working), dtype=bool)
        why: list[str | None] = [None] * matrix.shape[0]
        for i in np.flatnonzero(~ok):
            parts = []
            if not pa_complete[i]:
                parts.append(f"FABQ-PA needs all of {_names(PA)}")
            if is_working[i] and not w_complete[i]:
                parts.append(f"FABQ-W (working) needs all of {_names(W)}")
            why[i] = "; ".join(parts) + " (no published missing-item rule)"
        nan = np.float64(np.nan)
        pa = np.where(ok, pa_items.sum(axis=1), nan)
        w = np.where(ok & is_working, w_items.sum(axis=1), nan)
        return Computed(value=pa, ok=ok, why=why, subscores={"pa": pa, "w": w})

    def warnings(self, row: Mapping[str, Any]) -> tuple[str, ...]:
        w_answered = any(row.get(self.spec.items[i].id) is not None for i in W)
        if w_answered and row.get(WORKING) != 1:
            return (
                "work items answered but 'working' is not true: FABQ-W not computed "
                "(give working: true for a person in paid work)",
            )
        return ()
