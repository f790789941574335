"""Small accessible SVG line charts for the web dashboard (no JavaScript, no plotting library).

The band around the baseline shows the minimal important change, so a clinician sees at a glance
whether a later score moved beyond it. Colours are colour-blind safe (Okabe-Ito) and every chart
carries a text alternative.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

WIDTH, HEIGHT, PAD_L, PAD_R, PAD_T, PAD_B = 520, 220, 56, 16, 16, 40
LINE = "#0072B2"
BAND = "#E69F00"
NORM = "#009E73"


@dataclass(frozen=True)
class Point:
    on: date
    value: float
    label: str


def line_chart(
    title: str,
    points: Sequence[Point],
    *,
    lo: float,
    hi: float,
    unit: str,
    better: str,
    mcid: float | None = None,
    lines: Sequence[tuple[float, str]] = (),
) -> str:
    """An SVG chart of ``points`` on a fixed y-range [lo, hi]; ``better`` is "higher"/"lower"."""
    if not points:
        return ""
    span_days = max(1, (points[-1].on - points[0].on).days)
    inner_w, inner_h = WIDTH - PAD_L - PAD_R, HEIGHT - PAD_T - PAD_B

    def x(p: Point) -> float:
        if len(points) == 1:
            return PAD_L + inner_w / 2
        return PAD_L + inner_w * (p.on - points[0].on).days / span_days

    def y(v: float) -> float:
        v = min(max(v, lo), hi)
        return PAD_T + inner_h * (1 - (v - lo) / (hi - lo))

    desc = "; ".join(f"{p.label} {p.on.isoformat()}: {p.value:g} {unit}" for p in points)
    alt = f"{title}. {better.capitalize()} is better. {desc}."
    if mcid is not None:
        alt += f" Shaded band: baseline ± {mcid:g} {unit} (minimal important change)."
    for value, label in lines:
        alt += f" Dashed line at {value:g} {unit}: {label}."
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="t d" class="chart"><title id="t">{escape(title)}</title>'
        f'<desc id="d">{escape(alt)}</desc>'
    ]
    if mcid is not None:
        base = points[0].value
        top, bottom = y(base + mcid), y(base - mcid)
        parts.append(
            f'<rect x="{PAD_L}" y="{top:.1f}" width="{inner_w}" height="{bottom - top:.1f}" '
            f'fill="{BAND}" fill-opacity="0.18" stroke="{BAND}" stroke-dasharray="4 3"/>'
        )
    for tick in (lo, (lo + hi) / 2, hi):
        parts.append(
            f'<line x1="{PAD_L}" x2="{WIDTH - PAD_R}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="#ccc"/><text x="{PAD_L - 6}" y="{y(tick) + 5:.1f}" text-anchor="end" '
            f'font-size="13">{tick:g}</text>'
        )
    for value, label in lines:
        if lo <= value <= hi:
            parts.append(
                f'<line x1="{PAD_L}" x2="{WIDTH - PAD_R}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                f'stroke="{NORM}" stroke-width="2" stroke-dasharray="8 4"/>'
                f'<text x="{WIDTH - PAD_R - 4}" y="{y(value) - 5:.1f}" text-anchor="end" '
                f'font-size="12" fill="{NORM}">{escape(label)}</text>'
            )
    path = " ".join(f"{x(p):.1f},{y(p.value):.1f}" for p in points)
    parts.append(f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="3"/>')
    for p in points:
        parts.append(
            f'<circle cx="{x(p):.1f}" cy="{y(p.value):.1f}" r="5" fill="{LINE}"/>'
            f'<text x="{x(p):.1f}" y="{HEIGHT - 12}" text-anchor="middle" font-size="13">'
            f"{escape(p.label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
