"""Render ``docs/protocol.md`` from the catalog and rule files: ``python -m hipback.protocol.docs``.

Generated, never hand-edited, so the document a clinician reviews is the data the engine runs
(``tests/protocol/test_docs.py`` fails when it is stale).
"""

from __future__ import annotations

from hipback.core import Confidence
from hipback.protocol import adjust, budget, schedule
from hipback.protocol.catalog import Arm, Catalog, Category, Citation, Intervention, load_catalog
from hipback.protocol.course import CourseFile, load_course
from hipback.protocol.irritability import IrritabilityFile, load_irritability, phase_text
from hipback.protocol.progression import RULE
from hipback.protocol.rules import NormFile, RuleFile, load_norms, load_rules
from hipback.protocol.timing import DEFAULT_SESSION_MINUTES, TimingFile, load_timing

HEADER = """# Treatment protocol: catalog, tailoring, progression, irritability, time, education

Generated from `src/hipback/protocol/data/` by `python -m hipback.protocol.docs > docs/protocol.md`;
do not edit by hand.

**Not the MASH protocol.** MASH (Hicks et al., Lancet Rheumatol 2024; protocol Pugliese et al.,
Phys Ther 2022; registry NCT04009837) reported the components of each arm ✅ but not the
techniques, doses, tailoring rules or progression criteria ❌. Everything below that MASH did not
publish is a **hipback default**, marked as such, with the source we chose and its confidence.

Confidence marks: ✅ read in a primary source; ⚠️ secondary sources only, or sources disagree;
❌ not verified. Anything not ✅ is shown to users as **unverified**.
"""

CATEGORY_TITLES = {
    Category.HIP_MOBILISATION: "Hip joint mobilisation (manual, hip arm)",
    Category.LUMBAR_MANUAL: "Lumbar manual therapy (manual, spine arm)",
    Category.HIP_FLEXIBILITY: "Hip soft tissue and stretches (hip arm)",
    Category.HIP_STRENGTHENING: "Hip strengthening (hip arm)",
    Category.TRUNK_TRAINING: "Trunk muscle training (both arms)",
    Category.LUMBAR_FLEXIBILITY: "Lumbar flexibility",
    Category.AEROBIC: "Aerobic exercise",
    Category.EDUCATION: "Education (both arms; hipback addition)",
}


CATALOG_COLUMNS = (
    "id", "name (patient name)", "arms", "delivery", "targets", "starting dose", "levels",
    "precautions", "component", "dose source",
)  # fmt: skip


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _mark(c: Citation | Confidence) -> str:
    return (c.confidence if isinstance(c, Citation) else c).mark


def _row(*cells: object) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _precautions(item: Intervention) -> str:
    return "; ".join(f"{p.condition.value}: {p.action}" for p in item.precautions) or "none"


def _catalog(catalog: Catalog) -> list[str]:
    lines = ["## Intervention catalog", "", f"Catalog version: `{catalog.version}`.", ""]
    for category in Category:
        items = [i for i in catalog if i.category is category]
        lines += [f"### {CATEGORY_TITLES[category]}", ""]
        lines.append(_row(*CATALOG_COLUMNS))
        lines.append("|" + "---|" * 10)
        for i in items:
            lines.append(
                _row(
                    f"`{i.id}`",
                    f"{i.name} ({i.patient_name})",
                    ", ".join(a.value for a in i.arms),
                    ", ".join(i.delivery),
                    ", ".join(i.targets),
                    f"L{i.start_level}: {i.start.dose.describe()}",
                    len(i.ladder),
                    _precautions(i),
                    f"{i.component.source} {_mark(i.component)}",
                    f"{i.dose_source.source} {_mark(i.dose_source)}: {i.dose_source.citation}",
                )
            )
        lines.append("")
        for i in items:
            lines += _detail(i)
    return lines


def _detail(i: Intervention) -> list[str]:
    lines = [f"#### `{i.id}`: {i.name}", "", f"Evidence: {i.evidence}", ""]
    lines += [
        _row("level", "name", "dose", "move up when", "move down when"),
        "|---|---|---|---|---|",
    ]
    lines += [_row(lv.level, lv.name, lv.dose.describe(), lv.up, lv.down) for lv in i.ladder]
    lines += ["", f"Patient instructions ({i.patient_name}):", ""]
    lines += [f"{n}. {step}" for n, step in enumerate(i.instructions, 1)]
    if i.precautions:
        lines += ["", "Precautions:", ""]
        lines += [f"- **{p.condition.value}** ({p.action}): {p.note}" for p in i.precautions]
    return [*lines, ""]


