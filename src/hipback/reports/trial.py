"""Trial report (HTML/PDF): CONSORT diagram, Table 1, outcomes table, mean change by visit with
95% CI per arm, forest plot of between-arm differences, blinding index and adverse events.

Every outcome number in the report is read from the analysis export rows
(:func:`hipback.trial.analysis.results_table`), which the report also prints as CSV in an
appendix, so each figure and table cell can be traced to the export.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from hipback.reports import trial_plots
from hipback.reports.pdf import Pdf, to_pdf
from hipback.reports.render import paper_size, render_template
from hipback.trial.analysis import LongDataset, results_table, to_csv
from hipback.trial.analysis.results import formatted_table
from hipback.trial.blinding_index import BangIndex
from hipback.trial.consort import ConsortFlow
from hipback.trial.consort_svg import consort_svg
from hipback.trial.safety import SafetySummary
from hipback.trial.table1 import Table1

if TYPE_CHECKING:  # the model itself is not needed to lay out its result
    from hipback.trial.analysis.mmrm import MmrmResult


@dataclass(frozen=True)
class TrialReport:
    title: str
    outcome: str
    unit: str
    arms: tuple[str, ...]
    arm_labels: dict[str, str]
    level: float
    consort: ConsortFlow
    table1: Table1
    #: the analysis export: one row per timepoint (results_table)
    results: tuple[dict[str, object], ...]
    model: str
    n_participants: int
    converged: bool
    blinding: dict[str, BangIndex] = field(default_factory=dict)
    safety: dict[str, SafetySummary] = field(default_factory=dict)
    mcid: float | None = None
    generated_on: date = field(default_factory=date.today)
    warnings: tuple[str, ...] = ()

    @property
    def export_csv(self) -> str:
        return to_csv(list(self.results))


def build_trial_report(
    title: str,
    outcome: str,
    unit: str,
    data: LongDataset,
    result: MmrmResult,
    flow: ConsortFlow,
    table1: Table1,
    *,
    arm_labels: Mapping[str, str] | None = None,
    blinding: Mapping[str, BangIndex] | None = None,
    safety: Mapping[str, SafetySummary] | None = None,
    mcid: float | None = None,
    generated_on: date | None = None,
) -> TrialReport:
    arms = tuple(result.design.arms)
    return TrialReport(
        title=title,
        outcome=outcome,
        unit=unit,
        arms=arms,
        arm_labels={a: (arm_labels or {}).get(a, a.capitalize()) for a in arms},
        level=result.level,
        consort=flow,
        table1=table1,
        results=tuple(results_table(data, result)),
        model=str(result.as_dict()["model"]),
        n_participants=result.n_participants,
        converged=result.converged,
        blinding=dict(blinding or {}),
        safety=dict(safety or {}),
        mcid=mcid,
        generated_on=generated_on or date.today(),
        warnings=tuple(result.warnings),
    )


def _inline(svg: str) -> str:
    """A standalone SVG document as an inline element (no XML declaration)."""
    return svg[svg.index("<svg") :]


def _header(table: list[dict[str, str]], report: TrialReport) -> list[tuple[str, str]]:
    """(key, display label) of every column in first-seen order (baseline has fewer)."""
    keys: list[str] = []
    for row in table:
        keys += [k for k in row if k not in keys]

    def label(key: str) -> str:
        if key == "timepoint":
            return "Timepoint"
        words = key.split(" ")
        return " ".join(report.arm_labels.get(w, w) for w in words)

    return [(k, label(k)) for k in keys]


def _outcome_rows(report: TrialReport) -> list[dict[str, str]]:
    return formatted_table(list(report.results), report.arms)


def trial_html(report: TrialReport, paper: str = "a4") -> str:
    labels = report.arm_labels
    change = trial_plots.change_chart(report.results, report.arms, report.unit, labels, "change")
    forest = trial_plots.forest_chart(
        report.results, report.arms, report.unit, labels, report.mcid, "forest"
    )
    table = _outcome_rows(report)
    return render_template(
        "trial.html",
        {
            "r": report,
            "paper": paper_size(paper),
            "consort": _inline(consort_svg(report.consort)),
            "table1": report.table1.as_text_rows(),
            "outcome_header": _header(table, report),
            "outcome_rows": table,
            "change": change,
            "forest": forest,
        },
    )


def trial_pdf(report: TrialReport, paper: str = "a4") -> Pdf:
    return to_pdf(trial_html(report, paper))
