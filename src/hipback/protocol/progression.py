"""After a documented session: progress, hold or regress each exercise (hipback's rule).

MASH used "progressive" exercise but published no progression criteria (mash.md §4.2 ❌).
hipback's rule, applied per item, in this order:

* **pain rise** = highest of pain during and pain after, minus pain before the session (0-10).
  **Next-day rise** = next-day pain minus pain before.
* **Regress** (pain flare): next-day rise > 2, or pain rise > 2 that has not settled by the next
  day (next-day pain above pre-session pain). Move one level down the ladder.
* **Progress**: the whole prescribed dose was done (sets and reps, hold or minutes), the effort
  was low (RPE ≤ 4 on the 0-10 scale, or "easy"; hipback aims for 5-6, the ACSM moderate band
  for older adults, Chodzko-Zajko 2009), the pain rise was ≤ 2 and had settled by the next day
  (next-day pain ≤ pre-session pain). Manual techniques have no effort criterion. Move one level
  up.
* **Hold** otherwise, naming each condition not met (e.g. next-day pain not recorded).

The pain thresholds follow the pain-monitoring model (Thomeé 1997; Silbernagel et al. 2007:
pain allowed during exercise if it settles by the next morning); the ≤ 2-point rise is hipback's
reading of it (unverified). The RPE cut-off is hipback's (unverified).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from hipback.errors import InvalidInput, Problem
from hipback.protocol.adjust import Move, apply
from hipback.protocol.catalog import Catalog, Dose, Intervention, load_catalog
from hipback.protocol.reassessment import ReassessmentResult, reassess
from hipback.protocol.treatment_plan import TreatmentPlan

Decision = Literal["progress", "hold", "regress"]
PAIN_RISE_MAX = 2
LOW_EFFORT_RPE = 4
RULE = (
    "Progress when the full dose is done at effort ≤ 4/10 (or 'easy') with a pain rise ≤ 2 "
    "points that has settled by the next day; regress on a flare (next-day pain > 2 above "
    "pre-session, or a rise > 2 not settled by the next day); otherwise hold. hipback default "
    "after the pain-monitoring model (Thomeé 1997; Silbernagel 2007); unverified."
)


class ItemRecord(BaseModel):
    """What happened to one plan item in the session."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    level: int | None = Field(default=None, ge=1, description="Level done; default = planned.")
    sets_done: int | None = Field(default=None, ge=0, le=10)
    reps_done: int | None = Field(default=None, ge=0, le=100)
    hold_s_done: int | None = Field(default=None, ge=0, le=600)
    minutes_done: float | None = Field(default=None, ge=0, le=120)
    bouts_done: int | None = Field(default=None, ge=0, le=20)
    rpe: float | None = Field(default=None, ge=0, le=10, description="Effort, 0-10 (CR10).")
    difficulty: Literal["easy", "moderate", "hard"] | None = None
    pain_before: int = Field(ge=0, le=10)
    pain_during: int = Field(ge=0, le=10)
    pain_after: int = Field(ge=0, le=10)
    pain_next_day: int | None = Field(default=None, ge=0, le=10)


class SessionRecord(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    session: int = Field(ge=1, le=40)
    on: dt.date | None = None
    items: list[ItemRecord] = Field(default_factory=list)
    measures: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="Outcome measures taken at a reassessment: instrument id → responses.",
    )

    @model_validator(mode="after")
    def _unique(self) -> SessionRecord:
        ids = [i.id for i in self.items]
        if len(set(ids)) != len(ids):
            raise ValueError("each item may be recorded once per session")
        if not ids and not self.measures:
            raise ValueError("record at least one item or one outcome measure")
        return self