def _rules(rules: RuleFile) -> list[str]:
    lines = ["## Tailoring rules", "", f"Rule file version: `{rules.version}`.", ""]
    lines += [
        "A rule with `any` fires when one of its criteria is met, `all` when every one is, and",
        "`always` for every patient in the arm. Hip findings are read per side. Precautions then",
        "exclude items (listed in the plan with the reason) or add a modification note; session",
        "limits keep one item per fired rule first, and list the rest as deferred.",
        "",
        "### Criteria (thresholds)",
        "",
        _row("id", "finding", "threshold", "source", "citation", "confidence"),
        "|---|---|---|---|---|---|",
    ]
    lines += [
        _row(
            f"`{c.id}`",
            c.what,
            c.threshold()
            if c.norm_sd_below is None
            else f"below mean − {c.norm_sd_below:g} SD of the age/sex norm; else {c.threshold()}",
            c.source,
            c.citation,
            c.confidence.mark,
        )
        for c in rules.criteria
    ]
    for arm, title in (("hip", "Hip-focused arm"), ("spine", "Spine-focused arm"),
                       ("both", "Both arms")):  # fmt: skip
        lines += ["", f"### {title}", ""]
        lines += [_row("rule", "when", "criteria", "interventions", "start level", "basis"),
                  "|---|---|---|---|---|---|"]  # fmt: skip
        for r in (r for r in rules.rules if r.arm == arm):
            lines.append(
                _row(
                    f"**{r.id}** {r.title}",
                    r.when,
                    ", ".join(f"`{c}`" for c in r.criteria) or "—",
                    ", ".join(f"`{i}`" for i in r.interventions),
                    r.level or "item default",
                    f"{r.basis.source} {_mark(r.basis)}: {r.basis.citation}",
                )
            )
    lines += ["", "### Session limits (items per category per visit)", ""]
    lines += [f"Basis: {rules.limits_basis.source} {_mark(rules.limits_basis)}: "
              f"{rules.limits_basis.citation}.", ""]  # fmt: skip
    lines += [_row("arm", "category", "most items"), "|---|---|---|"]
    for arm_name, limits in rules.limits.items():
        lines += [_row(arm_name, c.value, n) for c, n in limits.items()]
    for arm_name, most in rules.home_limits.items():
        lines.append(_row(arm_name, "home programme (tailored items first)", most))
    return [*lines, ""]


def _norms(norms: NormFile) -> list[str]:
    lines = [
        "### Age- and sex-specific norms",
        "",
        f"Norms file version: `{norms.version}` (`data/norms.toml`). A criterion with a norm "
        "fires below mean − k SD of the row matching the patient's sex and age; with no "
        "matching row it uses its fixed threshold, and the plan's why says so. Risk and "
        "classification cut-offs (MASH's 0.26 × body weight, the ACR's 15° of internal "
        "rotation, gait speed 1.0 m/s) are not comparisons with normal and stay fixed; for "
        "strength, muscle length and trunk endurance no older-adult norms in the same units "
        "were found, so those thresholds are fixed and marked unverified.",
        "",
        _row("finding", "sex", "age", "mean ± SD", "n", "population", "source"),
        "|---|---|---|---|---|---|---|",
    ]
    lines += [
        _row(n.finding, n.sex, f"{n.age_min}-{n.age_max}", f"{n.mean:g} ± {n.sd:g}", n.n,
             n.population, f"{n.citation} {n.confidence.mark}. {n.note}")
        for n in norms.norms
    ]  # fmt: skip
    return [*lines, ""]


def _progression(course: CourseFile) -> list[str]:
    lines = [
        "## Progression",
        "",
        "### Planned progression",
        "",
        f"Course file version: `{course.version}` (`data/progression.toml`). Basis: "
        f"{course.basis.source} {_mark(course.basis)}: {course.basis.citation}.",
        "",
        "Each item starts at its tailored level and moves one level up its ladder at the "
        "planned steps below, up to the top of its ladder, so session 16 is not session 1. A "
        "step is a plan, taken only if the previous level was tolerated; an irritable start "
        "delays every step (see Severity and irritability).",
        "",
        _row("category", "first step at session", "then every", "why"),
        "|---|---|---|---|",
    ]
    for category, steps in course.steps.items():
        lines.append(_row(category.value, steps.first, f"{steps.every} sessions", steps.why))
    lines += ["", "### Documented response (planned vs adjusted)", "", RULE, ""]
    lines += [(adjust.__doc__ or "").strip(), ""]
    return lines


