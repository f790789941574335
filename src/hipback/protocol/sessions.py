"""Each session's own items: planned level, irritability phase, minutes, home programme, fit.

:func:`build_sessions` turns the tailored items into 16 sessions:

* **planned level** per session from the course (:mod:`hipback.protocol.course`), starting at
  the tailored level (level 1 for a highly irritable presentation);
* the **irritability phase** in force (:mod:`hipback.protocol.irritability`): grade cap, fewer
  sets or bouts, shorter timed items, fewer items; every change is written in the item's why;
* **education** only at the sessions its topic is scheduled;
* **minutes** per item (:mod:`hipback.protocol.timing`) and the **fit** to the session length
  (:mod:`hipback.protocol.budget`);
* the **home programme**: home-deliverable items not held back, items chosen for a finding
  first, at most ``home_limit``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hipback.protocol.budget import Slot, explain, fit
from hipback.protocol.catalog import Arm, Category, Intervention
from hipback.protocol.course import CourseFile, planned_level
from hipback.protocol.irritability import Phase, Presentation
from hipback.protocol.schedule import Schedule
from hipback.protocol.tailoring import Chosen
from hipback.protocol.timing import TimingFile, item_time
from hipback.protocol.treatment_plan import (
    HomeItem,
    LeftOut,
    Part,
    PlanItem,
    PlanSession,
    WhyOut,
)

STEP_RULE = "PLAN-STEP"
IRRITABILITY_RULE = "IRRITABILITY"


@dataclass(frozen=True)
class Entry:
    """A tailored item with its place in the session: part, priority and base reasons."""

    chosen: Chosen
    part: Part | None  # None: home programme only
    home: bool
    core: bool
    priority: int
    rank: int
    start: int
    why: tuple[WhyOut, ...]

    @property
    def item(self) -> Intervention:
        return self.chosen.intervention

    @property
    def tailored(self) -> bool:
        return any(w.finding is not None for w in self.why)


def _part(item: Intervention) -> Part | None:
    if item.is_manual:
        return "manual"
    if item.is_education:
        return "education"
    return "supervised" if "supervised" in item.delivery else None


def entries(
    chosen: Sequence[Chosen],
    arm: Arm,
    timing: TimingFile,
    presentation: Presentation,
    why_of: dict[str, tuple[WhyOut, ...]],
) -> list[Entry]:
    """Tailored items in plan order (priority of their category, then tailoring order)."""
    order = timing.tiers(arm).order()
    core = set(timing.tiers(arm).core)

    def priority(category: Category) -> int:
        return order.index(category) if category in order else len(order)

    ranked = sorted(enumerate(chosen), key=lambda p: (priority(p[1].intervention.category), p[0]))
    out = []
    for rank, (_, c) in enumerate(ranked):
        item = c.intervention
        why = why_of[item.id]
        start = c.level
        if presentation.profile.start_at_level_1 and start > 1:
            start = 1
            why = (*why, _irritability_why(presentation, f"starts at level 1 instead of {c.level}"))
        out.append(
            Entry(c, _part(item), "home" in item.delivery, item.category in core,
                  priority(item.category), rank, start, why)
        )  # fmt: skip
    return out


def _irritability_why(presentation: Presentation, change: str, when: str = "") -> WhyOut:
    return WhyOut(
        rule=IRRITABILITY_RULE,
        source="hipback default",
        confidence="unverified",
        text=f"Irritability {presentation.level} at evaluation{when}: {change} "
        f"(hipback default, unverified) [rule {IRRITABILITY_RULE}]",
    )


def _step_why(level: int, session: int, reason: str) -> WhyOut:
    return WhyOut(
        rule=STEP_RULE,
        source="hipback default",
        confidence="unverified",
        text=f"Planned step to level {level} at session {session}: {reason}; a documented "
        f"session's response can hold or regress it (hipback default, unverified) "
        f"[rule {STEP_RULE}]",
    )


def candidate(
    entry: Entry,
    part: Part,
    level: int,
    why: Sequence[WhyOut],
    timing: TimingFile,
    phase: Phase | None,
    *,
    cap_grade: bool = True,
) -> tuple[PlanItem, list[str]]:
    """The item at ``level`` under ``phase``: dose, minutes, and the phase's changes."""
    item = entry.item
    notes: list[str] = []
    dose = item.level(level).dose
    if phase is not None:
        level, dose, notes = phase.adjust(item, level, dose, cap_grade=cap_grade)
    step = item.level(max(level, 1))
    sides = len(entry.chosen.sides) if item.side_specific else 1
    time = item_time(item, dose, sides, timing) if part != "home" else None
    built = PlanItem(
        id=item.id,
        name=item.name,
        category=item.category.value,
        part=part,
        sides=list(entry.chosen.sides),
        level=max(level, 1),
        level_name=step.name,
        dose=dose,
        dose_text=dose.describe(),
        why=list(why),
        modifications=list(entry.chosen.modifications),
        planned_level=max(level, 1),
        planned_dose=dose,
        planned_dose_text=dose.describe(),
        minutes=None if time is None else time.minutes,
        time_text=None if time is None else time.describe(),
        core=entry.core,
        priority=entry.priority,
        rank=entry.rank,
    )
    return built, notes if level else ["held back"]


def home_item(item: PlanItem, patient_name: str) -> HomeItem:
    return HomeItem(
        id=item.id,
        patient_name=patient_name,
        sides=item.sides,
        level=item.level,
        dose=item.dose,
        dose_text=item.dose_text,
        modifications=item.modifications,
        planned_level=item.planned_level,
        planned_dose=item.planned_dose,
    )


