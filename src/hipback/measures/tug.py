"""Timed Up and Go: seconds to stand, walk 3 m, turn, return and sit; higher = worse.

Scoring ✅ (Podsiadlo & Richardson 1991). Norms: Bohannon 2006 mean and 95% CI by age ✅ (above
the upper bound = worse than average). Fall-risk cut-offs ≥ 12 s (CDC STEADI, the category) ✅ and
≥ 13.5 s (Shumway-Cook 2000) ✅, a weak predictor (Barry 2014). MDC about 1.1 s (knee OA) ⚠️.
Times outside 4-120 s get a review warning. Spec: ``data/tug.toml``.
"""

from __future__ import annotations

from hipback.measures.performance import TimedTest


class Tug(TimedTest):
    id = "tug"
    category_table = "CDC STEADI fall risk"
    time_max = 300.0
    review = (4.0, 120.0)
