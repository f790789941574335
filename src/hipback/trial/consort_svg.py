"""Draw a CONSORT 2010 flow diagram as plain SVG text (no drawing library).

Layout follows the CONSORT template: stage labels on the left (Enrolment, Allocation,
Follow-up, Analysis); "Assessed for eligibility" then "Randomised" in the centre, the exclusions
box to the right, and one column per arm below. Text is 13 px sans-serif, dark on white, wrapped
to the box width; every number comes from :class:`~hipback.trial.consort.ConsortFlow`.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from hipback.trial.consort import (
    EXCLUSION_LABELS,
    NOT_ASSESSED_LABELS,
    ArmFlow,
    ConsortFlow,
    Reasons,
)

FONT = 13
LINE = 18
PAD = 8
BOX_W = 350
COL_GAP = 40
ROW_GAP = 34
LABEL_W = 96
MARGIN = 16
WRAP = 42  # characters per line: 42 x 0.6 em x 13 px = 328 px fits the 334 px text area


@dataclass
class _Box:
    x: float
    y: float
    w: float
    lines: list[tuple[str, bool]]  # (text, bold)

    @property
    def h(self) -> float:
        return len(self.lines) * LINE + 2 * PAD

    @property
    def cx(self) -> float:
        return self.x + self.w / 2


def _lines(head: str, items: list[tuple[str, Reasons | int]]) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = [(t, True) for t in textwrap.wrap(head, WRAP)]
    for label, value in items:
        n = value.total if isinstance(value, Reasons) else value
        out += [
            (t, False) for t in textwrap.wrap(f"• {label} (n={n})", WRAP, subsequent_indent="  ")
        ]
        if isinstance(value, Reasons):
            for reason, count in value.by_reason.items():
                out += [
                    (t, False)
                    for t in textwrap.wrap(
                        f"– {reason} (n={count})",
                        WRAP,
                        initial_indent="    ",
                        subsequent_indent="      ",
                    )
                ]
    return out


def _arm_boxes(arm: ArmFlow) -> list[list[tuple[str, bool]]]:
    allocation = _lines(
        f"Allocated to {arm.arm} (n={arm.allocated})",
        [
            ("Received allocated intervention", arm.received),
            ("Did not receive allocated intervention", arm.not_received),
            *(
                [("Receipt not recorded", arm.receipt_not_recorded)]
                if arm.receipt_not_recorded
                else []
            ),
        ],
    )
    followups = []
    for i, v in enumerate(arm.followup):
        items: list[tuple[str, Reasons | int]] = [
            (NOT_ASSESSED_LABELS[k], r) for k, r in v.not_assessed.items()
        ]
        if v.pending:
            items.append(("Not yet due or not recorded", v.pending))
        if i == 0:
            items.append(("Discontinued intervention", arm.discontinued))
        followups.append(_lines(f"{v.label}: assessed (n={v.assessed})", items))
    analysis = _lines(
        f"Analysed (n={arm.analysed})", [("Excluded from analysis", arm.excluded_from_analysis)]
    )
    return [allocation, *followups, analysis]


def _text(box: _Box) -> str:
    parts = [
        f'<rect x="{box.x:.0f}" y="{box.y:.0f}" width="{box.w:.0f}" height="{box.h:.0f}" '
        'rx="3" fill="#ffffff" stroke="#1f2933" stroke-width="1.2"/>'
    ]
    for i, (line, bold) in enumerate(box.lines):
        y = box.y + PAD + (i + 1) * LINE - 5
        weight = ' font-weight="bold"' if bold else ""
        parts.append(
            f'<text x="{box.x + PAD:.0f}" y="{y:.0f}"{weight} xml:space="preserve">'
            f"{escape(line)}</text>"
        )
    return "\n".join(parts)


def _arrow(x1: float, y1: float, x2: float, y2: float, head: bool = True) -> str:
    marker = ' marker-end="url(#arrow)"' if head else ""
    return (
        f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" stroke="#1f2933" '
        f'stroke-width="1.2"{marker}/>'
    )


def _stage(label: str, y: float, h: float) -> str:
    return (
        f'<rect x="{MARGIN}" y="{y:.0f}" width="{LABEL_W - 12}" height="{h:.0f}" rx="6" '
        f'fill="#cfe3f5" stroke="#1f2933" stroke-width="0.8"/>'
        f'<text x="{MARGIN + (LABEL_W - 12) / 2:.0f}" y="{y + h / 2 + 5:.0f}" '
        f'text-anchor="middle" font-weight="bold">{escape(label)}</text>'
    )


def consort_svg(flow: ConsortFlow, title: str = "CONSORT flow diagram") -> str:
    """The flow diagram as a standalone SVG document."""
    n_arms = max(1, len(flow.arms))
    content_x = MARGIN + LABEL_W
    columns_w = n_arms * BOX_W + (n_arms - 1) * COL_GAP
    centre = content_x + max(columns_w, BOX_W * 2 + COL_GAP) / 2
    body: list[str] = []

    y = MARGIN + 28
    assessed = _Box(
        centre - BOX_W / 2, y, BOX_W, [(f"Assessed for eligibility (n={flow.assessed})", True)]
    )
    excluded = _Box(
        assessed.x + BOX_W + COL_GAP,
        y + assessed.h + ROW_GAP / 2,
        BOX_W,
        _lines(
            f"Excluded (n={flow.excluded_total})",
            [(EXCLUSION_LABELS[k], r) for k, r in flow.excluded.items()],
        ),
    )
    randomised_y = max(excluded.y + excluded.h, assessed.y + assessed.h) + ROW_GAP
    randomised = _Box(
        centre - BOX_W / 2, randomised_y, BOX_W, [(f"Randomised (n={flow.randomised})", True)]
    )
    body += [_text(assessed), _text(excluded), _text(randomised)]
    body.append(_arrow(assessed.cx, assessed.y + assessed.h, randomised.cx, randomised.y))
    side_y = excluded.y + min(excluded.h / 2, 40)
    body.append(_arrow(assessed.cx, side_y, excluded.x, side_y))
    body.append(_stage("Enrolment", assessed.y, randomised.y + randomised.h - assessed.y))

    columns = [_arm_boxes(a) for a in flow.arms]
    n_rows = max((len(c) for c in columns), default=0)
    left = centre - columns_w / 2
    row_y = randomised.y + randomised.h + ROW_GAP + 12
    previous: list[_Box] = []
    stage_names = ["Allocation"] + ["Follow-up"] * (n_rows - 2) + ["Analysis"]
    for r in range(n_rows):
        row = [
            _Box(left + i * (BOX_W + COL_GAP), row_y, BOX_W, col[r])
            for i, col in enumerate(columns)
            if r < len(col)
        ]
        height = max(b.h for b in row)
        for b in row:
            body.append(_text(b))
        if r == 0:
            bus = row_y - 12 - ROW_GAP / 2
            body.append(
                _arrow(randomised.cx, randomised.y + randomised.h, randomised.cx, bus, head=False)
            )
            body.append(_arrow(row[0].cx, bus, row[-1].cx, bus, head=False))
            body += [_arrow(b.cx, bus, b.cx, b.y) for b in row]
        else:
            body += [
                _arrow(p.cx, p.y + p.h, b.cx, b.y) for p, b in zip(previous, row, strict=False)
            ]
        body.append(_stage(stage_names[min(r, len(stage_names) - 1)], row_y, height))
        previous = row
        row_y += height + ROW_GAP

    width = max(left + columns_w, excluded.x + BOX_W) + MARGIN
    height = row_y - ROW_GAP + MARGIN
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label={quoteattr(title)} '
        f'font-family="DejaVu Sans, Arial, sans-serif" font-size="{FONT}" fill="#1f2933">'
    )
    defs = (
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
        'fill="#1f2933"/></marker></defs>'
    )
    title_el = (
        f"<title>{escape(title)}</title>"
        f'<rect width="100%" height="100%" fill="#ffffff"/>'
        f'<text x="{MARGIN}" y="{MARGIN + 12}" font-size="15" font-weight="bold">'
        f"{escape(title)}</text>"
    )
    return "\n".join([head, defs, title_el, *body, "</svg>"]) + "\n"
