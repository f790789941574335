"""Readable renderings of a treatment plan: plain text for the clinic, HTML with a
large-print home exercise programme for the patient. Pure functions of the plan."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from hipback.protocol.catalog import Catalog, load_catalog
from hipback.protocol.treatment_plan import HomeItem, PlanItem, PlanSession, TreatmentPlan

ARM_NAMES = {"hip": "Hip-focused programme", "spine": "Spine-focused programme"}


def _sides(sides: Sequence[str]) -> str:
    return f" ({' and '.join(sides)})" if sides else ""


def _signature(session: PlanSession) -> list[tuple[str, int]]:
    return [(i.id, i.level) for i in session.items] + [
        (h.id, h.level) for h in session.home_program
    ]


def _changes(plan: TreatmentPlan) -> dict[int, list[str]]:
    """Per session number, the items whose level differs from the previous session."""
    out: dict[int, list[str]] = {}
    for before, now in zip(plan.sessions, plan.sessions[1:], strict=False):
        old = dict(_signature(before))
        moved = [
            f"{i.id} → level {i.level} ({i.dose_text})"
            for i in now.items
            if old.get(i.id) != i.level
        ]
        if moved:
            out[now.number] = moved
    return out


def _item_lines(item: PlanItem) -> list[str]:
    lines = [f"  - {item.name}{_sides(item.sides)}: {item.dose_text} [level {item.level}]"]
    lines += [f"      why: {w.text}" for w in item.why]
    lines += [f"      precaution: {m}" for m in item.modifications]
    return lines


def as_text(plan: TreatmentPlan) -> str:
    lines = [
        f"{ARM_NAMES[plan.arm.value]}: patient {plan.patient_id}",
        f"Sessions {plan.start_on.isoformat()} to {plan.end_on.isoformat()}, "
        f"{len(plan.sessions)} visits ({'/'.join(plan.pattern)})",
        f"Screening: {plan.screening.decision}"
        + (" (OVERRIDDEN for clinic use)" if plan.screening.overridden else ""),
        "",
        plan.disclaimer,
        "",
    ]
    lines += [f"Note: {n}" for n in plan.notes]
    first = plan.sessions[0]
    lines += ["", "Each session (doses as of session 1):"]
    for part, title in (("manual", "Manual therapy"), ("supervised", "Supervised exercise")):
        items = [i for i in first.items if i.part == part]
        if items:
            lines.append(f" {title}:")
            for item in items:
                lines += _item_lines(item)
    lines.append(" Home exercise programme:")
    for h in first.home_program:
        lines.append(f"  - {h.patient_name}{_sides(h.sides)}: {h.dose_text}")
        lines += [f"      precaution: {m}" for m in h.modifications]
    lines += ["", "Calendar:"]
    changes = _changes(plan)
    for s in plan.sessions:
        extra = f"  [{s.reassessment} reassessment]" if s.reassessment else ""
        notes = f"  - {'; '.join(s.notes)}" if s.notes else ""
        lines.append(
            f"  {s.number:2d}  {s.on.strftime('%a %Y-%m-%d')}  week {s.week}{extra}{notes}"
        )
        lines += [f"        dose change: {c}" for c in changes.get(s.number, [])]
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


def as_html(plan: TreatmentPlan, catalog: Catalog | None = None) -> str:
    cat = catalog or load_catalog()
    first = plan.sessions[0]
    rows = "".join(
        f"<tr><td>{s.number}</td><td>{s.on.strftime('%a %d %b %Y')}</td><td>{s.week}</td>"
        f"<td>{escape(s.reassessment or '')} {escape('; '.join(s.notes))}</td></tr>"
        for s in plan.sessions
    )
    items = "".join(
        f"<li><strong>{escape(i.name)}{escape(_sides(i.sides))}</strong>: {escape(i.dose_text)}"
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
        f"<h2>Your visits</h2><table><tr><th>#</th><th>Date</th><th>Week</th><th>Note</th></tr>"
        f"{rows}</table>"
        f"<h2>In the clinic</h2><ol>{items}</ol>"
        f"<h2 class='hep'>Your home exercises</h2><div class='hep'>{home}</div>"
        "</body></html>\n"
    )
