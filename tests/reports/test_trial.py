"""Trial report from the reference MASH-like QBPDS dataset (tests/reference/mash_qbpds_2visit.csv,
made by tests/reference/make_datasets.py and fitted against R in tests/trial/analysis).

Every outcome number printed in Table 2 must equal the analysis export row rounded to one
decimal, and the export is printed in the appendix; CONSORT counts come from the records.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from tests.reports import pdftools
from tests.reports.conftest import reference_trial_report

from hipback.reports import trial

DATA = Path(__file__).parents[1] / "reference" / "mash_qbpds_2visit.csv"


@pytest.fixture(scope="module")
def report() -> trial.TrialReport:
    return reference_trial_report()


def test_outcome_table_equals_the_export(report: trial.TrialReport) -> None:
    html = trial.trial_html(report)
    body = html[html.index('<table class="data outcomes">') :]
    body = body[: body.index("</table>")]
    cells = re.findall(r"<td>([^<]*)</td>", body)
    for row in report.results:
        for key, value in row.items():
            if key.endswith(("_lsmean_change", "_difference")) and isinstance(value, float):
                assert f"{value:.1f}" in cells or any(
                    c.startswith(f"{value:.1f} (") for c in cells
                ), key
    # the appendix prints the export itself
    assert report.export_csv.splitlines()[0] in html
    # hip minus spine at the last visit, from the export, is in the forest plot's alt text
    last = report.results[-1]
    d = last["hip_minus_spine_difference"]
    assert isinstance(d, float)
    assert f"{np.round(d, 2):g}" in html


def test_consort_counts_and_sections(report: trial.TrialReport) -> None:
    html = trial.trial_html(report)
    # 184 participants in the file, 181 with a follow-up value in the model (3 without)
    assert report.consort.randomised == 184
    assert sum(arm.analysed for arm in report.consort.arms) == report.n_participants == 181
    for heading in (
        "Participant flow (CONSORT 2010)",
        "Table 1. Baseline characteristics",
        "Figure 1. Mean change from baseline by visit",
        "Figure 2. Between-arm differences",
        "Blinding of outcome assessors",
        "Adverse events",
    ):
        assert heading in html
    assert html.count("<desc id=") >= 2


def test_trial_pdf(report: trial.TrialReport, tmp_path: Path) -> None:
    pdf = trial.trial_pdf(report, "letter")
    path = tmp_path / "trial.pdf"
    path.write_bytes(pdf.data)
    assert pdftools.info(path)["Page size"] == "612 x 792 pts (letter)"
    pdftools.assert_pages_not_blank(path, pdf.pages)
    assert "Between-arm differences" in pdftools.text(path)
