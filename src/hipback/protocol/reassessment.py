"""The 4- and 8-week reassessment: did the outcome measures change beyond measurement error?

hipback flags **not responding** at the 4-week reassessment when no measure's improvement
reaches its minimal detectable change (MDC, or SDC where that is what was published), judged
by :func:`hipback.measures.compare` against each instrument's primary threshold. A measure
without a published MDC counts as responding only if ``compare`` calls it "improved". The flag
is a prompt to re-examine and reconsider the plan, not a rule from MASH (MASH reassessed at
8 weeks and 6 months only, mash.md §5.4); hipback default, unverified as a decision rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hipback.errors import InvalidInput
from hipback.measures import compare


@dataclass(frozen=True)
class MeasureChange:
    instrument: str
    before: float
    after: float
    improvement: float
    mdc: float | None
    beyond_mdc: bool | None
    verdict: str
    responding: bool
    explanation: str


@dataclass(frozen=True)
class ReassessmentResult:
    label: str
    changes: tuple[MeasureChange, ...]
    not_judged: tuple[str, ...]
    not_responding: bool | None

    @property
    def summary(self) -> str:
        if self.not_responding is None:
            return f"{self.label}: no measure could be judged against its MDC."
        if self.not_responding:
            return (
                f"{self.label}: NOT RESPONDING: no measure improved beyond its minimal "
                "detectable change. Re-examine and reconsider the plan."
            )
        names = ", ".join(c.instrument for c in self.changes if c.responding)
        return f"{self.label}: responding ({names} improved beyond measurement error)."

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "not_responding": self.not_responding,
            "summary": self.summary,
            "changes": [c.__dict__ for c in self.changes],
            "not_judged": list(self.not_judged),
        }


def reassess(
    baseline: Mapping[str, Mapping[str, Any]],
    follow_up: Mapping[str, Mapping[str, Any]],
    patient: Mapping[str, Any] | None = None,
    label: str = "4-week",
) -> ReassessmentResult:
    """Compare every instrument recorded at both time points."""
    shared = [k for k in follow_up if k in baseline]
    if not shared:
        raise InvalidInput.one(
            "follow_up", sorted(follow_up), f"at least one of {sorted(baseline)} (the baseline)"
        )
    changes: list[MeasureChange] = []
    not_judged: list[str] = []
    for instrument in shared:
        try:
            comparison = compare(instrument, baseline[instrument], follow_up[instrument], patient)
        except InvalidInput as exc:
            if any(p.field == "instrument" for p in exc.problems):
                not_judged.append(f"{instrument}: no published change threshold")
                continue
            raise
        change = comparison.primary
        mdc = change.mdc.value if change.mdc is not None else None
        if change.exceeds_mdc is None:
            responding = change.verdict == "improved"
        else:
            responding = change.improvement > 0 and change.exceeds_mdc
        changes.append(
            MeasureChange(
                instrument=instrument,
                before=change.before,
                after=change.after,
                improvement=change.improvement,
                mdc=mdc,
                beyond_mdc=change.exceeds_mdc,
                verdict=change.verdict,
                responding=responding,
                explanation=change.explanation,
            )
        )
    flag = None if not changes else not any(c.responding for c in changes)
    return ReassessmentResult(label, tuple(changes), tuple(not_judged), flag)
