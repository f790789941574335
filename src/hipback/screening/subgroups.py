"""The three hip subgroups of the Delaware Spine Studies cohort (Hicks 2021), by MASH cut-offs.

weak    = the ruleset's 'weak' criterion is met (I5a: IR strength / body weight < 0.26 in ≥ 1 hip)
painful = the ruleset's 'painful' criterion is met (I5b: HOOS P4-P8 sum > 5)

The cohort found three latent classes; *strong and painful* is not one of them and is reported
as such. Using the trial cut-offs to assign a cohort class is an approximation (⚠️).
"""

from __future__ import annotations

from hipback.screening.result import RuleOutcome, SubgroupName, SubgroupResult
from hipback.screening.rules import Subgroups

_LABELS: dict[SubgroupName, str] = {
    "strong_nonsymptomatic": "strong hip, no hip symptoms (cohort class SNS)",
    "weak_nonsymptomatic": "weak hip, no hip symptoms (cohort class WNS)",
    "weak_symptomatic": "weak and painful hip (cohort class WS, the MASH target subgroup)",
    "strong_symptomatic": "strong but painful hip (not one of the three cohort classes)",
    "not_assessed": "subgroup not assessed",
}


def _flag(o: RuleOutcome) -> bool | None:
    return None if o.status == "not_assessed" else o.status == "met"


def classify(spec: Subgroups, weak_rule: RuleOutcome, painful_rule: RuleOutcome) -> SubgroupResult:
    weak, painful = _flag(weak_rule), _flag(painful_rule)
    name: SubgroupName
    if weak is None or painful is None:
        name = "not_assessed"
    elif weak:
        name = "weak_symptomatic" if painful else "weak_nonsymptomatic"
    else:
        name = "strong_symptomatic" if painful else "strong_nonsymptomatic"

    def part(rule: RuleOutcome, yes: str, no: str, flag: bool | None) -> str:
        state = "not assessed" if flag is None else (yes if flag else no)
        return f"{state} ({rule.id})"

    explanation = (
        f"{_LABELS[name][0].upper()}{_LABELS[name][1:]}: hip "
        f"{part(weak_rule, 'weak', 'strong', weak)}, "
        f"{part(painful_rule, 'painful', 'not painful', painful)}. "
        f"Subgroup confidence: {spec.confidence.user_label}."
    )
    return SubgroupResult(
        name=name,
        label=_LABELS[name],
        weak=weak,
        painful=painful,
        is_cohort_class=name not in ("strong_symptomatic", "not_assessed"),
        confidence=spec.confidence,
        source=spec.source,
        explanation=explanation,
    )
