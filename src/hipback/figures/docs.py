"""Write the contact sheet ``docs/exercises.md`` and ``docs/figures/<id>.svg``.

Run ``python -m hipback.figures.docs`` (optionally with the docs folder as the one argument).
Generated, never hand-edited; ``tests/figures/test_docs.py`` fails when either is stale.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from hipback.figures.figure import alt_text, render_pose
from hipback.figures.limits import load_limits
from hipback.figures.poses import load_poses
from hipback.figures.style import HIGHLIGHT, PATIENT, THERAPIST
from hipback.protocol.catalog import Category, load_catalog
from hipback.protocol.docs import CATEGORY_TITLES

HEADER = f"""# Illustrated exercises: contact sheet

Generated from `src/hipback/figures/data/` and the intervention catalog by
`python -m hipback.figures.docs`; do not edit by hand. One figure per catalog entry, drawn from
pose data (joint angles) by `hipback.figures`, so there are no photographs and no licensing risk.

**How to read a figure.** Left panel: start position. Right panel: end position, with the start
position repeated as a grey silhouette and a dark blue arrow for the movement (a straight or
curved arrow for the path of a body part; an arrow at a body part for a push or pull by the
therapist; a circular arrow for a rotation or rocking; two heads mean a back-and-forth
movement). The patient's left side is darker blue ({PATIENT["left"]}), the right side lighter
({PATIENT["right"]}); the therapist is green ({THERAPIST["centre"]}). The target muscle is
drawn in orange ({HIGHLIGHT}), a target joint as an orange ring.

**For clinical review.** These are schematic drawings for patients and students, not
measurements. They are **not** MASH material: MASH did not publish its exercises or techniques
(see `docs/protocol.md`). Please check in particular that each figure shows the version the
patient is asked to do (the "Drawn" line), that the hand placements of manual techniques are
plausible, and that no position looks unsafe for adults aged 60-85. Joint limits used to
reject implausible poses are listed at the end, with their sources and confidence.
Side-specific exercises and techniques are drawn for the right side.

**How to change a figure.** Edit `src/hipback/figures/data/poses/<catalog id>.toml` (start
pose, then only what changes at the end: joint angles in degrees, props, target, arrow; the
schema is `hipback.figures.schema`), then run `python -m hipback.figures.docs` and check the
result here. A pose outside the joint limits, or a catalog entry without a pose file, fails the
tests.
"""


def _limits_table() -> list[str]:
    lines = [
        "## Joint limits used by the figures",
        "",
        "⚠️ and ❌ mark values that are unverified; they only stop drawings of implausible "
        "positions and are never used clinically.",
        "",
        "| joint | motion | min ° | max ° | source | confidence |",
        "|---|---|---|---|---|---|",
    ]
    for (joint, motion), lim in sorted(load_limits().items()):
        lines.append(
            f"| {joint} | {motion} | {lim.min:g} | {lim.max:g} | {lim.source} | "
            f"{lim.confidence.mark} |"
        )
    lines += [
        "",
        "Segment proportions: Drillis & Contini as tabulated by Winter, *Biomechanics and Motor "
        "Control of Human Movement* (recalled, not re-checked ⚠️; used for drawing only).",
        "",
    ]
    return lines


def render_docs() -> tuple[str, Mapping[str, str]]:
    """The Markdown contact sheet and every SVG by file name."""
    catalog = load_catalog()
    poses = load_poses()
    svgs: dict[str, str] = {}
    lines = [HEADER]
    drawn = [i for i in catalog if not i.is_education]
    lines.append(
        f"{len(poses)} figures for {len(drawn)} catalog exercises and techniques (the "
        f"{len(catalog) - len(drawn)} education talks are not drawn).\n"
    )
    for category in (c for c in Category if c is not Category.EDUCATION):  # talks: no figure
        items = [i for i in catalog if i.category is category]
        lines += [f"## {CATEGORY_TITLES[category]}", ""]
        for item in items:
            pose = poses[item.id]
            svgs[f"{item.id}.svg"] = render_pose(pose, item)
            lines += [
                f"### `{item.id}`: {item.name}",
                "",
                f"![{alt_text(item)}](figures/{item.id}.svg)",
                "",
                f"Drawn: {pose.view}"
                + ("; right side" if item.side_specific else "")
                + f". Pose file version {pose.version}.",
                "",
            ]
    lines += _limits_table()
    return "\n".join(lines), svgs


def write_docs(folder: Path) -> list[Path]:
    text, svgs = render_docs()
    figures = folder / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    written = [folder / "exercises.md"]
    written[0].write_text(text, encoding="utf-8")
    for name, svg in sorted(svgs.items()):
        path = figures / name
        path.write_text(svg, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else Path("docs")
    written = write_docs(folder)
    print(f"wrote {len(written)} files under {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
