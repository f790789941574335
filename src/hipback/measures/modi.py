"""Modified Oswestry Disability Index (Fritz & Irrgang 2001): 10 sections 0-5, 0-100 %.

Same sections and percentage formula as ODI v2.1a (the arithmetic is :class:`OswestryBase`),
except that section 8 asks about employment / homemaking instead of sex life ✅.
Missing sections ⚠️ follow the ODI convention (≥ 9 scored, 8 with a warning, < 8 refused).
MCID 6 points ⚠️ and MDC about 12.7 ⚠️ are from a secondary source; the Fairbank bands were
published for the ODI and are applied here by extrapolation ❌. Licence unclear ⚠️.
Spec: ``data/modi.toml``.
"""

from __future__ import annotations

from hipback.measures.odi import OswestryBase


class Modi(OswestryBase):
    id = "modi"
