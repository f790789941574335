"""Oswestry Disability Index v2.1a (Fairbank & Pynsent 2000): 10 sections 0-5, 0-100 %.

Scoring ✅: sum of answered sections ÷ (5 × sections answered) × 100; higher = worse.
Missing sections ⚠️ (convention): ≥ 9 answered scored, 8 scored with a warning, < 8 refused.
MIC 10 points or 30 % (Ostelo 2008) ✅; MDC90 about 10 (Davidson & Keating 2002) ✅.
Fairbank bands ✅ are applied to the displayed whole-number score. Spec: ``data/odi.toml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from hipback.measures.base import Computed, FloatArray, NormFinding, Patient, Score
from hipback.measures.questionnaire import Questionnaire


def round_half_up(x: FloatArray) -> FloatArray:
    return np.floor(x + 0.5)


class OswestryBase(Questionnaire):
    """Shared arithmetic of ODI v2.1a and the Modified ODI (same formula, one section differs)."""

    min_answered = 8
    warn_answered = 8

    def compute_matrix(self, matrix: FloatArray) -> Computed:
        answered = np.sum(~np.isnan(matrix), axis=1)
        ok = np.asarray(answered >= self.min_answered, dtype=bool)
        with np.errstate(invalid="ignore", divide="ignore"):
            percent = np.nansum(matrix, axis=1) / (5.0 * answered) * 100.0
        why: list[str | None] = [None] * matrix.shape[0]
        for i in np.flatnonzero(~ok):
            why[i] = (
                f"only {answered[i]} of 10 sections answered; at least {self.min_answered} needed"
            )
        bands = self._bands(round_half_up(percent))
        bands[~ok] = None
        return Computed(
            value=np.where(ok, percent, np.nan),
            ok=ok,
            why=why,
            details={"sections_answered": answered.astype(np.float64)},
            category=bands,
        )

    def _bands(self, shown: FloatArray) -> Any:
        rows = [r for r in self.spec.norms if r.kind == "band"]
        out = np.full(shown.shape, None, dtype=object)
        for row in rows:
            lo = -np.inf if row.low is None else row.low
            hi = np.inf if row.high is None else row.high
            out[(shown >= lo) & (shown <= hi)] = row.category
        return out

    def norms(self, score: Score, patient: Patient) -> tuple[NormFinding, ...]:
        if score.value is None:
            return ()
        shown = float(round_half_up(np.array([score.value]))[0])
        rounded = Score(score.instrument, shown, score.unit, score.direction)
        return super().norms(rounded, patient)

    def warnings(self, row: Mapping[str, Any]) -> tuple[str, ...]:
        answered = sum(v is not None for v in row.values())
        if answered == self.warn_answered:
            return (f"only {answered} of 10 sections answered; interpret with caution",)
        return ()


class Odi(OswestryBase):
    id = "odi"
