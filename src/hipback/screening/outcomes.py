"""Evaluate one rule against an evaluation and package the evidence as a RuleOutcome."""

from __future__ import annotations

from typing import Literal

from hipback.screening.conditions import evaluate
from hipback.screening.evaluation import Evaluation
from hipback.screening.explain import explain
from hipback.screening.result import Measured, RuleOutcome
from hipback.screening.rules import Condition


def outcome(
    condition: Condition,
    kind: Literal["inclusion", "exclusion", "red_flag"],
    ev: Evaluation,
) -> RuleOutcome:
    status, readings = evaluate(condition, ev)
    if status == "not_assessed":
        allows = None
    elif kind == "inclusion":
        allows = status == "met"
    else:
        allows = status == "not_met"
    return RuleOutcome(
        id=condition.id,
        kind=kind,
        text=condition.text,
        status=status,
        allows_enrolment=allows,
        measured=[
            Measured(label=r.label, value=r.value, assessed=r.assessed, fields=list(r.fields))
            for r in readings
        ],
        operator=condition.operator,
        threshold=condition.threshold,
        unit=condition.unit,
        combine=condition.combine,
        confidence=condition.confidence,
        confidence_label=condition.confidence.user_label,
        source=condition.source,
        note=condition.note,
        explanation=explain(condition, kind, status, readings),
    )
