"""Render ``docs/protocol.md`` from the catalog and rule files: ``python -m hipback.protocol.docs``.

Generated, never hand-edited, so the document a clinician reviews is the data the engine runs
(``tests/protocol/test_docs.py`` fails when it is stale).
"""

from __future__ import annotations

from hipback.core import Confidence
from hipback.protocol import schedule
from hipback.protocol.catalog import Arm, Catalog, Category, Citation, Intervention, load_catalog
from hipback.protocol.progression import RULE
from hipback.protocol.rules import RuleFile, load_rules

HEADER = """# Treatment protocol: catalog and tailoring rules

Generated from `src/hipback/protocol/data/` by `python -m hipback.protocol.docs > docs/protocol.md`;
do not edit by hand.

**Not the MASH protocol.** MASH (Hicks et al., Lancet Rheumatol 2024; protocol Pugliese et al.,
Phys Ther 2022) reported the components of each arm (`mash.md` §4.1 ✅) but not the techniques,
doses, tailoring rules or progression criteria (§4.2 ❌). Everything below that MASH did not
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
        _row(f"`{c.id}`", c.what, c.threshold(), c.source, c.citation, c.confidence.mark)
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
    timing = ["## Schedule", "", (schedule.__doc__ or "").strip(), ""]
    progression = ["## Progression", "", RULE, ""]
    parts = [HEADER, *arms, "", *timing, *progression, *_rules(rule_file), *_catalog(cat)]
    return "\n".join(parts).rstrip() + "\n"


if __name__ == "__main__":
    print(render(), end="")
