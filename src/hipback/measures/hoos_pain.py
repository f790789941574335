"""HOOS Pain subscale (LK 2.0): 10 items 0-4 → 0-100 where 100 = no pain; and MASH's P4-P8 sum.

Scoring ✅ (HOOS scoring instructions 2013; Nilsdotter 2003): 100 − mean(answered items) × 100/4.
Missing items ✅ (2013 rule): scored when at least 5 of 10 items are answered.
MASH subgroup ✅ (mash.md §2.1): raw sum of P4-P8 (0-20, higher = MORE pain, the opposite of the
headline), all 5 items required; "> 5" meets the hip-pain criterion (a norm band on the subscore).
MCID 8.35 points (distribution-based, after hip arthroplasty) — the only one found. Licence ❌.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from hipback.measures.base import Computed, FloatArray
from hipback.measures.questionnaire import Questionnaire

ITEM_MAX = 4.0
MIN_ANSWERED = 5
MASH_ITEMS = ("P4", "P5", "P6", "P7", "P8")


class HoosPain(Questionnaire):
    id = "hoos_pain"

    def _mash_columns(self) -> list[int]:
        names = self.columns()
        return [names.index(item_id) for item_id in MASH_ITEMS]

    def compute_matrix(self, matrix: FloatArray) -> Computed:
        answered = np.sum(~np.isnan(matrix), axis=1)
        ok = np.asarray(answered >= MIN_ANSWERED, dtype=bool)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.nansum(matrix, axis=1) / answered
        normalised = 100.0 - mean * 100.0 / ITEM_MAX
        mash = matrix[:, self._mash_columns()]
        mash_complete = ~np.isnan(mash).any(axis=1)
        why: list[str | None] = [None] * matrix.shape[0]
        for i in np.flatnonzero(~ok):
            why[i] = (
                f"only {answered[i]} of 10 pain items answered; "
                f"at least {MIN_ANSWERED} needed (HOOS 2013 rule)"
            )
        return Computed(
            value=np.where(ok, normalised, np.nan),
            ok=ok,
            why=why,
            subscores={"p4_p8_sum": np.where(ok & mash_complete, mash.sum(axis=1), np.nan)},
            details={"items_answered": answered.astype(np.float64)},
        )

    def warnings(self, row: Mapping[str, Any]) -> tuple[str, ...]:
        missing = [item_id for item_id in MASH_ITEMS if row.get(item_id) is None]
        if not missing:
            return ()
        names = self.columns()
        where = ", ".join(f"items[{names.index(m)}] ({m})" for m in missing)
        return (f"MASH P4-P8 sum not computed: {where} missing; all 5 items are needed",)
