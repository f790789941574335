"""The treatment plan: 16 dated sessions of one arm, each item with that day's dose and its why.

``generate_plan(evaluation, arm, start_on)`` screens the evaluation, tailors the arm to the
findings (thresholds against age/sex norms where they exist), rates severity and irritability,
places the sessions on the clinic calendar (public holidays of the clinic's country by
default), and lays out each session: manual therapy, supervised exercise and education at that
session's planned level, fitted to the session length, with the home exercise programme (HEP)
and what was left out and why (:mod:`hipback.protocol.sessions`). Plans are pydantic models so
the JSON written by ``hipback plan`` is read back by ``hipback progress``.

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
from hipback.protocol.course import load_course
from hipback.protocol.findings import Side, findings_from_evaluation
from hipback.protocol.irritability import Presentation, assess, load_irritability, phase_text
from hipback.protocol.rules import RuleFile, load_norms, load_rules
from hipback.protocol.schedule import ClinicCalendar, Schedule, schedule_sessions
from hipback.protocol.sessions import (
    IRRITABILITY_RULE,
    STEP_RULE,
    Setting,
    build_sessions,
    entries,
    home_item,
    home_overflow,
)
from hipback.protocol.tailoring import Chosen, SetAside, Tailoring, tailor
from hipback.protocol.timing import (
    DEFAULT_SESSION_MINUTES,
    SESSION_MINUTES_RANGE,
    TimingFile,
    load_timing,
)
from hipback.protocol.treatment_plan import (
    CalendarOut,
    ClosedDay,
    IndicatorOut,
    IrritabilityOut,
    PlanSession,
    RationaleOut,
    Reassessment,
    ScreeningOut,
    SetAsideOut,
    TreatmentPlan,
    WhyOut,
    load_plan,
)
from hipback.screening import ScreeningResult, load_evaluation, screen

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


def _rationale(
    tailoring: Tailoring, rules: RuleFile, sessions: list[PlanSession], timing: TimingFile
) -> list[RationaleOut]:
    used_rules: dict[str, None] = {}
    used_criteria: dict[str, None] = {}
    entries_: list[Chosen | SetAside] = [*tailoring.chosen, *tailoring.excluded]
    entries_ += tailoring.deferred
    for entry in entries_:
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
    norms = {
        w.threshold: w
        for e in entries_
        for w in e.why
        if w.source == "age/sex norm" and w.threshold
    }
    for finding in dict.fromkeys(w.finding for w in norms.values() if w.finding):
        for n in (n for n in load_norms().norms if n.finding == finding):
            out.append(
                RationaleOut(
                    id=f"norm:{finding}:{n.sex}:{n.age_min}-{n.age_max}",
                    kind="norm",
                    text=f"{finding.split('.', 1)[-1]}: mean {n.mean:g} ± SD {n.sd:g} in "
                    f"{n.population} (n = {n.n}). {n.note}".strip(),
                    source="age/sex norm",
                    citation=n.citation,
                    confidence=n.confidence.value,
                )
            )
    used = {w.rule for s in sessions for i in [*s.items, *s.left_out] for w in i.why}
    course, irritability = load_course(), load_irritability()
    schedule_rules = (
        (STEP_RULE, "Planned progression: level steps per category over the 16 sessions",
         course.basis),
        (IRRITABILITY_RULE, "Gentler start and build-up for severity and irritability",
         irritability.basis),
        ("SESSION-TIME", "Items fitted to the session length; priorities per arm", timing.basis),
    )  # fmt: skip
    for rule_id, text, basis in schedule_rules:
        if rule_id in used or rule_id == "SESSION-TIME":
            out.append(
                RationaleOut(id=rule_id, kind="schedule", text=text, source=basis.source,
                             citation=basis.citation, confidence=basis.confidence.value)
            )  # fmt: skip
    return out


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


def check_session_minutes(minutes: int) -> int:
    lo, hi = SESSION_MINUTES_RANGE
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not lo <= minutes <= hi:
        raise InvalidInput.one("session minutes", minutes, f"a whole number from {lo} to {hi}")
    return minutes


def _irritability_out(presentation: Presentation) -> IrritabilityOut:
    return IrritabilityOut(
        level=presentation.level,
        assessed=presentation.assessed,
        indicators=[
            IndicatorOut(name=i.name, value=i.shown, rating=i.rating)
            for i in presentation.indicators
        ],
        summary=presentation.summary,
        phases=list(phase_text(presentation.profile).values()),
    )


def _calendar_out(calendar: ClinicCalendar, schedule: Schedule) -> CalendarOut:
    closed = calendar.closed_days(schedule.start_on, schedule.end_on)
    return CalendarOut(
        country=calendar.country,
        subdivision=calendar.subdivision,
        closed_weekdays=calendar.closed_weekday_names,
        closure_dates=sorted(calendar.closure_dates),
        avoided=[ClosedDay(on=d, name=why) for d, why in closed],
    )


def _time_note(sessions: list[PlanSession], budget: int, timing: TimingFile, arm: Arm) -> str:
    tiers = timing.tiers(arm)
    core = ", ".join(c.value.replace("_", " ") for c in tiers.core)
    short = [s.number for s in sessions if any(x.goes != "held back" for x in s.left_out)]
    text = (
        f"Sessions are fitted to {budget} minutes (clinic setting): {timing.check_in_minutes} "
        f"min check-in, {timing.reassessment_minutes} min more at the reassessments; {core} "
        "first, the other items take turns and are done at home in between."
    )
    if len(short) == len(sessions):
        text += " Every session leaves some items out; each lists them with the reason."
    elif short:
        numbers = ", ".join(map(str, short))
        text += f" Sessions {numbers} leave items out; each lists them with the reason."
    return text


def generate_plan(
    evaluation: Any,
    arm: Arm | str,
    start_on: dt.date,
    *,
    calendar: ClinicCalendar | None = None,
    session_minutes: int = DEFAULT_SESSION_MINUTES,
    override_screening: bool = False,
    declared_conditions: Mapping[Condition, frozenset[Side] | None] | None = None,
    catalog: Catalog | None = None,
    rules: RuleFile | None = None,
) -> TreatmentPlan:
    """Screen, tailor, rate irritability, schedule and fit. Raises InvalidInput when screening
    does not allow a plan or a setting is out of range.

    ``calendar`` defaults to the clinic calendar with US public holidays; ``session_minutes``
    (default 60, MASH's one-hour sessions) is the clinic's session length."""
    ev = load_evaluation(evaluation)
    try:
        which = Arm(arm)
    except ValueError:
        raise InvalidInput.one("arm", arm, "'hip' or 'spine'") from None
    budget = check_session_minutes(session_minutes)
    result = screen(ev)
    overridden = _check_screening(result, override_screening)
    cat = catalog or load_catalog()
    rule_file = rules or load_rules()
    findings = findings_from_evaluation(ev, declared_conditions)
    tailoring = tailor(findings, which, cat, rule_file)
    cal = calendar or ClinicCalendar()
    schedule = schedule_sessions(start_on, cal)
    presentation = assess(ev)
    timing = load_timing()
    home_limit = rule_file.home_limits[which.value]
    why_of = {c.intervention.id: tuple(_why(c.why)) for c in tailoring.chosen}
    planned = entries(tailoring.chosen, which, timing, presentation, why_of)
    setting = Setting(presentation, load_course(), timing, budget, home_limit)
    sessions = build_sessions(schedule, planned, setting)
    notes = [*schedule.notes, *tailoring.notes]
    overflow = home_overflow(planned, home_limit)
    if overflow:
        names = ", ".join(e.item.name for e in overflow)
        notes.append(
            f"Home programme limited to {home_limit} exercises (hipback default, unverified); "
            f"not in the home programme, done in the clinic when their turn comes: {names}."
        )
    notes.append(presentation.summary)
    notes.append(_time_note(sessions, budget, timing, which))
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
        versions={
            "catalog": cat.version,
            "rules": tailoring.rules_version,
            "norms": load_norms().version,
            "progression": load_course().version,
            "irritability": load_irritability().version,
            "session_time": timing.version,
        },
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
        rationale=_rationale(tailoring, rule_file, sessions, timing),
        irritability=_irritability_out(presentation),
        session_minutes=budget,
        calendar=_calendar_out(cal, schedule),
    )


_REASSESS_NOTES = {
    "4-week": "hipback check-point: a change below the MDC on every measure flags "
    "'not responding' (hipback.protocol.reassessment). Not a MASH time point.",
    "8-week": "End of treatment; MASH's primary endpoint (QBPDS, 10MWT), which MASH timed "
    "from randomisation, not from the last session.",
}


__all__ = ["check_session_minutes", "generate_plan", "home_item", "load_plan"]
