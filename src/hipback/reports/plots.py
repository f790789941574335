"""Report figures with matplotlib (Agg): one style, colour-blind safe, readable in greyscale.

Colours are Okabe-Ito; every series also differs by marker and line style and every filled area
by hatching, so a greyscale print keeps them apart. Each figure is returned as inline SVG (text
kept as text) carrying a ``<title>`` and a ``<desc>`` alt text; WeasyPrint draws that SVG as
vector graphics in the PDF.
"""

from __future__ import annotations

import io
import re
import textwrap
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from hipback.reports.models import (
    TIMEPOINT_LABELS,
    OutcomeView,
)
from hipback.reports.summary import amount, number

if TYPE_CHECKING:  # matplotlib is imported when a figure is drawn, not at start-up
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Okabe & Ito (2008) colour-blind-safe palette
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}


@dataclass(frozen=True)
class SeriesStyle:
    colour: str
    marker: str
    linestyle: str
    hatch: str


PATIENT = SeriesStyle(OKABE_ITO["blue"], "o", "-", "")
ARM_STYLES = {
    "hip": SeriesStyle(OKABE_ITO["blue"], "o", "-", ""),
    "spine": SeriesStyle(OKABE_ITO["vermillion"], "^", "--", "//"),
}
OTHER_ARMS = (
    SeriesStyle(OKABE_ITO["green"], "s", ":", "xx"),
    SeriesStyle(OKABE_ITO["purple"], "D", "-.", ".."),
)
REFERENCE_STYLES = (
    SeriesStyle(OKABE_ITO["green"], "", "--", ""),
    SeriesStyle(OKABE_ITO["purple"], "", "-.", ""),
    SeriesStyle(OKABE_ITO["black"], "", (0, (5, 2, 1, 2)), ""),  # type: ignore[arg-type]
)
UNVERIFIED_LINE = ":"
STANDARD = ("baseline", "4wk", "8wk", "6mo")
#: x position of each standard timepoint, and the weeks after baseline it stands for
WEEKS = (0.0, 4.0, 8.0, 26.0)

RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.edgecolor": "#555555",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#dddddd",
    "grid.linewidth": 0.8,
    "legend.frameon": False,
    "svg.fonttype": "none",
    # text is data: a "$" in a name or label is a dollar sign, never mathtext
    "text.parse_math": False,
    "hatch.linewidth": 0.8,
}


_LOCK = threading.Lock()
IDREF = re.compile(r'(id="|url\(#|href="#)([A-Za-z_][\w.-]*)')


@dataclass(frozen=True)
class Chart:
    """An inline SVG figure and its text alternative."""

    name: str
    title: str
    alt: str
    svg: str
    #: distinct (marker, line style, hatch) of the data series, for greyscale checks
    styles: tuple[tuple[str, str, str], ...] = ()


def arm_style(arm: str, index: int = 0) -> SeriesStyle:
    return ARM_STYLES.get(arm, OTHER_ARMS[index % len(OTHER_ARMS)])


@contextmanager
def styled_figure(name: str, width: float, height: float) -> Iterator[tuple[Figure, Axes]]:
    """A figure drawn under the report style; rcParams are global, so one figure at a time."""
    import matplotlib
    from matplotlib.figure import Figure

    style: Any = {**RC, "svg.hashsalt": name}
    with _LOCK, matplotlib.rc_context(style):
        fig = Figure(figsize=(width, height), layout="constrained")
        ax = fig.add_subplot()
        yield fig, ax


