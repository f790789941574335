"""Five-times sit-to-stand: seconds for 5 rises (arms folded); higher = worse.

Protocol ⚠️ (variants: stop at the 5th stand or seated after it). Cut-offs: Bohannon 2006 worse
than average by age band ✅ (category; needs age), ≥ 15 s recurrent falls (Buatois 2008) ✅,
≥ 13.6 s (Guralnik) ⚠️, ≥ 12 s (Tiedemann) ❌, Staartjes & Schröder 2018 lumbar severity bands ✅.
No MCID or MDC was found, so ``compare`` refuses. Times outside 4-60 s get a review warning.
Spec: ``data/five_sts.toml``.
"""

from __future__ import annotations

from hipback.measures.performance import TimedTest


class FiveTimesSitToStand(TimedTest):
    id = "five_sts"
    category_table = "Bohannon 2006 age-band cut-off"
    time_max = 180.0
    review = (4.0, 60.0)
