"""Global Rating of Change (GRC), −7 (a very great deal worse) to +7 (a very great deal better).

Higher is better (Kamper, Maher & Mackay 2009; Jaeschke 1989) ✅. Categories use common
conventions whose anchors vary by study ⚠️: ≥ +3 small but important improvement, ≥ +5 large
improvement (some studies use ≥ +2). The thresholds are the band edges in ``data/grc.toml``;
every score records the ones used (details ``important_threshold``, ``large_threshold``) and
whether the rating reaches the first (``important_improvement`` 1/0). No MCID: the GRC is
itself a rating of change. Kamper 2009 notes recall bias: GRC tracks current status more
than change.
"""

from __future__ import annotations

import numpy as np

from hipback.measures.bands import band_low
from hipback.measures.base import FloatArray
from hipback.measures.global_rating import GlobalRating

TABLE = "GRC conventions"
IMPORTANT = "small but important improvement"
LARGE = "large improvement"


class Grc(GlobalRating):
    id = "grc"
    category_table = TABLE

    def rating_details(self, score: FloatArray) -> dict[str, FloatArray]:
        important = band_low(self.spec, TABLE, IMPORTANT)
        large = band_low(self.spec, TABLE, LARGE)
        missing = np.isnan(score)
        with np.errstate(invalid="ignore"):
            reached = np.where(missing, np.nan, (score >= important).astype(np.float64))
        return {
            "important_improvement": reached,
            "important_threshold": np.full(score.shape, important),
            "large_threshold": np.full(score.shape, large),
        }
