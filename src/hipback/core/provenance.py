"""Where a clinical fact comes from and how sure we are of it.

The reference specs mark facts ✅ (read in the primary source), ⚠️ (secondary sources only,
or sources disagree) and ❌ (not verified). hipback carries the mark with the fact and shows
anything that is not ✅ to users as *unverified*, never silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Confidence(StrEnum):
    VERIFIED = "verified"  # ✅
    UNCERTAIN = "uncertain"  # ⚠️
    UNVERIFIED = "unverified"  # ❌

    @property
    def mark(self) -> str:
        return {"verified": "✅", "uncertain": "⚠️", "unverified": "❌"}[self.value]

    @property
    def is_verified(self) -> bool:
        return self is Confidence.VERIFIED

    @property
    def user_label(self) -> str:
        """What a clinician sees next to the fact."""
        if self is Confidence.VERIFIED:
            return "verified"
        if self is Confidence.UNCERTAIN:
            return "unverified (secondary sources only, or sources disagree)"
        return "unverified (not confirmed in a primary source)"


@dataclass(frozen=True)
class Source:
    citation: str
    confidence: Confidence
    note: str = ""

    def describe(self) -> str:
        text = f"{self.citation} [{self.confidence.user_label}]"
        return f"{text}: {self.note}" if self.note else text
