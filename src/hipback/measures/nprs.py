"""Numeric Pain Rating Scale 0-10, with optional movement-evoked pain (MeP) ratings.

``score`` is the pain rating (0 = no pain, 10 = worst imaginable; higher = worse). Whole numbers
are the standard 11-point scale; half steps are also accepted because some protocols record them
(measures.md §4) and are stored as given. ``site`` and ``recall`` are recorded, not scored.

MeP (Hicks / Simon group; MASH used the 6MWT and the 30-s chair stand) ✅: optional ratings just
before and after each task (``pre_6mwt``, ``post_6mwt``, ``pre_chair_stand``,
``post_chair_stand``). Derived: the change post - pre per task (details ``mep_delta_<task>``)
and the aggregated post-task sum (subscore ``mep_post_sum``, 0-20), which is computed only when
both tasks have a post rating so that sums stay comparable. No MCID for MeP exists ❌.
MIC 2 points or 30 % (Ostelo 2008; Farrar 2001) ✅; MDC 2 (Childs 2005) ✅. LOINC 72514-3 ✅.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from hipback.errors import Problem
from hipback.measures.base import Computed, FieldSpec, FloatArray, Measure

SITES = ("low_back", "hip_left", "hip_right", "hip")
RECALLS = ("now", "24h_average", "24h_worst", "week_average", "week_worst")
#: MeP tasks in MASH: the six-minute walk and the 30-second chair stand
TASKS = ("6mwt", "chair_stand")


class HalfStepRating(FieldSpec):
    """A 0-10 rating in whole or half steps."""

    def allowed(self) -> str:
        return "a number from 0 to 10 in whole or half steps (points)"

    def check(self, value: object) -> Problem | None:
        problem = super().check(value)
        if problem is None and isinstance(value, int | float) and (2 * value) % 1 != 0:
            return Problem(self.name, value, self.allowed(), "not a whole or half step")
        return problem


def _rating(name: str, required: bool = False) -> HalfStepRating:
    return HalfStepRating(name=name, unit="points", min=0, max=10, required=required)


def _floats(column: npt.NDArray[Any]) -> FloatArray:
    if column.dtype == object:
        return np.array([np.nan if v is None else float(v) for v in column], dtype=np.float64)
    return np.asarray(column, dtype=np.float64)


class Nprs(Measure):
    id = "nprs"

    def fields(self) -> tuple[FieldSpec, ...]:
        mep = tuple(_rating(f"{when}_{task}") for task in TASKS for when in ("pre", "post"))
        return (
            _rating("score", required=True),
            FieldSpec("site", unit="", required=False, choices=SITES),
            FieldSpec("recall", unit="", required=False, choices=RECALLS),
            *mep,
        )

    def rating_columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields() if isinstance(f, HalfStepRating))

    def compute(self, cols: Mapping[str, npt.NDArray[Any]]) -> Computed:
        ratings = {name: _floats(cols[name]) for name in self.rating_columns()}
        score = ratings["score"]
        ok = ~np.isnan(score)
        why: list[str | None] = [None] * score.shape[0]
        for name, values in ratings.items():
            with np.errstate(invalid="ignore"):
                off_step = ~np.isnan(values) & (values * 2 != np.floor(values * 2))
            for i in np.flatnonzero(off_step):
                why[i] = f"{name} = {values[i]:g}: NPRS ratings are whole or half steps 0-10"
            ok &= ~off_step
        for i in np.flatnonzero(np.isnan(score)):
            why[i] = "score (the pain rating 0-10) is required"
        details = {
            f"mep_delta_{task}": ratings[f"post_{task}"] - ratings[f"pre_{task}"] for task in TASKS
        }
        post_sum = np.sum([ratings[f"post_{task}"] for task in TASKS], axis=0)
        return Computed(
            value=np.where(ok, score, np.nan),
            ok=ok,
            why=why,
            subscores={"mep_post_sum": post_sum},
            details=details,
        )

    def warnings(self, row: Mapping[str, Any]) -> tuple[str, ...]:
        out = []
        for task in TASKS:
            pre, post = row.get(f"pre_{task}"), row.get(f"post_{task}")
            if (pre is None) != (post is None):
                given, absent = ("pre", "post") if post is None else ("post", "pre")
                out.append(
                    f"{given}_{task} given without {absent}_{task}: no change computed for {task}"
                )
        posts = [row.get(f"post_{task}") is not None for task in TASKS]
        if any(posts) and not all(posts):
            out.append(
                "aggregated movement-evoked pain needs post-task ratings for "
                + " and ".join(TASKS)
                + "; mep_post_sum not computed"
            )
        return tuple(out)
