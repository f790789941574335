"""30-second chair stand: full stands in 30 s (0-40; 0 if the arms are needed); higher = better.

Protocol ✅ (Jones, Rikli & Beam 1999; CDC STEADI). Norms: Rikli & Jones 25th-75th percentile
by age (60-94) and sex ✅ (two cells ⚠️), CDC STEADI below-average thresholds ✅, fewer than 8
stands ⚠️. MCID about 2 stands (hip OA) ❌ unverified. Counts above 30 get a review warning.
Category: the Rikli & Jones band (needs age and sex). Spec: ``data/chair_stand_30s.toml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from hipback.measures.base import Computed, FieldSpec
from hipback.measures.performance import AGE, SEX, PerformanceTest, choices, floats

REVIEW_ABOVE = 30


class ChairStand30s(PerformanceTest):
    id = "chair_stand_30s"
    category_table = "Rikli & Jones normal range"

    def fields(self) -> tuple[FieldSpec, ...]:
        return (FieldSpec("stands", "stands", 0, 40, integer=True), AGE, SEX)

    def compute(self, cols: Mapping[str, npt.NDArray[Any]]) -> Computed:
        stands = floats(cols, "stands")
        n = stands.shape[0]
        ok = np.asarray(~np.isnan(stands), dtype=bool)
        why: list[str | None] = [None if good else "stands is required" for good in ok]
        return Computed(
            value=stands,
            ok=ok,
            why=why,
            category=self.categories(stands, floats(cols, "age"), choices(cols, "sex", n)),
        )

    def warnings(self, row: Mapping[str, Any]) -> tuple[str, ...]:
        if float(row["stands"]) <= REVIEW_ABOVE:
            return ()
        return (f"{row['stands']:g} stands in 30 s is above {REVIEW_ABOVE}: check the count",)