def _irritability(data: IrritabilityFile) -> list[str]:
    lines = [
        "## Severity and irritability",
        "",
        f"Irritability file version: `{data.version}` (`data/irritability.toml`). Basis: "
        f"{data.basis.source} {_mark(data.basis)}: {data.basis.citation}.",
        "",
        "The evaluation records how easily symptoms are provoked and how long they take to "
        "settle (section *Symptom behaviour*); severity is read from the pain ratings. Each "
        "indicator is rated low, moderate or high; the presentation takes the highest rating "
        f"recorded (none recorded: {data.not_assessed}).",
        "",
        _row("indicator", "answer or value", "rating"),
        "|---|---|---|",
    ]
    lines += [_row("usual back pain (NPRS)", f"≤ {b.up_to:g}", b.rating)
              for b in data.severity.nprs]  # fmt: skip
    lines += [_row("HOOS pain items, mean of 0-4", f"≤ {b.up_to:g}", b.rating)
              for b in data.severity.hoos_item_mean]  # fmt: skip
    lines += [_row("how easily provoked", k.replace("_", " "), v)
              for k, v in data.provocation.items()]  # fmt: skip
    lines += [_row("how long to settle", k.replace("_", " "), v)
              for k, v in data.settling.items()]  # fmt: skip
    lines += ["", "What each presentation changes (every change is written in the item's why):",
              "", _row("presentation", "summary", "phases", "planned steps delayed by"),
              "|---|---|---|---|"]  # fmt: skip
    for level, profile in data.profiles.items():
        phases = "; ".join(phase_text(profile).values()) or "none"
        lines.append(_row(level, profile.summary, phases, f"{profile.step_delay} sessions"))
    return [*lines, ""]


def _time(timing: TimingFile) -> list[str]:
    lines = [
        "## Session time budget",
        "",
        f"Timing file version: `{timing.version}` (`data/session_time.toml`). Basis: "
        f"{timing.basis.source} {_mark(timing.basis)}: {timing.basis.citation}.",
        "",
        f"The clinic's session length is a setting (`HIPBACK_SESSION_MINUTES`, `hipback plan "
        f"--session-minutes`; default {DEFAULT_SESSION_MINUTES}). Every session states its "
        f"minutes: {timing.check_in_minutes} min check-in, {timing.reassessment_minutes} min "
        "more at the 4- and 8-week reassessments, and each item's set-up, work and rests "
        "(rounded up to whole minutes).",
        "",
        _row("category", "set-up", "seconds per repetition", "rest between sets or bouts"),
        "|---|---|---|---|",
    ]
    lines += [_row(c.value, f"{t.setup_s} s", f"{t.rep_s} s", f"{t.rest_s} s")
              for c, t in timing.timing.items()]  # fmt: skip
    lines += ["", (budget.__doc__ or "").strip(), "", _row("arm", "core (every session)",
              "take turns", "why"), "|---|---|---|---|"]  # fmt: skip
    for arm, p in timing.priority.items():
        lines.append(_row(arm, ", ".join(c.value for c in p.core),
                          ", ".join(c.value for c in p.rotate), p.why))  # fmt: skip
    return [*lines, ""]


def _education(course: CourseFile, catalog: Catalog) -> list[str]:
    lines = [
        "## Education",
        "",
        "Short talks in both arms, in our own words, shown on the plan, the home-exercise "
        "handout and the patient portal. MASH reported no education in either arm: this is a "
        "hipback addition with the same number of talks in each arm (remove rules B-EDU, "
        "H-EDU and S-EDU to keep the arms as published).",
        "",
        _row("topic", "patient title", "arms", "sessions (first = introduce, later = review)",
             "minutes"),
        "|---|---|---|---|---|",
    ]  # fmt: skip
    for talk in course.education:
        item = catalog.get(talk.item)
        minutes = " / ".join(f"{lv.dose.minutes}" for lv in item.ladder)
        lines.append(
            _row(f"`{item.id}`", item.patient_name, ", ".join(a.value for a in item.arms),
                 ", ".join(map(str, talk.sessions)), minutes)
        )  # fmt: skip
    return [*lines, ""]


def render(catalog: Catalog | None = None, rules: RuleFile | None = None) -> str:
    cat = catalog or load_catalog()
    rule_file = rules or load_rules()
    arms = [
        "## Arms at a glance",
        "",
        _row("arm", "interventions in the catalog"),
        "|---|---|",
    ]
    for arm in Arm:
        arms.append(_row(arm.value, ", ".join(f"`{i.id}`" for i in cat if arm in i.arms)))
    calendar = ["## Schedule and calendar", "", (schedule.__doc__ or "").strip(), ""]
    course = load_course()
    parts = [
        HEADER, *arms, "", *calendar, *_progression(course), *_irritability(load_irritability()),
        *_time(load_timing()), *_education(course, cat), *_rules(rule_file), *_norms(load_norms()),
        *_catalog(cat),
    ]  # fmt: skip
    return "\n".join(parts).rstrip() + "\n"


if __name__ == "__main__":
    print(render(), end="")
