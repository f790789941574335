"""Readable renderings of a treatment plan: plain text for the clinic, HTML with a
large-print home exercise programme and the education topics for the patient. Pure functions
of the plan."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from hipback.protocol.catalog import Catalog, load_catalog
from hipback.protocol.treatment_plan import HomeItem, PlanItem, PlanSession, TreatmentPlan

ARM_NAMES = {"hip": "Hip-focused programme", "spine": "Spine-focused programme"}
PARTS = (("manual", "Manual therapy"), ("supervised", "Supervised exercise"),
         ("education", "Education"))  # fmt: skip


def _sides(sides: Sequence[str]) -> str:
    return f" ({' and '.join(sides)})" if sides else ""


def _level_changes(plan: TreatmentPlan) -> dict[int, list[str]]:
    """Per session number, the items whose level differs from the item's previous session."""
    out: dict[int, list[str]] = {}
    seen: dict[str, int] = {}
    for s in plan.sessions:
        for i in [*s.items, *s.left_out]:
            if i.part == "education":
                continue
            before = seen.get(i.id)
            if before is not None and before != i.level:
                arrow = "up" if i.level > before else "down"
                out.setdefault(s.number, []).append(
                    f"{i.name} {arrow} to level {i.level} ({i.dose_text})"
                )
            seen[i.id] = i.level
    return out


def planned_vs_adjusted(item: PlanItem) -> str | None:
    """'planned level 2 (…), adjusted to level 1 (…): why' when they differ, else None."""
    if item.planned_level is None or item.adjusted is None:
        return None
    return (
        f"planned level {item.planned_level} ({item.planned_dose_text}); adjusted to level "
        f"{item.level} ({item.dose_text}): {item.adjusted}"
    )


def _item_lines(item: PlanItem) -> list[str]:
    minutes = f" [{item.time_text}]" if item.time_text else ""
    lines = [f"  - {item.name}{_sides(item.sides)}: {item.dose_text} [level {item.level}]{minutes}"]
    shown = planned_vs_adjusted(item)
    if shown:
        lines.append(f"      {shown}")
    lines += [f"      why: {w.text}" for w in item.why]
    lines += [f"      precaution: {m}" for m in item.modifications]
    return lines


def _session_detail(s: PlanSession) -> list[str]:
    lines = []
    for part, title in PARTS:
        items = [i for i in s.items if i.part == part]
        if items:
            lines.append(f" {title}:")
            for item in items:
                lines += _item_lines(item)
    if s.left_out:
        lines.append(" Not in the clinic this session:")
        lines += [f"  - {x.name}{_sides(x.sides)}: {x.reason}" for x in s.left_out]
    lines.append(" Home exercise programme:")
    for h in s.home_program:
        lines.append(f"  - {h.patient_name}{_sides(h.sides)}: {h.dose_text}")
        lines += [f"      precaution: {m}" for m in h.modifications]
    return lines


def _minutes(s: PlanSession) -> str:
    if s.minutes is None:
        return ""
    return f"  {s.minutes} of {s.budget_minutes} min"


def as_text(plan: TreatmentPlan) -> str:
    length = f", {plan.session_minutes}-minute sessions" if plan.session_minutes else ""
    lines = [
        f"{ARM_NAMES[plan.arm.value]}: patient {plan.patient_id}",
        f"Sessions {plan.start_on.isoformat()} to {plan.end_on.isoformat()}, "
        f"{len(plan.sessions)} visits ({'/'.join(plan.pattern)}){length}",
        f"Screening: {plan.screening.decision}"
        + (" (OVERRIDDEN for clinic use)" if plan.screening.overridden else ""),
    ]
    if plan.calendar is not None:
        c = plan.calendar
        where = f"{c.country}{'-' + c.subdivision if c.subdivision else ''} public holidays"
        lines.append(
            f"Calendar: {where if c.country else 'no public holidays'}; closed "
            f"{', '.join(c.closed_weekdays) or 'no weekday'}"
            + "".join(f"; {d.on.isoformat()} closed ({d.name})" for d in c.avoided)
        )
    lines += ["", plan.disclaimer, ""]
    lines += [f"Note: {n}" for n in plan.notes]
    first = plan.sessions[0]
    lines += ["", "Session 1:"]
    lines += _session_detail(first)
    lines += ["", "Calendar and planned progression:"]
    changes = _level_changes(plan)
    for s in plan.sessions:
        extra = f"  [{s.reassessment} reassessment]" if s.reassessment else ""
        notes = f"  - {'; '.join(s.notes)}" if s.notes else ""
        lines.append(
            f"  {s.number:2d}  {s.on.strftime('%a %Y-%m-%d')}  week {s.week}{_minutes(s)}"
            f"{extra}{notes}"
        )
        lines += [f"        education: {e.name} ({e.dose_text})" for e in s.education]
        lines += [f"        dose change: {c}" for c in changes.get(s.number, [])]
        lines += [
            f"        {i.name}: {shown}" for i in s.items if (shown := planned_vs_adjusted(i))
        ]
        away = [x for x in s.left_out if x.goes != "held back"]
        if away:
            lines.append(
                "        not in the clinic: "
                + ", ".join(
                    f"{x.name} ({'at home' if x.goes == 'home' else 'later'})" for x in away
                )
            )
        held = [x.name for x in s.left_out if x.goes == "held back"]
        if held:
            lines.append(f"        held back (irritability): {', '.join(held)}")
    for title, entries in (("Excluded by a precaution", plan.excluded),
                           ("Indicated but deferred", plan.deferred)):  # fmt: skip
        if entries:
            lines += ["", f"{title}:"]
            lines += [f"  - {e.name}{_sides(e.sides)}: {e.reason}" for e in entries]
    if plan.unassessed:
        lines += ["", "Rules not evaluated (finding not assessed):"]
        lines += [f"  - {u}" for u in plan.unassessed]
    lines += ["", "Reassessment:"]
    lines += [
        f"  - {r.label} after session {r.after_session} ({r.on}): {r.note}"
        for r in plan.reassessments
    ]
    return "\n".join(lines) + "\n"


