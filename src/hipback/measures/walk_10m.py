"""10-metre walk test: gait speed = timed distance ÷ mean time (m/s); higher = better.

Protocol ✅: time the middle 6 m of a 10 m walkway (default ``distance_m`` 6); enter the mean of
the trials as ``time_s``. Speeds outside the spec's score range (0.05-3.0 m/s) are refused as entry
errors, naming ``time_s``; speeds outside 0.2-2.0 m/s get a review warning. Norms ✅ (Bohannon &
Andrews 2011 comfortable speed; Cesari 2005 < 1.0 m/s) and Perry's categories ⚠️ (stroke) apply
to the self-selected pace only. Meaningful change 0.05 (small, primary) / 0.10 (substantial) m/s,
Perera 2006 ✅. Category: the Cesari 2005 band. Spec: ``data/ten_mwt.toml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from hipback.errors import InvalidInput
from hipback.measures.base import Computed, FieldSpec, Score
from hipback.measures.performance import AGE, SEX, PerformanceTest, choices, floats

DEFAULT_DISTANCE_M = 6.0
PACES = ("self_selected", "fast")
REVIEW_BELOW, REVIEW_ABOVE = 0.2, 2.0


class TenMetreWalk(PerformanceTest):
    id = "ten_mwt"
    category_table = "Cesari 2005 risk threshold"
    band_decimals = 2

    def fields(self) -> tuple[FieldSpec, ...]:
        return (
            FieldSpec("time_s", "s", 0, 600, exclusive_min=True),
            FieldSpec("distance_m", "m", 2, 20, required=False),
            FieldSpec("pace", "", choices=PACES, required=False),
            AGE,
            SEX,
        )

    def _speed_allowed(self, distance: float) -> str:
        lo, hi = self.spec.score_min, self.spec.score_max
        return (
            f"a time from {distance / hi:.2f} to {distance / lo:g} s over {distance:g} m "
            f"(a speed of {lo:g}-{hi:g} m/s)"
        )

    def parse(self, responses: Mapping[str, Any]) -> dict[str, Any]:
        row = super().parse(responses)
        distance = DEFAULT_DISTANCE_M if row["distance_m"] is None else float(row["distance_m"])
        speed = distance / float(row["time_s"])
        if not self.spec.score_min <= speed <= self.spec.score_max:
            raise InvalidInput.one(
                "time_s",
                row["time_s"],
                self._speed_allowed(distance),
                f"gives {speed:.3g} m/s, not a plausible walking speed",
            )
        return row

    def compute(self, cols: Mapping[str, npt.NDArray[Any]]) -> Computed:
        time = floats(cols, "time_s")
        distance = floats(cols, "distance_m")
        distance = np.where(np.isnan(distance), DEFAULT_DISTANCE_M, distance)
        n = time.shape[0]
        with np.errstate(invalid="ignore", divide="ignore"):
            speed = distance / time
            ok = (speed >= self.spec.score_min) & (speed <= self.spec.score_max)
        ok &= ~np.isnan(speed)
        why: list[str | None] = [None] * n
        for i in np.flatnonzero(~ok):
            why[i] = (
                "time_s is required"
                if np.isnan(time[i])
                else f"time_s {time[i]:g} gives {speed[i]:.3g} m/s; allowed: "
                + self._speed_allowed(float(distance[i]))
            )
        pace = choices(cols, "pace", n)
        category = self.categories(speed, floats(cols, "age"), choices(cols, "sex", n))
        if category is not None:
            category[(pace == "fast") | ~ok] = None
        return Computed(
            value=np.where(ok, speed, np.nan),
            ok=ok,
            why=why,
            details={"distance_m": distance},
            category=category,
        )

    def applicable_tables(self, score: Score) -> set[str] | None:
        # every norm and threshold in the spec is for the self-selected (comfortable) pace
        return set() if score.inputs.get("pace") == "fast" else None

    def warnings(self, row: Mapping[str, Any]) -> tuple[str, ...]:
        distance = DEFAULT_DISTANCE_M if row["distance_m"] is None else float(row["distance_m"])
        speed = distance / float(row["time_s"])
        if REVIEW_BELOW <= speed <= REVIEW_ABOVE:
            return ()
        return (
            f"gait speed {speed:.2f} m/s is outside {REVIEW_BELOW:g}-{REVIEW_ABOVE:g} m/s, "
            "unusual for older adults: check the time and distance",
        )
