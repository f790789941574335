"""Outcome series → inline SVG charts for the patient page and the portal."""

from __future__ import annotations

from markupsafe import Markup

from hipback import measures
from hipback.reports.svgchart import Point, line_chart
from hipback.services.outcomes import OutcomeSeries

TIMEPOINT_LABELS = {
    "baseline": "Baseline",
    "4wk": "4 wk",
    "8wk": "8 wk",
    "6mo": "6 mo",
    "adhoc": "Ad hoc",
}


def series_chart(series: OutcomeSeries) -> Markup:
    points = [
        Point(p.assessed_on, p.value, TIMEPOINT_LABELS.get(p.timepoint, p.timepoint))
        for p in series.points
        if p.value is not None
    ]
    if not points:
        return Markup("")
    spec = measures.get(series.instrument).spec
    mcid = spec.primary_threshold(("mcid", "mic"))
    lo, hi = spec.score_min, spec.score_max
    values = [p.value for p in points]
    if hi - lo > 10 * (max(values) - min(values) + 1):  # zoom wide scales (e.g. m/s, metres)
        pad = max(abs(max(values)) * 0.25, 0.1)
        lo, hi = max(lo, min(values) - pad), min(hi, max(values) + pad)
    svg = line_chart(
        f"{spec.short_name} over time",
        points,
        lo=lo,
        hi=hi,
        unit=spec.unit,
        better="lower" if spec.direction == "higher_is_worse" else "higher",
        mcid=mcid.value if mcid is not None else None,
    )
    return Markup(svg)