_CSS = """
body { font-family: Verdana, Arial, sans-serif; font-size: 18px; line-height: 1.5;
       max-width: 60em; margin: 1em auto; color: #111; }
h1, h2, h3 { line-height: 1.2; }
.hep { font-size: 24px; }
.hep li { margin-bottom: 0.4em; }
.why { font-size: 15px; color: #333; }
.note { border-left: 6px solid #b35900; padding-left: 0.6em; }
table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: 0.2em 0.5em; }
"""


def _home_html(home: HomeItem, catalog: Catalog) -> str:
    item = catalog.get(home.id)
    steps = "".join(f"<li>{escape(s)}</li>" for s in item.instructions)
    mods = "".join(
        f"<p class='note'>{escape(m.split(': ', 1)[-1])}</p>" for m in home.modifications
    )
    return (
        f"<section><h3>{escape(home.patient_name)}{escape(_sides(home.sides))}</h3>"
        f"<p><strong>{escape(home.dose_text)}</strong></p><ol>{steps}</ol>{mods}</section>"
    )


def education_topics(plan: TreatmentPlan) -> list[tuple[int, PlanItem]]:
    """Each education topic at the session it is introduced (level 1), in session order."""
    out: list[tuple[int, PlanItem]] = []
    seen: set[str] = set()
    for s in plan.sessions:
        for e in s.education:
            if e.id not in seen:
                seen.add(e.id)
                out.append((s.number, e))
    return out


def _education_html(plan: TreatmentPlan, catalog: Catalog) -> str:
    parts = []
    for number, topic in education_topics(plan):
        item = catalog.get(topic.id)
        points = "".join(f"<li>{escape(p)}</li>" for p in item.instructions)
        parts.append(
            f"<section><h3>{escape(item.patient_name)}</h3><p>Visit {number}</p>"
            f"<ul>{points}</ul></section>"
        )
    return "".join(parts)


def as_html(plan: TreatmentPlan, catalog: Catalog | None = None) -> str:
    cat = catalog or load_catalog()
    first = plan.sessions[0]
    rows = "".join(
        f"<tr><td>{s.number}</td><td>{s.on.strftime('%a %d %b %Y')}</td><td>{s.week}</td>"
        f"<td>{'' if s.minutes is None else s.minutes}</td>"
        f"<td>{escape('; '.join(cat.get(e.id).patient_name for e in s.education))}</td>"
        f"<td>{escape(s.reassessment or '')} {escape('; '.join(s.notes))}</td></tr>"
        for s in plan.sessions
    )
    items = "".join(
        f"<li><strong>{escape(i.name)}{escape(_sides(i.sides))}</strong>: {escape(i.dose_text)}"
        f"{'' if i.minutes is None else f' ({i.minutes} min)'}"
        f"<ul class='why'>{''.join(f'<li>{escape(w.text)}</li>' for w in i.why)}"
        f"{''.join(f'<li>precaution: {escape(m)}</li>' for m in i.modifications)}</ul></li>"
        for i in first.items
    )
    notes = "".join(f"<p class='note'>{escape(n)}</p>" for n in plan.notes)
    home = "".join(_home_html(h, cat) for h in first.home_program)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(ARM_NAMES[plan.arm.value])}: {escape(plan.patient_id)}</title>"
        f"<style>{_CSS}</style></head><body>"
        f"<h1>{escape(ARM_NAMES[plan.arm.value])}</h1>"
        f"<p>Patient {escape(plan.patient_id)}. Screening: {escape(plan.screening.decision)}"
        f"{' (overridden for clinic use)' if plan.screening.overridden else ''}.</p>"
        f"<p class='note'>{escape(plan.disclaimer)}</p>{notes}"
        f"<h2>Your visits</h2><table><tr><th>#</th><th>Date</th><th>Week</th>"
        f"<th>Minutes</th><th>Talk</th><th>Note</th></tr>{rows}</table>"
        f"<h2>In the clinic (visit 1)</h2><ol>{items}</ol>"
        f"<h2 class='hep'>Your home exercises</h2><div class='hep'>{home}</div>"
        f"<h2 class='hep'>What we talk about</h2><div class='hep'>{_education_html(plan, cat)}"
        "</div></body></html>\n"
    )
