"""Single-item global ratings of change (PGIC, GRC): one whole-number ``score`` and a category.

The category labels and any anchor bands live in the instrument's spec file as band rows, so
they can be reviewed without touching code. These ratings are themselves judgements of change,
so they have no MCID and :func:`hipback.measures.compare` refuses them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt

from hipback.measures.bands import band_labels
from hipback.measures.base import Computed, FieldSpec, FloatArray, Measure


def floats(column: npt.NDArray[Any]) -> FloatArray:
    if column.dtype == object:
        return np.array([np.nan if v is None else float(v) for v in column], dtype=np.float64)
    return np.asarray(column, dtype=np.float64)


class GlobalRating(Measure):
    """``{"score": n}`` with n a whole number from ``spec.score_min`` to ``spec.score_max``."""

    #: the spec norms table whose bands name each value's category
    category_table: ClassVar[str]

    def fields(self) -> tuple[FieldSpec, ...]:
        return (
            FieldSpec(
                "score",
                unit="",
                min=self.spec.score_min,
                max=self.spec.score_max,
                integer=True,
            ),
        )

    def compute(self, cols: Mapping[str, npt.NDArray[Any]]) -> Computed:
        score = floats(cols["score"])
        ok = np.asarray(~np.isnan(score), dtype=bool)
        why: list[str | None] = [None if k else "score is required" for k in ok]
        return Computed(
            value=score,
            ok=ok,
            why=why,
            details=self.rating_details(score),
            category=band_labels(self.spec, self.category_table, score),
        )

    def rating_details(self, score: FloatArray) -> dict[str, FloatArray]:
        """Extra per-row values (e.g. responder flags); none by default."""
        return {}
