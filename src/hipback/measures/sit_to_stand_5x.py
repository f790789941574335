"""Five-times sit-to-stand: seconds for 5 rises (arms folded); higher = worse.

Protocol ⚠️ (variants: stop at the 5th stand or seated after it). Cut-offs: Bohannon 2006 worse
than average by age band ✅ (category; needs age), ≥ 15 s recurrent falls (Buatois 2008) ✅,
≥ 13.6 s (Guralnik) ⚠️, ≥ 12 s (Tiedemann) ❌, Staartjes & Schröder 2018 lumbar severity bands ✅.
No MCID or MDC was found, so ``compare`` refuses. Times outside 4-60 s get a review warning.
Spec: ``data/five_sts.toml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from hipback.measures.base import Computed, FieldSpec
from hipback.measures.performance import AGE, PerformanceTest, floats

REVIEW_BELOW, REVIEW_ABOVE = 4.0, 60.0


class FiveTimesSitToStand(PerformanceTest):
    id = "five_sts"
    category_table = "Bohannon 2006 age-band cut-off"

    def fields(self) -> tuple[FieldSpec, ...]:
        return (FieldSpec("time_s", "s", 0, 180, exclusive_min=True), AGE)

    def compute(self, cols: Mapping[str, npt.NDArray[Any]]) -> Computed:
        time = floats(cols, "time_s")
        n = time.shape[0]
        ok = np.asarray(~np.isnan(time), dtype=bool)
        why: list[str | None] = [None if good else "time_s is required" for good in ok]
        no_sex = np.full(n, None, dtype=object)
        return Computed(
            value=time,
            ok=ok,
            why=why,
            category=self.categories(time, floats(cols, "age"), no_sex),
        )

    def warnings(self, row: Mapping[str, Any]) -> tuple[str, ...]:
        time = float(row["time_s"])
        if REVIEW_BELOW <= time <= REVIEW_ABOVE:
            return ()
        return (
            f"{time:g} s is outside {REVIEW_BELOW:g}-{REVIEW_ABOVE:g} s, unusual for five "
            "sit-to-stands: check the entry",
        )
