"""Clinic analytics figures (observational): per-arm trajectories, responders by MCID, and
adherence against change. Same style as :mod:`hipback.reports.plots`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from hipback.reports.models import (
    TIMEPOINT_LABELS,
    AdherencePoint,
    InstrumentTrajectories,
    ResponderRate,
)
from hipback.reports.plots import (
    OKABE_ITO,
    STANDARD,
    Chart,
    arm_style,
    legend_below,
    styled_figure,
    timepoint_axis,
    to_svg,
)
from hipback.reports.summary import amount, number


def trajectory_chart(data: InstrumentTrajectories, name: str) -> Chart:
    """Mean score per arm at each timepoint (clinic patients; observational)."""
    better = "higher" if data.higher_is_better else "lower"
    title = f"{data.domain}: mean by arm"
    styles = []
    parts = []
    with styled_figure(name, 6.6, 3.0) as (fig, ax):
        for i, arm in enumerate(data.arms):
            style = arm_style(arm.arm, i)
            xs = [STANDARD.index(t) for t in arm.timepoints]
            ax.plot(
                xs,
                arm.means,
                color=style.colour,
                marker=style.marker,
                linestyle=style.linestyle,
                linewidth=2,
                markersize=7,
                label=f"{arm.arm.capitalize()}-focused",
            )
            styles.append((style.marker, str(style.linestyle), style.hatch))
            for x, m, n in zip(xs, arm.means, arm.counts, strict=True):
                ax.annotate(
                    f"n={n}",
                    (x, m),
                    textcoords="offset points",
                    xytext=(0, 8 if i % 2 == 0 else -14),
                    ha="center",
                    fontsize=8,
                    color=style.colour,
                )
            parts.append(
                f"{arm.arm}: "
                + ", ".join(
                    f"{TIMEPOINT_LABELS[t]} {number(m)} (n={n})"
                    for t, m, n in zip(arm.timepoints, arm.means, arm.counts, strict=True)
                )
            )
        timepoint_axis(ax, 0.0)
        ax.margins(y=0.2)
        ax.set_ylabel(f"Mean ({data.unit})\n{better} is better", fontsize=9)
        legend_below(fig, ax)
        alt = f"Line chart of mean {data.domain} by arm and timepoint. " + "; ".join(parts) + "."
        return Chart(name, title, alt, to_svg(fig, name, title, alt), tuple(styles))


def responder_chart(rates: Sequence[ResponderRate], labels: dict[str, str], name: str) -> Chart:
    """Share of patients reaching the minimal important change, per instrument and arm."""
    title = "Responders by minimal important change"
    instruments = list(dict.fromkeys(r.instrument for r in rates))
    arms = list(dict.fromkeys(r.arm for r in rates))
    width = 0.8 / max(1, len(arms))
    styles = []
    with styled_figure(name, 6.4, 2.6) as (fig, ax):
        for j, arm in enumerate(arms):
            style = arm_style(arm, j)
            chosen = [r for r in rates if r.arm == arm]
            xs = [
                instruments.index(r.instrument) + (j - (len(arms) - 1) / 2) * width for r in chosen
            ]
            ax.bar(
                xs,
                [100 * r.share for r in chosen],
                width=width * 0.95,
                color=style.colour,
                alpha=0.85,
                hatch=style.hatch,
                edgecolor="#333333",
                label=f"{arm.capitalize()}-focused",
            )
            styles.append(("", "", style.hatch))
            for x, r in zip(xs, chosen, strict=True):
                ax.annotate(
                    f"{r.responders}/{r.assessed}",
                    (x, 100 * r.share),
                    textcoords="offset points",
                    xytext=(0, 3),
                    ha="center",
                    fontsize=8,
                )
        names = [textwrap.fill(labels.get(i, i), 24) for i in instruments]
        ax.set_xticks(range(len(instruments)), names, fontsize=8)
        ax.set_ylim(0, 112)
        ax.set_ylabel("Responders (%)", fontsize=9)
        legend_below(fig, ax)
        desc = "; ".join(
            f"{labels.get(r.instrument, r.instrument)}, {r.arm}: {r.responders} of {r.assessed}"
            for r in rates
        )
        alt = f"Bar chart of responders (reached the minimal important change) by arm. {desc}."
        return Chart(name, title, alt, to_svg(fig, name, title, alt), tuple(styles))


def adherence_scatter(
    points: Sequence[AdherencePoint], label: str, unit: str, mcid: float | None, name: str
) -> Chart:
    """Home-exercise adherence against improvement, one marker shape per arm."""
    title = f"Adherence and change in {label}"
    arms = list(dict.fromkeys(p.arm for p in points))
    styles = []
    with styled_figure(name, 6.6, 3.0) as (fig, ax):
        for j, arm in enumerate(arms):
            style = arm_style(arm, j)
            chosen = [p for p in points if p.arm == arm]
            ax.scatter(
                [p.adherence for p in chosen],
                [p.improvement for p in chosen],
                color=style.colour,
                marker=style.marker,
                s=46,
                edgecolors="#222222",
                linewidths=0.6,
                label=f"{arm.capitalize()}-focused (n={len(chosen)})",
            )
            styles.append((style.marker, "", ""))
        if mcid is not None:
            ax.axhline(
                mcid,
                color=OKABE_ITO["black"],
                linestyle="--",
                linewidth=1.2,
                label=f"Minimal important change ({amount(mcid, unit)})",
            )
            styles.append(("", "--", ""))
        ax.axhline(0, color="#888888", linewidth=0.8)
        ax.set_xlim(-0.2, 7.2)
        ax.set_xlabel("Mean days per week with home exercise logged", fontsize=9)
        ax.set_ylabel(f"Improvement ({unit})", fontsize=9)
        legend_below(fig, ax)
        desc = "; ".join(
            f"{arm}: "
            + ", ".join(
                f"({number(p.adherence)}, {number(p.improvement)})" for p in points if p.arm == arm
            )
            for arm in arms
        )
        alt = (
            f"Scatter plot of adherence (days per week) against improvement in {label} "
            f"({unit}, positive is better), observational. {desc}."
        )
        return Chart(name, title, alt, to_svg(fig, name, title, alt), tuple(styles))
