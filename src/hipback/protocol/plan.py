"""The treatment plan: 16 dated sessions of one arm, each item with today's dose and its why.

``generate_plan(evaluation, arm, start_on)`` screens the evaluation, tailors the arm to the
findings, schedules the sessions and lays out each one: manual therapy, supervised exercises
with today's dose, and the home exercise programme (HEP). Plans are pydantic models so the
JSON written by ``hipback plan`` is read back by ``hipback progress``.

Screening policy (``hipback.screening.screen``):

* **refer** (a red flag): never a plan. ``override_screening`` does not apply; the patient
  needs medical review first, and the clinician records the outcome in the evaluation.
* **ineligible** or **incomplete**: refused unless ``override_screening=True`` (clinic use
  outside the trial). The plan then says it is outside MASH eligibility and why.
* **eligible**: planned.

NOT THE MASH PROTOCOL: the arms' components follow MASH (mash.md §4.1 ✅); techniques, doses,
tailoring rules and progression are hipback's (§4.2 ❌), each marked with its source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from hipback.errors import InvalidInput
from hipback.protocol.catalog import Arm, Catalog, Condition, load_catalog
from hipback.protocol.findings import Side, findings_from_evaluation
from hipback.protocol.rules import RuleFile, load_rules
from hipback.protocol.schedule import ClinicCalendar, schedule_sessions
from hipback.protocol.tailoring import Chosen, SetAside, Tailoring, tailor
from hipback.protocol.treatment_plan import (
    HomeItem,
    Part,
    PlanItem,
    PlanSession,
    RationaleOut,
    Reassessment,
    ScreeningOut,
    SetAsideOut,
    TreatmentPlan,
    WhyOut,
    load_plan,
)
from hipback.screening import Evaluation, ScreeningResult, load_evaluation, screen

REASSESSMENT_MEASURES = ("qbpds", "ten_mwt", "six_mwt", "chair_stand_30s", "tug", "nprs")
DISCLAIMER = (
    "Not the MASH protocol. MASH published each arm's components but not its techniques, "
    "doses, tailoring rules or progression; those here are hipback's, each marked with its "
    "source and confidence. Clinical judgement overrides every suggestion."
)


_WHY_KEYS = ("rule", "side", "finding", "value", "threshold", "source", "confidence", "text")


def _why(chosen_why: Any) -> list[WhyOut]:
    out = []
    for w in chosen_why:
        data = w.as_dict()
        out.append(WhyOut.model_validate({k: data[k] for k in _WHY_KEYS}))
    return out


def _rationale(tailoring: Tailoring, rules: RuleFile) -> list[RationaleOut]:
    used_rules: dict[str, None] = {}
    used_criteria: dict[str, None] = {}
    entries: list[Chosen | SetAside] = [*tailoring.chosen, *tailoring.excluded]
    entries += tailoring.deferred
    for entry in entries:
        for w in entry.why:
            used_rules[w.rule] = None
            if w.criterion:
                used_criteria[w.criterion] = None
    out = []
    for rule in (r for r in rules.rules if r.id in used_rules):
        b = rule.basis
        out.append(
            RationaleOut(id=rule.id, kind="rule", text=rule.title, source=b.source,
                         citation=b.citation, confidence=b.confidence.value)
        )  # fmt: skip
    for c in (c for c in rules.criteria if c.id in used_criteria):
        out.append(
            RationaleOut(id=c.id, kind="criterion", text=c.describe(), source=c.source,
                         citation=c.citation, confidence=c.confidence.value)
        )  # fmt: skip
    return out


def plan_item(chosen: Chosen, part: Part, level: int | None = None) -> PlanItem:
    item = chosen.intervention
    step = item.level(level or chosen.level)
    return PlanItem(
        id=item.id,
        name=item.name,
        category=item.category.value,
        part=part,
        sides=list(chosen.sides),
        level=step.level,
        level_name=step.name,
        dose=step.dose,
        dose_text=step.dose.describe(),
        why=_why(chosen.why),
        modifications=list(chosen.modifications),
    )


def _set_aside(entry: SetAside) -> SetAsideOut:
    return SetAsideOut(
        id=entry.intervention.id,
        name=entry.intervention.name,
        sides=list(entry.sides),
        reason=entry.reason,
        condition=entry.condition,
        why=_why(entry.why),
    )


def _check_screening(result: ScreeningResult, override: bool) -> bool:
    if result.decision == "refer":
        raise InvalidInput.one(
            "screening",
            "refer",
            "no red flag (a red flag means medical review first; no override)",
            result.summary,
        )
    if result.decision != "eligible" and not override:
        raise InvalidInput.one(
            "screening",
            result.decision,
            "eligible, or --override-screening for clinic use outside the trial",
            result.summary,
        )
    return result.decision != "eligible"


def home_item(item: PlanItem, patient_name: str) -> HomeItem:
    return HomeItem(
        id=item.id,
        patient_name=patient_name,
        sides=item.sides,
        level=item.level,
        dose=item.dose,
        dose_text=item.dose_text,
        modifications=item.modifications,
    )


def _session_items(
    tailoring: Tailoring, home_limit: int
) -> tuple[list[PlanItem], list[HomeItem], list[str]]:
    """Clinic items (manual first), the home programme, and notes on items kept clinic-only."""
    in_clinic: list[PlanItem] = []
    home: list[tuple[bool, int, HomeItem]] = []
    for position, chosen in enumerate(tailoring.chosen):
        delivery = chosen.intervention.delivery
        if "manual" in delivery:
            in_clinic.append(plan_item(chosen, "manual"))
        if "supervised" in delivery:
            in_clinic.append(plan_item(chosen, "supervised"))
        if "home" in delivery:
            tailored = any(w.finding is not None for w in chosen.why)
            entry = home_item(plan_item(chosen, "home"), chosen.intervention.patient_name)
            home.append((not tailored, position, entry))
    in_clinic.sort(key=lambda i: i.part != "manual")
    ranked = sorted(home, key=lambda t: (t[0], t[1]))
    kept = sorted(ranked[:home_limit], key=lambda t: t[1])
    notes = []
    if len(ranked) > home_limit:
        names = ", ".join(t[2].id for t in ranked[home_limit:])
        notes.append(
            f"Home programme limited to {home_limit} exercises (hipback default, unverified); "
            f"done in the clinic only: {names}."
        )
    return in_clinic, [t[2] for t in kept], notes


def generate_plan(
    evaluation: Evaluation | Mapping[str, Any],
    arm: Arm | str,
    start_on: dt.date,
    *,
    calendar: ClinicCalendar | None = None,
    override_screening: bool = False,
    declared_conditions: Mapping[Condition, frozenset[Side] | None] | None = None,
    catalog: Catalog | None = None,
    rules: RuleFile | None = None,
) -> TreatmentPlan:
    """Screen, tailor and schedule. Raises InvalidInput when screening does not allow a plan."""
    ev = load_evaluation(evaluation)
    try:
        which = Arm(arm)
    except ValueError:
        raise InvalidInput.one("arm", arm, "'hip' or 'spine'") from None
    result = screen(ev)
    overridden = _check_screening(result, override_screening)
    cat = catalog or load_catalog()
    rule_file = rules or load_rules()
    findings = findings_from_evaluation(ev, declared_conditions)
    tailoring = tailor(findings, which, cat, rule_file)
    schedule = schedule_sessions(start_on, calendar)
    in_clinic, home, home_notes = _session_items(tailoring, rule_file.home_limits[which.value])
    sessions = [
        PlanSession(
            number=s.number,
            on=s.on,
            week=s.week,
            notes=list(s.notes),
            reassessment=s.reassessment,
            items=in_clinic,
            home_program=home,
        )
        for s in schedule.sessions
    ]
    notes = [*schedule.notes, *tailoring.notes, *home_notes]
    if overridden:
        notes.insert(0, f"Outside MASH eligibility (screening overridden): {result.summary}")
    return TreatmentPlan(
        baseline_measures=dict(ev.baseline_measures),
        patient={"age": ev.patient.age_years, "sex": ev.patient.sex},
        patient_id=ev.patient.id,
        arm=which,
        assessed_on=ev.assessed_on,
        start_on=start_on,
        end_on=schedule.end_on,
        pattern=list(schedule.pattern),
        screening=ScreeningOut(
            decision=result.decision,
            summary=result.summary,
            overridden=overridden,
            subgroup=result.subgroup.name,
        ),
        disclaimer=DISCLAIMER,
        versions={"catalog": cat.version, "rules": tailoring.rules_version},
        conditions=sorted(c.value for c in findings.conditions),
        sessions=sessions,
        excluded=[_set_aside(e) for e in tailoring.excluded],
        deferred=[_set_aside(e) for e in tailoring.deferred],
        unassessed=list(tailoring.unassessed),
        notes=notes,
        reassessments=[
            Reassessment(
                label=s.reassessment,
                after_session=s.number,
                on=s.on,
                measures=list(REASSESSMENT_MEASURES),
                note=_REASSESS_NOTES[s.reassessment],
            )
            for s in schedule.sessions
            if s.reassessment
        ],
        rationale=_rationale(tailoring, rule_file),
    )


_REASSESS_NOTES = {
    "4-week": "hipback check-point: a change below the MDC on every measure flags "
    "'not responding' (hipback.protocol.reassessment). Not a MASH time point.",
    "8-week": "End of treatment; MASH's primary endpoint (QBPDS, 10MWT), which MASH timed "
    "from randomisation (mash.md §5.4).",
}


__all__ = ["generate_plan", "home_item", "load_plan", "plan_item"]
