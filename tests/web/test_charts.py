"""Dashboard charts: MCID band, age/sex norm lines, text alternative."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree

from hipback.measures import get
from hipback.reports.svgchart import Point, line_chart
from hipback.web.charts import norm_lines


def test_norm_lines_follow_age_and_sex() -> None:
    # Bohannon & Andrews 2011: comfortable gait speed 1.13 m/s for women 70-79, 1.26 for men
    assert norm_lines(get("ten_mwt").spec, 72, "female")[0][0] == 1.13
    assert norm_lines(get("ten_mwt").spec, 72, "male")[0][0] == 1.26
    assert norm_lines(get("qbpds").spec, 72, "female") == []  # no QBPDS norms exist


def test_chart_draws_band_lines_and_describes_them() -> None:
    points = [Point(date(2026, 9, 1), 0.9, "Baseline"), Point(date(2026, 11, 1), 1.1, "8 wk")]
    svg = line_chart(
        "10MWT",
        points,
        lo=0.5,
        hi=1.5,
        unit="m/s",
        better="higher",
        mcid=0.05,
        lines=[(1.13, "mean for women 70-79")],
    )
    root = ElementTree.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{ns}rect") is not None  # the MCID band
    dashed = [e for e in root.iter(f"{ns}line") if e.get("stroke-dasharray") == "8 4"]
    assert len(dashed) == 1
    desc = root.find(f"{ns}desc")
    assert desc is not None
    assert "Dashed line at 1.13 m/s: mean for women 70-79" in (desc.text or "")
