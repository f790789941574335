"""Patient Global Impression of Change (PGIC), 7 options (Hurst & Bolton 2004) ✅.

Coding used by hipback: 1 = very much improved … 4 = no change … 7 = very much worse (lower is
better). Some versions number the options the other way or use a 0-10 scale ⚠️: recode to this
coding before entry. Category: the option's label. Detail ``responder`` = 1 for "much" or "very
much improved" (1-2), the usual responder anchor (e.g. Farrar 2001) ✅, else 0. No MCID: the
PGIC is itself a rating of change. Spec: ``data/pgic.toml``.
"""

from __future__ import annotations

import numpy as np

from hipback.measures.bands import band_labels
from hipback.measures.base import FloatArray
from hipback.measures.global_rating import GlobalRating

RESPONDER_TABLE = "Responder anchor"


class Pgic(GlobalRating):
    id = "pgic"
    category_table = "PGIC options"

    def rating_details(self, score: FloatArray) -> dict[str, FloatArray]:
        labels = band_labels(self.spec, RESPONDER_TABLE, score)
        responder = np.array([label is not None for label in labels], dtype=np.float64)
        return {"responder": np.where(np.isnan(score), np.nan, responder)}
