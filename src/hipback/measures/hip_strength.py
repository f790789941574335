"""Hip strength by hand-held dynamometry, normalised to body weight; higher = stronger.

Give exactly one of ``force_n`` (newtons) or ``force_kg`` (kilograms-force) and ``weight_kg``.
Headline value: force ÷ body weight in newtons (N/N, numerically kgf/kg), g = 9.80665 m/s²;
``details.n_per_kg`` gives force (N) ÷ body mass (kg). The MASH hip-weakness band (internal
rotation < 0.26 × body weight) applies to ``action = "internal_rotation"`` only and is ⚠️: the
unit of 0.26 is not stated in the sources (an open question, see the spec notes). No norms for
community-dwelling older adults and no MCID were found, so ``compare`` refuses.
Spec: ``data/hip_strength.toml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from hipback.errors import InvalidInput, Problem
from hipback.measures.base import Computed, FieldSpec, Score
from hipback.measures.performance import PerformanceTest, choices, floats

G = 9.80665  # standard gravity, m/s²: 1 kgf = 9.80665 N
ACTIONS = ("internal_rotation", "external_rotation", "abduction", "extension", "flexion")
SIDES = ("left", "right")
FORCES = ("force_n", "force_kg")
ONE_FORCE = "exactly one of force_n (newtons) or force_kg (kilograms-force)"
MASH_TABLE = "MASH hip weakness (internal rotation)"


class HipStrength(PerformanceTest):
    id = "hip_strength"
    category_table = MASH_TABLE
    band_decimals = 6  # compare at 1e-6 so floating-point noise cannot cross the 0.26 edge

    def fields(self) -> tuple[FieldSpec, ...]:
        return (
            FieldSpec("force_n", "N", 0, 1500, required=False, exclusive_min=True),
            FieldSpec("force_kg", "kgf", 0, 150, required=False, exclusive_min=True),
            FieldSpec("weight_kg", "kg", 25, 300),
            FieldSpec("action", "", choices=ACTIONS, required=False),
            FieldSpec("side", "", choices=SIDES, required=False),
        )

    def parse(self, responses: Mapping[str, Any]) -> dict[str, Any]:
        problems: list[Problem] = []
        row: dict[str, Any] = {}
        try:
            row = super().parse(responses)
        except InvalidInput as exc:
            problems += exc.problems
        given = [k for k in FORCES if responses.get(k) is not None]
        if not given:
            problems.append(Problem("force_n", None, ONE_FORCE, "required"))
        elif len(given) == 2:
            problems.append(
                Problem("force_kg", responses["force_kg"], ONE_FORCE, "force_n is also given")
            )
        if problems:
            raise InvalidInput(problems)
        return row

    def compute(self, cols: Mapping[str, npt.NDArray[Any]]) -> Computed:
        force_n, force_kg = floats(cols, "force_n"), floats(cols, "force_kg")
        weight = floats(cols, "weight_kg")
        n = weight.shape[0]
        has_n, has_kg = ~np.isnan(force_n), ~np.isnan(force_kg)
        newtons = np.where(has_n, force_n, force_kg * G)
        ok = np.asarray((has_n ^ has_kg) & ~np.isnan(weight), dtype=bool)
        why: list[str | None] = [None] * n
        for i in np.flatnonzero(~ok):
            why[i] = "weight_kg is required" if has_n[i] ^ has_kg[i] else f"give {ONE_FORCE}"
        with np.errstate(invalid="ignore", divide="ignore"):
            # kgf ÷ kg directly, so a force entered in kgf is not disturbed by × G ÷ G rounding
            ratio = np.where(ok, np.where(has_n, force_n / (weight * G), force_kg / weight), np.nan)
            per_kg = np.where(ok, newtons / weight, np.nan)
        category = self.categories(ratio, np.full(n, np.nan), np.full(n, None, dtype=object))
        if category is not None:
            category[choices(cols, "action", n) != "internal_rotation"] = None
        return Computed(
            value=ratio,
            ok=ok,
            why=why,
            details={"force_n": np.where(ok, newtons, np.nan), "n_per_kg": per_kg},
            category=category,
        )

    def applicable_tables(self, score: Score) -> set[str] | None:
        # the MASH 0.26 criterion is for internal-rotation strength only
        return None if score.inputs.get("action") == "internal_rotation" else set()
