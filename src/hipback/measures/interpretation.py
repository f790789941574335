"""Is a change real and does it matter? MDC, MCID and norms, with their sources.

Rule (documented in docs/measures.md): a change is *improved* or *worsened* only when it reaches
the primary MCID/MIC **and** the MDC (when one is published), because a change inside measurement
error cannot be told apart from noise however large its clinical threshold. An MCID given as
both points and a percentage (e.g. Ostelo 2008's "2 points or 30 %") is met by either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from hipback.errors import InvalidInput
from hipback.measures import registry
from hipback.measures.base import Measure, NormFinding, Patient, Score
from hipback.measures.spec import ThresholdSpec

Verdict = Literal["improved", "no_meaningful_change", "worsened"]


@dataclass(frozen=True)
class Change:
    name: str
    before: float
    after: float
    change: float
    improvement: float
    relative_improvement: float | None
    mcid: ThresholdSpec | None
    mdc: ThresholdSpec | None
    exceeds_mcid: bool | None
    exceeds_mdc: bool | None
    verdict: Verdict
    explanation: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "before": self.before,
            "after": self.after,
            "change": self.change,
            "improvement": self.improvement,
            "relative_improvement": self.relative_improvement,
            "mcid": _threshold_dict(self.mcid),
            "mdc": _threshold_dict(self.mdc),
            "exceeds_mcid": self.exceeds_mcid,
            "exceeds_mdc": self.exceeds_mdc,
            "verdict": self.verdict,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class Comparison:
    instrument: str
    before: Score
    after: Score
    changes: tuple[Change, ...]
    norms_before: tuple[NormFinding, ...]
    norms_after: tuple[NormFinding, ...]

    @property
    def primary(self) -> Change:
        return self.changes[0]

    def as_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "before": self.before.as_dict(),
            "after": self.after.as_dict(),
            "changes": [c.as_dict() for c in self.changes],
            "verdict": self.primary.verdict,
            "norms_before": [n.as_dict() for n in self.norms_before],
            "norms_after": [n.as_dict() for n in self.norms_after],
        }


def _threshold_dict(t: ThresholdSpec | None) -> dict[str, Any] | None:
    if t is None:
        return None
    return {
        "kind": t.kind,
        "value": t.value,
        "relative": t.relative,
        "population": t.population,
        "source": t.citation,
        "confidence": t.confidence.value,
        "verified": t.confidence.is_verified,
    }


def norms_for(measure: Measure, score: Score, patient: Patient) -> tuple[NormFinding, ...]:
    return measure.norms(score, patient.merged(measure.patient_from_inputs(score)))


def interpret(score: Score, patient: Mapping[str, Any] | Patient | None = None) -> dict[str, Any]:
    """A single score against its norms, thresholds and category, as plain data."""
    measure = registry.get(score.instrument)
    who = patient if isinstance(patient, Patient) else Patient.from_mapping(patient)
    spec = measure.spec
    return {
        "category": score.category,
        "norms": [n.as_dict() for n in norms_for(measure, score, who)],
        "mcid": _threshold_dict(spec.primary_threshold(("mcid", "mic"))),
        "mdc": _threshold_dict(spec.primary_threshold(("mdc", "sdc"))),
        "direction": spec.direction,
        "unverified": [
            label
            for label, conf in (
                ("scoring", spec.scoring_source.confidence),
                ("missing-item rule", spec.missing_rule_confidence),
            )
            if not conf.is_verified
        ],
    }


def compare(
    instrument_id: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    patient: Mapping[str, Any] | None = None,
) -> Comparison:
    """Score both response sets and judge the change against MDC and MCID."""
    measure = registry.get(instrument_id)
    who = Patient.from_mapping(patient)
    first, second = measure.score(before), measure.score(after)
    judged = {t.subscore for t in measure.spec.thresholds}
    names: list[str | None] = [None] if first.value is not None and None in judged else []
    names += [name for name in first.subscores if name in judged]
    changes = []
    for name in names:
        a = first.value if name is None else first.subscores.get(name)
        b = second.value if name is None else second.subscores.get(name)
        if a is None or b is None:
            continue
        changes.append(judge(measure, name, a, b))
    if not changes:
        raise InvalidInput.one(
            "instrument",
            instrument_id,
            "an instrument with a published change threshold",
            f"{measure.spec.short_name} has no MCID or MDC to judge a change against",
        )
    return Comparison(
        instrument=instrument_id,
        before=first,
        after=second,
        changes=tuple(changes),
        norms_before=norms_for(measure, first, who),
        norms_after=norms_for(measure, second, who),
    )


def _meets(t: ThresholdSpec | None, amount: float, base: float) -> bool | None:
    if t is None:
        return None
    by_points = t.value is not None and amount >= t.value - 1e-9
    by_share = t.relative is not None and base != 0 and amount / abs(base) >= t.relative - 1e-9
    return by_points or by_share


def judge(measure: Measure, name: str | None, before: float, after: float) -> Change:
    spec = measure.spec
    mcid = spec.primary_threshold(("mcid", "mic"), name)
    mdc = spec.primary_threshold(("mdc", "sdc"), name)
    if mcid is None and mdc is None:
        raise InvalidInput.one("score", name or "score", "a score with an MCID or MDC")
    change = after - before
    sign = -1.0 if spec.direction_of(name) == "higher_is_worse" else 1.0
    improvement = sign * change
    relative = improvement / abs(before) if before else None
    size = abs(improvement)
    exceeds_mcid = _meets(mcid, size, before)
    exceeds_mdc = _meets(mdc, size, before)
    meaningful = (
        exceeds_mcid is not False and exceeds_mdc is not False and (exceeds_mcid or exceeds_mdc)
    )
    verdict: Verdict = "no_meaningful_change"
    if meaningful and improvement > 0:
        verdict = "improved"
    elif meaningful and improvement < 0:
        verdict = "worsened"
    return Change(
        name=name or "score",
        before=before,
        after=after,
        change=change,
        improvement=improvement,
        relative_improvement=relative,
        mcid=mcid,
        mdc=mdc,
        exceeds_mcid=exceeds_mcid,
        exceeds_mdc=exceeds_mdc,
        verdict=verdict,
        explanation=_explain(
            spec.short_name, name, improvement, mcid, mdc, exceeds_mcid, exceeds_mdc, spec.unit
        ),
    )


def _describe(t: ThresholdSpec, unit: str) -> str:
    parts = []
    if t.value is not None:
        parts.append(f"{t.value:g} {unit}")
    if t.relative is not None:
        parts.append(f"{t.relative:.0%}")
    label = {
        "mcid": "minimal important change",
        "mic": "minimal important change",
        "mdc": "minimal detectable change",
        "sdc": "smallest detectable change",
    }[t.kind]
    flag = "" if t.confidence.is_verified else ", unverified"
    return f"the {' or '.join(parts)} {label} ({t.citation}{flag})"


def _explain(
    instrument: str,
    name: str | None,
    improvement: float,
    mcid: ThresholdSpec | None,
    mdc: ThresholdSpec | None,
    exceeds_mcid: bool | None,
    exceeds_mdc: bool | None,
    unit: str,
) -> str:
    what = instrument if name is None else f"{instrument} {name}"
    if improvement == 0:
        head = f"{what} did not change"
    else:
        word = "improved" if improvement > 0 else "worsened"
        head = f"{what} {word} by {abs(improvement):.3g} {unit}"
    clauses = []
    if mcid is not None:
        clauses.append(("reaching " if exceeds_mcid else "less than ") + _describe(mcid, unit))
    if mdc is not None:
        clauses.append(("beyond " if exceeds_mdc else "within ") + _describe(mdc, unit))
    return head + ("; " + "; ".join(clauses) if clauses else "") + "."
