"""Exam findings → the interventions of one arm, each with the reason it was chosen.

:func:`tailor` runs every rule of the arm (``data/tailoring_rules.toml``) over the findings,
per side where the finding is a hip finding. A chosen item carries one :class:`Why` per
(rule, side, criterion) that chose it: the finding, the measured value, the threshold, the
rule id and the threshold's source and confidence. Then, in order:

1. precautions: "exclude" removes the item (or only the affected side) and lists it in
   ``excluded`` with the reason; "modify" keeps it with the note;
2. session limits per category (``[limits]`` in the rule file): one item per fired rule in
   rule order, round-robin, up to the limit; the rest are ``deferred`` with the reason.

Rules that could not be evaluated because a finding was not assessed go to ``unassessed``.
NOT THE MASH PROTOCOL: MASH's tailoring rules were not published (mash.md §4.2 ❌).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hipback.core import Confidence
from hipback.protocol.catalog import Arm, Catalog, Category, Intervention, load_catalog
from hipback.protocol.findings import SIDES, Findings, Side, Value
from hipback.protocol.rules import (
    Criterion,
    NormFile,
    Rule,
    RuleFile,
    Threshold,
    load_norms,
    load_rules,
    with_unit,
)


@dataclass(frozen=True)
class Why:
    """One reason an item was chosen. ``finding`` is None for an arm component ('always')."""

    rule: str
    rule_title: str
    source: str
    citation: str
    confidence: Confidence
    side: Side | None = None
    finding: str | None = None
    what: str = ""
    value: Value = None
    unit: str = ""
    threshold: str | None = None
    criterion: str | None = None

    @property
    def text(self) -> str:
        flag = "" if self.confidence.is_verified else ", unverified"
        if self.finding is None:
            return f"{self.rule_title} ({self.source}{flag}) [rule {self.rule}]"
        where = f"{self.side.capitalize()} hip: " if self.side else ""
        shown = _show(self.value)
        if not isinstance(self.value, int | float) or isinstance(self.value, bool):
            return f"{where}{self.what}: {shown} ({self.source}{flag}) [rule {self.rule}]"
        shown += with_unit(self.unit)
        return (
            f"{where}{self.what} {shown} (threshold {self.threshold}, {self.source}{flag}) "
            f"[rule {self.rule}]"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "rule_title": self.rule_title,
            "side": self.side,
            "finding": self.finding,
            "value": list(self.value) if isinstance(self.value, tuple) else self.value,
            "threshold": self.threshold,
            "criterion": self.criterion,
            "source": self.source,
            "citation": self.citation,
            "confidence": self.confidence.value,
            "text": self.text,
        }


@dataclass(frozen=True)
class Chosen:
    intervention: Intervention
    sides: tuple[Side, ...]
    level: int
    why: tuple[Why, ...]
    modifications: tuple[str, ...] = ()


@dataclass(frozen=True)
class SetAside:
    """An indicated item not in the plan: excluded by a precaution or deferred by a limit."""

    intervention: Intervention
    sides: tuple[Side, ...]
    reason: str
    why: tuple[Why, ...]
    condition: str | None = None


@dataclass(frozen=True)
class Tailoring:
    arm: Arm
    chosen: tuple[Chosen, ...]
    excluded: tuple[SetAside, ...]
    deferred: tuple[SetAside, ...]
    unassessed: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())
    rules_version: str = ""


def _show(value: Value) -> str:
    if isinstance(value, tuple):
        return ", ".join(value) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _meets(criterion: Criterion, value: Value, target: float | bool | str | None) -> bool:
    if criterion.op == "nonempty":
        return isinstance(value, tuple) and len(value) > 0
    if criterion.op == "==":
        return value == target
    if isinstance(value, bool | str | tuple) or value is None:
        return False
    limit = float(target) if isinstance(target, int | float) else float("nan")
    return {
        "<": value < limit,
        "<=": value <= limit,
        ">": value > limit,
        ">=": value >= limit,
    }[criterion.op]


def _why(
    rule: Rule, criterion: Criterion, side: Side | None, value: Value, threshold: Threshold
) -> Why:
    return Why(
        rule=rule.id,
        rule_title=rule.title,
        source=threshold.source,
        citation=threshold.citation,
        confidence=threshold.confidence,
        side=side,
        finding=criterion.finding,
        what=criterion.what,
        value=value,
        unit=criterion.unit,
        threshold=threshold.text,
        criterion=criterion.id,
    )


def evaluate_rule(
    rule: Rule, rules: RuleFile, findings: Findings, norms: NormFile | None = None
) -> tuple[dict[Side | None, list[Why]], list[str]]:
    """Sides the rule fires for (None = not per side) with reasons, and what was not assessed.
    Thresholds with a norm use the patient's age and sex (``findings.age``/``sex``)."""
    norm_file = norms or load_norms()
    if rule.when == "always":
        b = rule.basis
        return {None: [Why(rule.id, rule.title, b.source, b.citation, b.confidence)]}, []
    criteria = [rules.criterion(c) for c in rule.criteria]
    sides: tuple[Side | None, ...] = SIDES if any(c.per_side for c in criteria) else (None,)
    fired: dict[Side | None, list[Why]] = {}
    missing: list[str] = []
    for side in sides:
        met: list[Why] = []
        unknown: list[str] = []
        for criterion in criteria:
            at = side if criterion.per_side else None
            value = findings.get(criterion.finding, at)
            threshold = criterion.resolve(norm_file, findings.age, findings.sex)
            if value is None:
                unknown.append(criterion.finding)
            elif _meets(criterion, value, threshold.value):
                met.append(_why(rule, criterion, at, value, threshold))
        if met if rule.when == "any" else len(met) == len(criteria):
            fired[side] = met
        elif unknown:
            where = f" ({side})" if side else ""
            missing.append(f"{rule.id}{where}: not assessed: {', '.join(unknown)}")
    return fired, missing


