"""``screen(evaluation)``: MASH eligibility, red flags and the cohort subgroup, explained.

Decision, in order:

1. **refer**      any red flag present (never a treatment plan);
2. **ineligible** an inclusion not met or an exclusion present;
3. **incomplete** something screening needs was not assessed (``not_assessed`` lists it);
4. **eligible**   otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hipback.screening.evaluation import Evaluation, load_evaluation
from hipback.screening.outcomes import outcome
from hipback.screening.red_flags import check_red_flags
from hipback.screening.result import Decision, RuleOutcome, ScreeningResult, UnknownRuleNote
from hipback.screening.rules import load_eligibility
from hipback.screening.subgroups import classify


def _decide(criteria: list[RuleOutcome], flags: list[RuleOutcome]) -> tuple[Decision, str]:
    present = [f for f in flags if f.status == "met"]
    if present:
        names = "; ".join(f"{f.id} {f.text.lower()}" for f in present)
        return "refer", f"Refer: red flag ({names}). Do not start a treatment plan."
    failed = [c for c in criteria if c.allows_enrolment is False]
    if failed:
        reasons = "; ".join(
            f"{c.id} {'not met' if c.kind == 'inclusion' else 'applies'} ({c.text.lower()})"
            for c in failed
        )
        return "ineligible", f"Not eligible: {reasons}."
    missing = [r for r in [*criteria, *flags] if r.allows_enrolment is None]
    if missing:
        ids = ", ".join(r.id for r in missing)
        return "incomplete", f"Cannot decide yet: not assessed: {ids}."
    return "eligible", (
        "Eligible: every inclusion met, no exclusion applies and no red flag is present."
    )


def screen(
    evaluation: Evaluation | Mapping[str, Any],
    *,
    ruleset: str = "mash_eligibility",
    red_flag_ruleset: str = "red_flags",
) -> ScreeningResult:
    """Screen one evaluation. Raises :class:`hipback.errors.InvalidInput` for bad input."""
    ev = load_evaluation(evaluation)
    rules = load_eligibility(ruleset)
    criteria = [outcome(c, c.kind, ev) for c in rules.criteria]
    flags = check_red_flags(ev, red_flag_ruleset)
    by_id = {c.id: c for c in criteria}
    decision, summary = _decide(criteria, flags)
    missing = sorted(
        {
            f
            for r in [*criteria, *flags]
            if r.status == "not_assessed"
            for m in r.measured
            if not m.assessed
            for f in m.fields
        }
    )
    subgroup = classify(
        rules.subgroups, by_id[rules.subgroups.weak], by_id[rules.subgroups.painful]
    )
    return ScreeningResult(
        patient_id=ev.patient.id,
        assessed_on=ev.assessed_on,
        decision=decision,
        summary=f"{summary} Subgroup: {subgroup.label}.",
        criteria=criteria,
        red_flags=flags,
        subgroup=subgroup,
        stratification={"site": ev.patient.site, "sex": ev.patient.sex},
        not_assessed=missing,
        unknown_rules=[
            UnknownRuleNote(id=u.id, text=u.text, confidence=u.confidence) for u in rules.unknown
        ],
        ruleset=f"{rules.id} {rules.version}",
    )
