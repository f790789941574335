"""Outcome series → inline SVG charts for the patient page and the portal."""

from __future__ import annotations

from markupsafe import Markup

from hipback import measures
from hipback.measures.spec import InstrumentSpec
from hipback.reports.svgchart import Point, line_chart
from hipback.services.outcomes import OutcomeSeries

TIMEPOINT_LABELS = {
    "baseline": "Baseline",
    "4wk": "4 wk",
    "8wk": "8 wk",
    "6mo": "6 mo",
    "adhoc": "Ad hoc",
}


def norm_lines(spec: InstrumentSpec, age: float | None, sex: str | None) -> list[tuple[float, str]]:
    """Up to two age/sex norm or threshold lines that apply to this patient."""
    found: list[tuple[float, str]] = []
    for row in spec.norms:
        if row.subscore is not None or not row.applies_to(age, sex):
            continue
        if row.kind == "reference" and row.value is not None:
            found.append((row.value, row.category[:48]))
        elif (
            row.kind == "band"
            and (row.low is None) != (row.high is None)
            and (row.age_min is not None or row.sex != "any")  # age/sex thresholds only
        ):
            edge = row.low if row.low is not None else row.high
            assert edge is not None
            found.append((edge, row.category[:48]))
    return found[:2]


def series_chart(series: OutcomeSeries, age: float | None = None, sex: str | None = None) -> Markup:
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
        lines=norm_lines(spec, age, sex),
    )
    return Markup(svg)
