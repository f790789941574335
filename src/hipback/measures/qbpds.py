"""Quebec Back Pain Disability Scale (QBPDS), Kopec 1995: 20 items 0-5, total 0-100.

Scoring ✅ (sum of the 20 items; higher = more disability). Missing items ❌: no published
pro-rating rule, so an incomplete form is refused. MIC 5 points (Demoulin 2010, cLBP) ✅ and
MDC90 15 points (Davidson & Keating 2002) ✅. No norms exist. Spec: ``data/qbpds.toml``.
"""

from __future__ import annotations

import numpy as np

from hipback.measures.base import Computed, FloatArray
from hipback.measures.questionnaire import Questionnaire


class Qbpds(Questionnaire):
    id = "qbpds"

    def compute_matrix(self, matrix: FloatArray) -> Computed:
        complete = np.asarray(~np.isnan(matrix).any(axis=1), dtype=bool)
        total = matrix.sum(axis=1)
        why: list[str | None] = [None] * matrix.shape[0]
        for i in np.flatnonzero(~complete):
            why[i] = "QBPDS has no published pro-rating rule; all 20 items are required"
        return Computed(value=np.where(complete, total, np.nan), ok=complete, why=why)
