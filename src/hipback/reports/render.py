"""Reports to HTML (Jinja2) and PDF (WeasyPrint, A4 or US Letter).

Figures are inline SVG, so the PDF keeps them as vector graphics. Rendering is pure: the same
view model always gives the same HTML.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from hipback.core.escaping import css_string
from hipback.errors import InvalidInput
from hipback.reports import analytics_plots, plots
from hipback.reports.models import TIMEPOINT_LABELS, ClinicAnalytics, HepHandout, ProgressReport
from hipback.reports.pdf import Pdf, to_pdf
from hipback.reports.summary import amount, number

PAPERS = {"a4": "A4", "letter": "letter"}


def paper_size(paper: str) -> str:
    """CSS page size for ``paper`` ("a4" or "letter", any case)."""
    key = paper.strip().lower()
    if key not in PAPERS:
        raise InvalidInput.one("paper", paper, "a4 or letter")
    return PAPERS[key]


def _environment() -> Environment:
    """Autoescaping is on for every template and include, whatever its file extension (the
    page CSS is an include); values inside a CSS string go through ``css``."""
    env = Environment(
        loader=PackageLoader("hipback.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = number
    env.filters["amount"] = amount
    env.filters["svg"] = Markup
    env.filters["css"] = lambda value: Markup(css_string(str(value)))
    return env


ENV = _environment()


def render_template(name: str, context: dict[str, Any]) -> str:
    return ENV.get_template(name).render(**context)


def progress_charts(report: ProgressReport) -> tuple[list[plots.Chart], plots.Chart | None]:
    charts = [
        plots.outcome_chart(view, f"outcome-{i}")
        for i, view in enumerate(report.outcomes)
        if view.points
    ]
    adherence = (
        plots.adherence_chart(report.adherence, report.adherence_target, "adherence")
        if report.adherence
        else None
    )
    return charts, adherence


def progress_html(report: ProgressReport, paper: str = "a4") -> str:
    charts, adherence = progress_charts(report)
    by_instrument = {
        view.instrument: chart
        for view, chart in zip([v for v in report.outcomes if v.points], charts, strict=True)
    }
    logged = sum(report.adherence)
    weeks = len(report.adherence)
    return render_template(
        "progress.html",
        {
            "r": report,
            "paper": paper_size(paper),
            "charts": by_instrument,
            "adherence_chart": adherence,
            "logged_days": logged,
            "adherence_mean": logged / weeks if weeks else 0.0,
        },
    )


def handout_html(handout: HepHandout, paper: str = "a4") -> str:
    days = [handout.valid_from + timedelta(days=d) for d in range(handout.log_days)]
    return render_template("handout.html", {"h": handout, "paper": paper_size(paper), "days": days})


def analytics_fragment(view: ClinicAnalytics) -> Markup:
    """The analytics section (charts, tables, caveats) for the web page."""
    labels = {t.instrument: t.domain for t in view.trajectories}
    trajectories = [
        analytics_plots.trajectory_chart(t, f"trajectory-{i}")
        for i, t in enumerate(view.trajectories)
    ]
    responders = (
        analytics_plots.responder_chart(view.responders, labels, "responders")
        if view.responders
        else None
    )
    scatter = (
        analytics_plots.adherence_scatter(
            view.scatter,
            labels.get(view.scatter_instrument, view.scatter_instrument),
            view.scatter_unit,
            view.scatter_mcid,
            "adherence-scatter",
        )
        if view.scatter
        else None
    )
    return Markup(
        render_template(
            "analytics.html",
            {
                "a": view,
                "labels": labels,
                "tp_labels": TIMEPOINT_LABELS,
                "trajectories": trajectories,
                "responders": responders,
                "scatter": scatter,
            },
        )
    )


def progress_pdf(report: ProgressReport, paper: str = "a4") -> Pdf:
    return to_pdf(progress_html(report, paper))


def handout_pdf(handout: HepHandout, paper: str = "a4") -> Pdf:
    return to_pdf(handout_html(handout, paper))
