"""Figures: alt text on every chart, Okabe-Ito colours, series distinguishable in greyscale."""

from __future__ import annotations

import re

import pytest

from hipback.reports import analytics_plots, plots
from hipback.reports.models import (
    AdherencePoint,
    ArmTrajectory,
    InstrumentTrajectories,
    ProgressReport,
    ResponderRate,
)

HEX = re.compile(r"#[0-9A-Fa-f]{6}")
GREYS = {"#000000", "#ffffff", "#222222", "#333333", "#555555", "#888888", "#dddddd"}


def _check(chart: plots.Chart) -> None:
    assert chart.svg.startswith('<svg class="chart" role="img"')
    assert f'<title id="{chart.name}-t">' in chart.svg
    assert f'<desc id="{chart.name}-d">' in chart.svg
    assert len(chart.alt) > 40
    colours = {c.lower() for c in HEX.findall(chart.svg)} - GREYS
    allowed = {c.lower() for c in plots.OKABE_ITO.values()}
    assert colours <= allowed, colours - allowed
    # every data series differs from the others by marker, line style or hatch
    assert len(set(chart.styles)) == len(chart.styles), chart.styles


def test_outcome_chart(report: ProgressReport) -> None:
    chart = plots.outcome_chart(report.outcomes[0], "o")
    _check(chart)
    for value in ("40", "32", "26"):
        assert f"{value}</text>" in chart.svg  # value labels kept as text
        assert value in chart.alt
    assert "Hatched band: baseline 40 ± 5 points" in chart.alt
    assert chart.alt.endswith(report.outcomes[0].summary)


def test_outcome_chart_with_reference_lines(report: ProgressReport) -> None:
    chart = plots.outcome_chart(report.outcomes[1], "w")
    _check(chart)
    # patient line, band, and the two reference lines of a 73-year-old woman
    assert len(chart.styles) == 4
    assert "Reference line: Cesari 2005 risk threshold: 1 m/s at 1." in chart.alt


def test_adherence_chart(report: ProgressReport) -> None:
    chart = plots.adherence_chart(report.adherence, 3, "a")
    _check(chart)
    assert "week 5: 0 of 7 days" in chart.alt
    assert "prescribed 3 days per week" in chart.alt


def test_analytics_charts_distinguish_arms_without_colour() -> None:
    traj = InstrumentTrajectories(
        "qbpds",
        "Disability",
        "points",
        False,
        (
            ArmTrajectory("hip", ("baseline", "4wk"), (40.0, 30.0), (5, 4)),
            ArmTrajectory("spine", ("baseline", "4wk"), (41.0, 35.0), (5, 5)),
        ),
    )
    t = analytics_plots.trajectory_chart(traj, "t")
    _check(t)
    markers = {s[0] for s in t.styles}
    dashes = {s[1] for s in t.styles}
    assert len(markers) == 2 and len(dashes) == 2
    rates = [ResponderRate("hip", "qbpds", 3, 4), ResponderRate("spine", "qbpds", 1, 5)]
    r = analytics_plots.responder_chart(rates, {"qbpds": "Disability"}, "r")
    _check(r)
    assert "Disability, hip: 3 of 4" in r.alt
    points = [AdherencePoint("hip", 5.0, 12.0), AdherencePoint("spine", 2.5, -3.0)]
    s = analytics_plots.adherence_scatter(points, "Disability", "points", 5.0, "s")
    _check(s)
    assert "hip: (5, 12)" in s.alt and "spine: (2.5, -3)" in s.alt


@pytest.mark.parametrize(
    ("weeks", "x"), [(0, 0.0), (2, 0.5), (4, 1.0), (8, 2.0), (17, 2.5), (26, 3.0), (44, 4.0)]
)
def test_timepoints_evenly_spaced(weeks: float, x: float) -> None:
    # baseline, 4 wk, 8 wk, 6 mo (26 wk) at x = 0, 1, 2, 3; linear between them, and after
    # 26 weeks at the last segment's rate (18 weeks per unit)
    assert plots.x_position(weeks) == pytest.approx(x)


def test_empty_outcome_still_draws(report: ProgressReport) -> None:
    from dataclasses import replace

    view = replace(report.outcomes[0], points=())
    chart = plots.outcome_chart(view, "e")
    assert "<svg" in chart.svg
    assert chart.alt.startswith("Line chart of Back-related disability")