class Proposal(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    decision: Decision
    from_level: int
    to_level: int
    next_dose: Dose
    next_dose_text: str
    reasons: list[str]


def load_session(data: Mapping[str, Any]) -> SessionRecord:
    try:
        return SessionRecord.model_validate(dict(data))
    except ValidationError as exc:
        raise InvalidInput(
            Problem(
                ".".join(str(p) for p in err["loc"]) or "session",
                err.get("input"),
                err["msg"],
            )
            for err in exc.errors()
        ) from None


def _completed(dose: Dose, rec: ItemRecord, manual: bool) -> tuple[bool, str]:
    checks = [
        ("sets", dose.sets, rec.sets_done),
        ("reps", dose.reps, rec.reps_done),
        ("hold", dose.hold_s, rec.hold_s_done),
        ("minutes", dose.minutes, rec.minutes_done),
    ]
    if manual:
        checks = [("bouts", dose.bouts, rec.bouts_done)] if rec.bouts_done is not None else []
    short = [
        f"{name} {done if done is not None else 'not recorded'} of {planned}"
        for name, planned, done in checks
        if planned is not None and (done is None or done < planned)
    ]
    return (not short, "dose not completed: " + ", ".join(short) if short else "full dose done")


def _low_effort(rec: ItemRecord) -> bool | None:
    if rec.rpe is not None:
        return rec.rpe <= LOW_EFFORT_RPE
    if rec.difficulty is not None:
        return rec.difficulty == "easy"
    return None


def decide(item: Intervention, dose: Dose, rec: ItemRecord) -> tuple[Decision, list[str]]:
    """The decision for one item and the reasons, per the module rule."""
    rise = max(rec.pain_during, rec.pain_after) - rec.pain_before
    next_rise = None if rec.pain_next_day is None else rec.pain_next_day - rec.pain_before
    reasons = [f"pain before {rec.pain_before}, peak {rec.pain_before + rise} (rise {rise:+d})"]
    if next_rise is not None:
        reasons.append(f"next day {rec.pain_next_day} ({next_rise:+d} vs before)")
    flare = next_rise is not None and (
        next_rise > PAIN_RISE_MAX or (rise > PAIN_RISE_MAX and next_rise > 0)
    )
    if flare:
        return "regress", [*reasons, "pain flare: rise not settled by the next day"]
    done, done_text = _completed(dose, rec, item.is_manual)
    reasons.append(done_text)
    blockers: list[str] = []
    if not done:
        blockers.append("dose not completed")
    if not item.is_manual:
        effort = _low_effort(rec)
        if effort is None:
            blockers.append("effort (RPE or difficulty) not recorded")
        elif not effort:
            shown = f"RPE {rec.rpe:g}" if rec.rpe is not None else f"'{rec.difficulty}'"
            blockers.append(f"effort {shown} above the low-effort cut-off (RPE ≤ 4)")
    if rise > PAIN_RISE_MAX:
        blockers.append(f"pain rise {rise} > {PAIN_RISE_MAX}")
    if next_rise is None:
        blockers.append("next-day pain not recorded")
    elif next_rise > 0:
        blockers.append("pain had not settled by the next day")
    if blockers:
        return "hold", [*reasons, "hold: " + "; ".join(blockers)]
    return "progress", [*reasons, "all progression criteria met"]


def propose(
    plan: TreatmentPlan, record: SessionRecord, catalog: Catalog | None = None
) -> tuple[list[Proposal], TreatmentPlan]:
    """Proposals for each recorded item, and the plan with later sessions adjusted (the planned
    steps continue from the adjusted level; sessions refitted to their minutes)."""
    cat = catalog or load_catalog()
    session = next((s for s in plan.sessions if s.number == record.session), None)
    if session is None:
        raise InvalidInput.one("session", record.session, f"1 to {len(plan.sessions)}")
    prescribed: dict[str, tuple[int, Dose]] = {
        h.id: (h.level, h.dose) for h in session.home_program
    }
    for entry in [*session.left_out, *session.items]:
        if entry.part != "education" and getattr(entry, "goes", None) != "held back":
            prescribed[entry.id] = (entry.level, entry.dose)
    unknown = [r.id for r in record.items if r.id not in prescribed]
    if unknown:
        raise InvalidInput(
            Problem(
                f"items[{r}]",
                r,
                f"an exercise or technique of session {record.session} (education topics are "
                "not documented with a dose)",
            )
            for r in unknown
        )
    proposals: list[Proposal] = []
    moves: dict[str, Move] = {}
    for rec in record.items:
        item = cat.get(rec.id)
        planned_level, dose = prescribed[rec.id]
        level = rec.level or planned_level
        if level > len(item.ladder):
            raise InvalidInput.one(f"{rec.id}.level", level, f"1 to {len(item.ladder)}")
        if level != planned_level:
            dose = item.level(level).dose
        decision, reasons = decide(item, dose, rec)
        target = level
        if decision == "progress":
            if level == len(item.ladder):
                decision = "hold"
                reasons.append("top of the ladder: keep this dose")
            else:
                target = level + 1
        elif decision == "regress":
            if level == 1:
                reasons.append("already at the lowest level: reduce range or hold, review item")
            else:
                target = level - 1
        reasons.append(f"level {target}: {item.level(target).name}")
        moves[rec.id] = Move(target, decision)
        proposals.append(
            Proposal(id=rec.id, decision=decision, from_level=level, to_level=target,
                     next_dose=item.level(target).dose,
                     next_dose_text=item.level(target).dose.describe(), reasons=reasons)
        )  # fmt: skip
    updated = apply(plan, record.session, moves, cat)
    return [_next_dose(p, updated, record.session) for p in proposals], updated


def _next_dose(proposal: Proposal, plan: TreatmentPlan, after: int) -> Proposal:
    """The dose the updated plan gives at the item's next session (it may carry a phase's
    lower volume), else the ladder dose of the proposed level."""
    for s in (s for s in plan.sessions if s.number > after):
        found = s.find(proposal.id) or next(
            (h for h in s.home_program if h.id == proposal.id), None
        )
        if found is not None:
            return proposal.model_copy(
                update={"next_dose": found.dose, "next_dose_text": found.dose.describe()}
            )
    return proposal


def reassess_session(plan: TreatmentPlan, record: SessionRecord) -> ReassessmentResult | None:
    """Compare the session's outcome measures with the plan's baseline (None if none taken)."""
    if not record.measures:
        return None
    session = next((s for s in plan.sessions if s.number == record.session), None)
    if session is None:
        raise InvalidInput.one("session", record.session, f"1 to {len(plan.sessions)}")
    label = session.reassessment or f"session {record.session}"
    if not plan.baseline_measures:
        raise InvalidInput.one(
            "measures", sorted(record.measures), "a plan whose evaluation had baseline measures"
        )
    return reassess(plan.baseline_measures, record.measures, plan.patient or None, label)