def _collect(
    arm: Arm, cat: Catalog, rule_file: RuleFile, findings: Findings
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    picked: dict[str, dict[str, Any]] = {}
    missing: list[str] = []
    for rank, rule in enumerate(r for r in rule_file.rules if r.applies_to(arm)):
        fired, unknown = evaluate_rule(rule, rule_file, findings)
        missing += unknown
        for side, reasons in fired.items():
            for position, item_id in enumerate(rule.interventions):
                item = cat.get(item_id)
                entry = picked.setdefault(
                    item_id, {"sides": set(), "why": [], "levels": [], "rank": (rank, position)}
                )
                if side is not None and item.side_specific:
                    entry["sides"].add(side)
                entry["why"] += reasons
                entry["levels"].append(rule.level or item.start_level)
    return picked, missing


def _precautions(
    item: Intervention, sides: tuple[Side, ...], why: tuple[Why, ...], findings: Findings
) -> tuple[tuple[Side, ...] | None, list[SetAside], list[str]]:
    """Remaining sides (None = whole item excluded), exclusions, modification notes."""
    out: list[SetAside] = []
    notes: list[str] = []
    for condition, affected in findings.conditions.items():
        precaution = item.precaution_for(condition)
        if precaution is None:
            continue
        if precaution.action == "modify":
            notes.append(f"{condition.value}: {precaution.note}")
            continue
        hit = sides if affected is None or not sides else tuple(s for s in sides if s in affected)
        if not hit and sides:
            continue  # precaution is about the other hip
        out.append(SetAside(item, hit, precaution.note, why, condition.value))
        if not sides or hit == sides:
            return None, out, notes
        sides = tuple(s for s in sides if s not in hit)
    return sides, out, notes


def tailor(
    findings: Findings,
    arm: Arm,
    catalog: Catalog | None = None,
    rules: RuleFile | None = None,
) -> Tailoring:
    """Choose the arm's interventions for these findings; apply precautions and limits."""
    cat = catalog or load_catalog()
    rule_file = rules or load_rules()
    picked, missing = _collect(arm, cat, rule_file, findings)
    candidates: list[tuple[tuple[int, int], Chosen]] = []
    excluded: list[SetAside] = []
    for item_id, entry in picked.items():
        item = cat.get(item_id)
        sides = tuple(s for s in SIDES if s in entry["sides"])
        why = tuple(entry["why"])
        remaining, out, notes = _precautions(item, sides, why, findings)
        excluded += out
        if remaining is not None:
            pick = Chosen(item, remaining, min(entry["levels"]), why, tuple(notes))
            candidates.append((entry["rank"], pick))
    chosen, deferred = _apply_limits(candidates, rule_file.limits.get(arm.value, {}))
    order = list(Category)
    chosen.sort(key=lambda c: order.index(c.intervention.category))
    return Tailoring(
        arm=arm,
        chosen=tuple(chosen),
        excluded=tuple(excluded),
        deferred=tuple(deferred),
        unassessed=tuple(missing),
        notes=findings.condition_notes,
        rules_version=rule_file.version,
    )


def _apply_limits(
    candidates: list[tuple[tuple[int, int], Chosen]], limits: dict[Category, int]
) -> tuple[list[Chosen], list[SetAside]]:
    """Round-robin by (position within rule, rule order) per category, up to the limit."""
    kept: list[Chosen] = []
    deferred: list[SetAside] = []
    by_category: dict[Category, list[tuple[tuple[int, int], Chosen]]] = {}
    for rank, item in candidates:
        by_category.setdefault(item.intervention.category, []).append((rank, item))
    for category, items in by_category.items():
        items.sort(key=lambda pair: (pair[0][1], pair[0][0]))
        limit = limits.get(category, len(items))
        kept += [c for _, c in items[:limit]]
        for _, c in items[limit:]:
            reason = (
                f"indicated, but the session limit of {limit} {category.value} items is reached; "
                "rotate in when an earlier item is mastered or stopped"
            )
            deferred.append(SetAside(c.intervention, c.sides, reason, c.why))
    return kept, deferred