@dataclass(frozen=True)
class Setting:
    """What every session needs: the presentation, course, timing and limits."""

    presentation: Presentation
    course: CourseFile
    timing: TimingFile
    budget: int
    home_limit: int


def _phase_span(presentation: Presentation, number: int) -> str:
    phases = presentation.profile.phases
    start = 1 if number == 1 else phases[number - 2].until_session + 1
    return f" (sessions {start}-{phases[number - 1].until_session})"


def _cap(
    built: list[tuple[Entry, PlanItem]], phase: Phase, presentation: Presentation, number: int
) -> tuple[list[tuple[Entry, PlanItem]], list[LeftOut]]:
    """At most ``phase.max_items`` items, and per category, highest priority first."""
    kept: list[tuple[Entry, PlanItem]] = []
    held: list[LeftOut] = []
    counts: dict[Category, int] = {}
    span = _phase_span(presentation, number)
    resume = presentation.profile.phases[number - 1].until_session + 1
    for entry, item in sorted(built, key=lambda p: (not p[0].core, p[0].priority, p[0].rank)):
        category = entry.item.category
        most = phase.max_per_category.get(category)
        over_total = phase.max_items is not None and len(kept) >= phase.max_items
        if over_total or (most is not None and counts.get(category, 0) >= most):
            limit = f"at most {phase.max_items} items" if over_total else (
                f"at most {most} {category.value.replace('_', ' ')} items"
            )  # fmt: skip
            reason = (
                f"Held back while irritability is {presentation.level}{span}: {limit}, highest "
                f"priority first; planned from session {resume} as symptoms settle."
            )
            held.append(LeftOut(**item.model_dump(), goes="held back", reason=reason))
            continue
        counts[category] = counts.get(category, 0) + 1
        kept.append((entry, item))
    return kept, held


def build_sessions(
    schedule: Schedule, items: Sequence[Entry], setting: Setting
) -> list[PlanSession]:
    presentation = setting.presentation
    profile = presentation.profile
    slots: list[Slot] = []
    shells: list[tuple[PlanSession, list[HomeItem]]] = []
    previous: dict[str, int] = {}
    changed_before: set[str] = set()
    held_before: set[str] = set()
    for s in schedule.sessions:
        phase, number = profile.phase(s.number)
        built: list[tuple[Entry, PlanItem]] = []
        held: list[LeftOut] = []
        changed_now: set[str] = set()
        for entry in items:
            level = planned_level(entry.item, entry.start, s.number, setting.course,
                                  profile.step_delay)  # fmt: skip
            if level == 0:
                continue  # an education topic not given at this session
            why = list(entry.why)
            steps = setting.course.steps.get(entry.item.category)
            if steps is not None and level > previous.get(entry.item.id, entry.start):
                why.append(_step_why(level, s.number, steps.why))
            previous[entry.item.id] = level
            part: Part = entry.part or "home"
            item, notes = candidate(entry, part, level, why, setting.timing, phase)
            span = _phase_span(presentation, number) if phase is not None else ""
            if notes == ["held back"]:
                reason = (
                    f"Held back while irritability is {presentation.level}{span}: its first "
                    f"level is above grade {phase.max_grade if phase else ''}."
                )
                held.append(LeftOut(**item.model_dump(), goes="held back", reason=reason))
                continue
            if notes:
                changed_now.add(item.id)
                text = "; ".join(notes)
                item = item.model_copy(
                    update={"why": [*item.why, _irritability_why(presentation, text, span)]}
                )
            elif entry.item.id in changed_before | held_before:
                build_up = (
                    "starts now" if entry.item.id in held_before else "full planned dose now"
                ) + ", building up as irritability settles"
                item = item.model_copy(
                    update={"why": [*item.why, _irritability_why(presentation, build_up,
                                                                 f" (from session {s.number})")]}
                )  # fmt: skip
            built.append((entry, item))
        changed_before = changed_now
        if phase is not None and (phase.max_items or phase.max_per_category):
            built, capped = _cap(built, phase, presentation, number)
            held += capped
        held_before = {x.id for x in held}
        home_ranked = sorted(
            (e for e in built if e[0].home), key=lambda p: (not p[0].tailored, p[0].rank)
        )
        home_pairs = sorted(home_ranked[: setting.home_limit], key=lambda p: p[0].rank)
        home = [home_item(i, e.item.patient_name) for e, i in home_pairs]
        fixed = setting.timing.check_in_minutes
        fixed += setting.timing.reassessment_minutes if s.reassessment else 0
        clinic = [i for e, i in built if e.part is not None]
        slots.append(Slot(s.number, fixed, clinic, held, frozenset(h.id for h in home)))
        shell = PlanSession(
            number=s.number,
            on=s.on,
            week=s.week,
            notes=list(s.notes),
            reassessment=s.reassessment,
            items=[],
            home_program=home,
            budget_minutes=setting.budget,
            check_in_minutes=setting.timing.check_in_minutes,
            reassessment_minutes=setting.timing.reassessment_minutes if s.reassessment else 0,
            phase=phase,
        )
        shells.append((shell, home))
    fitted = fit(slots, setting.budget)
    sessions = [
        shell.model_copy(update={"items": f.items, "left_out": f.left_out, "minutes": f.minutes})
        for (shell, _), f in zip(shells, fitted, strict=True)
    ]
    return explain(sessions, setting.budget)


def home_overflow(items: Sequence[Entry], home_limit: int) -> list[Entry]:
    """Home-deliverable items beyond the limit (items chosen for a finding go first)."""
    ranked = sorted((e for e in items if e.home), key=lambda e: (not e.tailored, e.rank))
    return ranked[home_limit:]
