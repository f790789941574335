"""A readable plain-text rendering of a screening result (``hipback screen --format text``)."""

from __future__ import annotations

from hipback.screening.result import RuleOutcome, ScreeningResult

_MARK = {"met": "yes", "not_met": "no", "not_assessed": "??"}


def _line(r: RuleOutcome) -> str:
    ok = {True: "ok ", False: "NO ", None: "-- "}[r.allows_enrolment]
    return f"  {ok}{r.id:<4} {_MARK[r.status]:<3} {r.explanation}"


def render_text(result: ScreeningResult) -> str:
    lines = [
        f"Screening of {result.patient_id} assessed on {result.assessed_on.isoformat()}",
        f"Decision: {result.decision.upper()}",
        result.summary,
        "",
        "Stratification: " + ", ".join(f"{k} = {v}" for k, v in result.stratification.items()),
        f"Subgroup: {result.subgroup.explanation}",
        "",
        "Eligibility criteria (ok = allows enrolment, NO = stands in the way, -- = not assessed):",
        *(_line(c) for c in result.criteria),
        "",
        "Red flags (any present means refer):",
        *(_line(f) for f in result.red_flags),
    ]
    if result.not_assessed:
        lines += ["", "Not assessed (record these to complete screening):"]
        lines += [f"  - {f}" for f in result.not_assessed]
    if result.unknown_rules:
        lines += ["", "Rules known to exist but not applied:"]
        lines += [
            f"  {u.id} [{u.confidence.mark} {u.confidence.value}] {u.text}"
            for u in result.unknown_rules
        ]
    lines += [
        "",
        f"Ruleset: {result.ruleset}. Illustrative software; a clinician makes the decision.",
    ]
    return "\n".join(lines) + "\n"
