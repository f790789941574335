"""Trial report figures: LS mean change by visit with 95% CI per arm, and a forest plot of the
between-arm differences. Same style as :mod:`hipback.reports.plots`; numbers come from the
analysis export rows (:func:`hipback.trial.analysis.results_table`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from hipback.reports.plots import (
    OKABE_ITO,
    Chart,
    arm_style,
    fit_label,
    legend_below,
    styled_figure,
    to_svg,
)
from hipback.reports.summary import number

Row = Mapping[str, object]


def _f(row: Row, key: str) -> float:
    value = row.get(key)
    return float(value) if isinstance(value, int | float) else math.nan


def change_chart(
    rows: Sequence[Row], arms: Sequence[str], unit: str, labels: Mapping[str, str], name: str
) -> Chart:
    """LS mean change from baseline per arm and visit, with its confidence interval."""
    visits = [str(r["timepoint"]) for r in rows if r["timepoint"] != "baseline"]
    follow = [r for r in rows if r["timepoint"] != "baseline"]
    title = "Mean change from baseline by visit"
    styles = []
    parts = []
    with styled_figure(name, 7.0, 3.0) as (fig, ax):
        width = 0.12
        for i, arm in enumerate(arms):
            style = arm_style(arm, i)
            xs = [j + (i - (len(arms) - 1) / 2) * width for j in range(len(follow))]
            est = [_f(r, f"{arm}_lsmean_change") for r in follow]
            low = [_f(r, f"{arm}_lsmean_change_ci_low") for r in follow]
            high = [_f(r, f"{arm}_lsmean_change_ci_high") for r in follow]
            ax.errorbar(
                xs,
                est,
                yerr=[
                    [e - lo for e, lo in zip(est, low, strict=True)],
                    [hi - e for e, hi in zip(est, high, strict=True)],
                ],
                color=style.colour,
                marker=style.marker,
                linestyle=style.linestyle,
                linewidth=2,
                markersize=7,
                capsize=4,
                label=fit_label(f"{labels.get(arm, arm)} (95% CI)", 48),
            )
            styles.append((style.marker, str(style.linestyle), ""))
            parts.append(
                f"{labels.get(arm, arm)}: "
                + ", ".join(
                    f"{v} {number(e)} ({number(lo)} to {number(hi)})"
                    for v, e, lo, hi in zip(visits, est, low, high, strict=True)
                )
            )
        ax.axhline(0, color="#888888", linewidth=0.8)
        ax.set_xticks(range(len(follow)), visits)
        ax.set_xlim(-0.5, len(follow) - 0.5)
        ax.set_ylabel(fit_label(f"LS mean change ({unit})", 40), fontsize=9)
        legend_below(fig, ax)
        alt = (
            "Line chart of model-based mean change from baseline with 95% confidence intervals, "
            "by arm and visit. " + "; ".join(parts) + "."
        )
        return Chart(name, title, alt, to_svg(fig, name, title, alt), tuple(styles))


def forest_chart(
    rows: Sequence[Row],
    arms: Sequence[str],
    unit: str,
    labels: Mapping[str, str],
    mcid: float | None,
    name: str,
) -> Chart:
    """Difference (arm minus reference) at each visit with its confidence interval."""
    ref = arms[0]
    follow = [r for r in rows if r["timepoint"] != "baseline"]
    entries = [
        (f"{labels.get(a, a)} − {labels.get(ref, ref)}, {r['timepoint']}", r, a)
        for r in follow
        for a in arms[1:]
    ]
    title = "Between-arm differences"
    with styled_figure(name, 7.0, 0.9 + 0.45 * len(entries)) as (fig, ax):
        ys = list(range(len(entries)))[::-1]
        desc = []
        for y, (label, r, a) in zip(ys, entries, strict=True):
            key = f"{a}_minus_{ref}"
            d, lo, hi = _f(r, f"{key}_difference"), _f(r, f"{key}_ci_low"), _f(r, f"{key}_ci_high")
            ax.plot([lo, hi], [y, y], color=OKABE_ITO["blue"], linewidth=2)
            ax.plot([d], [y], marker="s", color=OKABE_ITO["blue"], markersize=8, linestyle="")
            desc.append(f"{label}: {number(d)} ({number(lo)} to {number(hi)})")
        ax.axvline(0, color=OKABE_ITO["black"], linewidth=1)
        if mcid is not None:
            for x in (-mcid, mcid):
                ax.axvline(x, color=OKABE_ITO["vermillion"], linestyle="--", linewidth=1)
        ax.set_yticks(ys, [fit_label(e[0], 36) for e in entries])
        ax.set_xlabel(fit_label(f"Difference in change ({unit}) with 95% CI", 80), fontsize=9)
        ax.grid(axis="x", color="#dddddd")
        alt = "Forest plot of between-arm differences in change. " + "; ".join(desc) + "."
        if mcid is not None:
            alt += f" Dashed lines at ± {number(mcid)} {unit} (minimal important change)."
        styles = (("s", "-", ""), ("", "--", "")) if mcid is not None else (("s", "-", ""),)
        return Chart(name, title, alt, to_svg(fig, name, title, alt), styles)
