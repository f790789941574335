"""Red-flag screening: any positive answer means refer, never a treatment plan."""

from __future__ import annotations

from hipback.screening.evaluation import Evaluation
from hipback.screening.outcomes import outcome
from hipback.screening.result import RuleOutcome
from hipback.screening.rules import load_red_flags


def check_red_flags(ev: Evaluation, ruleset: str = "red_flags") -> list[RuleOutcome]:
    """One outcome per red flag in ``rulesets/<ruleset>.toml``; ``met`` = flag present."""
    return [outcome(flag, "red_flag", ev) for flag in load_red_flags(ruleset).flags]


def must_refer(ev: Evaluation, ruleset: str = "red_flags") -> bool:
    """True if any red flag is present (refer, do not plan treatment)."""
    return any(r.status == "met" for r in check_red_flags(ev, ruleset))
