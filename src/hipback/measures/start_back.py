"""STarT Back Screening Tool, 9 items (Hill et al. 2008; Keele University) ✅.

Items 1-8: agree (``true`` or 1) / disagree (``false`` or 0). Item 9, bothersomeness over the
past 2 weeks, is entered as the option chosen, 1 = not at all, 2 = slightly, 3 = moderately,
4 = very much, 5 = extremely; options 4-5 score 1, options 1-3 score 0.
Total = items 1-9 (0-9); psychosocial subscale = items 5-9 (0-5). Risk group (Keele) ✅:
total ≤ 3 low; psychosocial ≥ 4 high; otherwise medium. All 9 items required ⚠️ (no
pro-rating). A classification tool: no MCID, so ``compare`` refuses it. Developed in primary
care, not specifically in older adults ⚠️. Spec: ``data/start_back.toml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from hipback.errors import Problem
from hipback.measures.base import Computed, FieldSpec, FloatArray
from hipback.measures.binary import binary_field, booleans_as_numbers
from hipback.measures.questionnaire import Questionnaire

AGREE_ITEMS = 8
#: item 9 options scoring 1 ("very much", "extremely")
BOTHER_SCORES_FROM = 4
PSYCHOSOCIAL = slice(4, 8)  # items 5-8 (0-based 4..7), plus item 9
LOW_MAX_TOTAL = 3
HIGH_MIN_PSYCHOSOCIAL = 4


class StartBack(Questionnaire):
    id = "startback"

    def fields(self) -> tuple[FieldSpec, ...]:
        base = super().fields()
        agree = tuple(binary_field(f.name, "true = agree") for f in base[:AGREE_ITEMS])
        return agree + base[AGREE_ITEMS:]

    def row_from(self, responses: Mapping[str, Any]) -> dict[str, Any]:
        row = super().row_from(responses)
        return booleans_as_numbers(row, self.columns()[:AGREE_ITEMS])

    def missing_problems(self, row: Mapping[str, Any], why: str) -> list[Problem]:
        fields = self.fields()
        return [
            Problem(f"items[{i}]", None, f"{fields[i].allowed()}: {item.topic}", why)
            for i, item in enumerate(self.spec.items)
            if row.get(item.id) is None
        ] or super().missing_problems(row, why)

    def compute_matrix(self, matrix: FloatArray) -> Computed:
        complete = np.asarray(~np.isnan(matrix).any(axis=1), dtype=bool)
        with np.errstate(invalid="ignore"):
            bother = np.where(
                np.isnan(matrix[:, AGREE_ITEMS]),
                np.nan,
                (matrix[:, AGREE_ITEMS] >= BOTHER_SCORES_FROM).astype(np.float64),
            )
        total = matrix[:, :AGREE_ITEMS].sum(axis=1) + bother
        psychosocial = matrix[:, PSYCHOSOCIAL].sum(axis=1) + bother
        risk = np.full(matrix.shape[0], None, dtype=object)
        risk[complete] = "medium risk"
        risk[complete & (total <= LOW_MAX_TOTAL)] = "low risk"
        risk[complete & (psychosocial >= HIGH_MIN_PSYCHOSOCIAL)] = "high risk"
        why: list[str | None] = [None] * matrix.shape[0]
        for i in np.flatnonzero(~complete):
            why[i] = "STarT Back has no pro-rating rule; all 9 items are required"
        nan = np.float64(np.nan)
        return Computed(
            value=np.where(complete, total, nan),
            ok=complete,
            why=why,
            subscores={"psychosocial": np.where(complete, psychosocial, nan)},
            details={"bothersomeness_scored": np.where(complete, bother, nan)},
            category=risk,
        )