def to_svg(fig: Figure, name: str, title: str, alt: str) -> str:
    """Serialise inside :func:`styled_figure` (its rcParams apply); add the title and alt."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "hipback"})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    # ids unique per figure, so several charts can share one HTML page
    text = IDREF.sub(lambda m: f"{m.group(1)}{name}-{m.group(2)}", text)
    text = re.sub(r'\swidth="[^"]*"\s+height="[^"]*"', "", text, count=1)
    head_end = text.index(">") + 1
    opening = text[:head_end].replace(
        "<svg ", f'<svg class="chart" role="img" aria-labelledby="{name}-t {name}-d" ', 1
    )
    labels = f'<title id="{name}-t">{escape(title)}</title><desc id="{name}-d">{escape(alt)}</desc>'
    return opening + labels + text[head_end:]


def fit_label(text: str, width: int = 28, lines: int = 2) -> str:
    """``text`` wrapped to ``width`` characters on at most ``lines`` lines, ending in "…" when
    cut; for tick and legend labels (the chart's text alternative keeps the full text)."""
    wrapped = textwrap.wrap(text, width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "…"
    return "\n".join(wrapped)


def legend_below(fig: Figure, ax: Axes) -> None:
    handles, labels = ax.get_legend_handles_labels()
    ncols = 1 if any(len(label) > 48 for label in labels) else 2
    fig.legend(handles, labels, loc="outside lower center", ncols=ncols, fontsize=8)


def x_position(weeks: float) -> float:
    """Piecewise-linear x so baseline, 4 wk, 8 wk and 6 mo are evenly spaced."""
    for i in range(1, len(WEEKS)):
        if weeks <= WEEKS[i]:
            lo, hi = WEEKS[i - 1], WEEKS[i]
            return i - 1 + (max(weeks, 0.0) - lo) / (hi - lo)
    return len(WEEKS) - 1 + (weeks - WEEKS[-1]) / (WEEKS[-1] - WEEKS[-2])


def timepoint_axis(ax: Axes, last_x: float) -> None:
    ax.set_xticks(range(len(STANDARD)), [TIMEPOINT_LABELS[t] for t in STANDARD])
    ax.set_xlim(-0.3, max(len(STANDARD) - 1, last_x) + 0.3)


def _y_range(view: OutcomeView, values: list[float]) -> tuple[float, float]:
    lo, hi = view.score_min, view.score_max
    extra = [line.value for line in view.reference_lines]
    if view.mcid is not None and values:
        extra += [values[0] - view.mcid, values[0] + view.mcid]
    span = max(values + extra) - min(values + extra) if values else 0
    if hi - lo > 10 * (span + 1e-9) and values:  # zoom wide scales (m/s, metres, seconds)
        pad = max(span * 0.15, abs(max(values)) * 0.05, 0.05)
        lo, hi = max(lo, min(values + extra) - pad), min(hi, max(values + extra) + pad)
    return lo, hi


def outcome_chart(view: OutcomeView, name: str) -> Chart:
    """Scores over time with the minimal-important-change band around baseline and norms."""
    from matplotlib.colors import to_rgba

    values = [p.value for p in view.points]
    base_on = view.points[0].on if view.points else None
    xs = [x_position((p.on - base_on).days / 7) if base_on else 0.0 for p in view.points]
    better = "higher" if view.higher_is_better else "lower"
    title = f"{view.domain} over time"
    styles = [(PATIENT.marker, PATIENT.linestyle, PATIENT.hatch)]
    with styled_figure(name, 7.0, 2.8) as (fig, ax):
        lo, hi = _y_range(view, values)
        if view.mcid is not None and values:
            base = values[0]
            verified = "" if view.mcid_verified else ", not verified"
            ax.axhspan(
                max(lo, base - view.mcid),
                min(hi, base + view.mcid),
                facecolor=to_rgba(OKABE_ITO["orange"], 0.2),
                hatch="///",
                edgecolor=OKABE_ITO["orange"],
                linestyle="--",
                linewidth=1.0,
                label=f"Baseline ± minimal important change ({amount(view.mcid, view.unit)}"
                f"{verified})",
            )
            styles.append(("", "", "///"))
        for i, line in enumerate(view.reference_lines):
            style = REFERENCE_STYLES[i % len(REFERENCE_STYLES)]
            dash = style.linestyle if line.verified else UNVERIFIED_LINE
            ax.axhline(
                line.value,
                color=style.colour,
                linestyle=dash,
                linewidth=1.4,
                label=line.label + ("" if line.verified else " (not verified)"),
            )
            styles.append(("", str(dash), ""))
        ax.plot(
            xs,
            values,
            color=PATIENT.colour,
            marker=PATIENT.marker,
            linestyle=PATIENT.linestyle,
            linewidth=2.2,
            markersize=7,
            label="This patient",
            zorder=3,
        )
        for x, v in zip(xs, values, strict=True):
            ax.annotate(
                number(v),
                (x, v),
                textcoords="offset points",
                xytext=(0, 8),
                ha="center",
                fontsize=9,
                fontweight="bold",
            )
        ax.set_ylim(lo, hi)
        timepoint_axis(ax, max(xs, default=0.0))
        ax.set_ylabel(f"{view.short_name} ({view.unit})\n{better} is better", fontsize=9)
        legend_below(fig, ax)
        desc = "; ".join(f"{p.label} ({p.on.isoformat()}): {number(p.value)}" for p in view.points)
        alt = f"Line chart of {view.domain} in {view.unit}, {better} is better. {desc}."
        if view.mcid is not None and values:
            alt += (
                f" Hatched band: baseline {number(values[0])} ± {amount(view.mcid, view.unit)} "
                "(minimal important change)."
            )
        for line in view.reference_lines:
            alt += f" Reference line: {line.label} at {number(line.value)}."
        alt += " " + view.summary
        return Chart(name, title, alt, to_svg(fig, name, title, alt), tuple(styles))


def adherence_chart(weeks: Sequence[int], target: int | None, name: str) -> Chart:
    """Days per week with any home exercise logged, against the prescribed days."""
    title = "Home exercise adherence"
    with styled_figure(name, 7.0, 2.3) as (fig, ax):
        xs = list(range(1, len(weeks) + 1))
        ax.bar(
            xs,
            weeks,
            color=OKABE_ITO["sky"],
            edgecolor=OKABE_ITO["blue"],
            hatch="//",
            label="Days with exercise logged",
        )
        for x, d in zip(xs, weeks, strict=True):
            ax.annotate(str(d), (x, d), textcoords="offset points", xytext=(0, 3), ha="center")
        styles = [("", "", "//")]
        if target is not None:
            ax.axhline(
                target,
                color=OKABE_ITO["black"],
                linestyle="--",
                linewidth=1.4,
                label=f"Prescribed (most frequent exercise): {target} days/week",
            )
            styles.append(("", "--", ""))
        ax.set_ylim(0, 7.8)
        ax.set_yticks(range(0, 8))
        ax.set_xticks(xs, [f"Wk {x}" for x in xs])
        ax.set_ylabel("Days (of 7)", fontsize=9)
        legend_below(fig, ax)
        desc = "; ".join(f"week {x}: {d} of 7 days" for x, d in zip(xs, weeks, strict=True))
        alt = f"Bar chart of days with home exercise logged per week. {desc}."
        if target is not None:
            alt += f" Dashed line: prescribed {target} days per week."
        return Chart(name, title, alt, to_svg(fig, name, title, alt), tuple(styles))
