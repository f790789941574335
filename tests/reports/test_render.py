"""HTML and PDF rendering of the progress report and the handout.

Page sizes: A4 is 595.276 x 841.89 pt and US Letter 612 x 792 pt (ISO 216; ANSI), as pdfinfo
reports them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from tests.reports import pdftools

from hipback.errors import InvalidInput
from hipback.reports import render
from hipback.reports.models import HandoutTalk, HepHandout, ProgressReport


def test_progress_html_has_the_numbers(report: ProgressReport) -> None:
    html = render.progress_html(report)
    assert "11 attended of 16 planned (12 due by today)" in html
    assert "Hip-focused physical therapy" in html
    scores = re.findall(r'<td class="score">([^<]+)</td>', html)
    assert scores == ["40", "32", "26", "1", "1.2"]
    assert report.outcomes[0].summary in html
    # adherence 5+4+6+3+0+2+7+5 = 32 days in 8 weeks, mean 4 days per week
    assert "32 days logged in 8 weeks" in html
    assert "mean 4 days per week" in html
    assert html.count('role="img"') == 3  # two outcomes and adherence
    assert "Jo Therapist" in html and "SYNTHETIC DEMO DATA" in html


def test_blinded_reader_sees_no_arm(report: ProgressReport) -> None:
    from dataclasses import replace

    html = render.progress_html(replace(report, arm=None, arm_visible=False))
    assert "focused physical therapy" not in html
    assert "not shown (blinded reader)" in html
    unassigned = render.progress_html(replace(report, arm=None, sessions_planned=0))
    assert "not assigned yet" in unassigned and "no treatment plan yet" in unassigned


@pytest.mark.parametrize(
    ("paper", "size"), [("a4", "595.276 x 841.89 pts (A4)"), ("letter", "612 x 792 pts (letter)")]
)
def test_progress_pdf(report: ProgressReport, tmp_path: Path, paper: str, size: str) -> None:
    pdf = render.progress_pdf(report, paper)
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf.data)
    meta = pdftools.info(path)
    assert meta["Page size"] == size
    assert int(meta["Pages"]) == pdf.pages == 2
    pdftools.assert_pages_not_blank(path, pdf.pages)
    assert pdftools.raster_images(path) == 0  # charts are vector graphics
    text = pdftools.text(path)
    assert "11 attended of 16 planned" in text
    assert "improved by 14 points" in text


def test_paper_must_be_known() -> None:
    with pytest.raises(InvalidInput) as err:
        render.paper_size("a5")
    problem = err.value.problems[0]
    assert (problem.field, problem.value, problem.allowed) == ("paper", "a5", "a4 or letter")


def test_handout_html(handout: HepHandout) -> None:
    html = render.handout_html(handout)
    assert html.count('<article class="exercise"') == 2
    assert "<li>Lift your bottom.</li>" in html
    assert "2 sets of 10 repetitions, 3 days a week" in html
    assert "⚠ Keep your back flat." in html
    # a figure where one was given, an empty slot where not
    assert '<div class="figure-slot empty"></div>' in html
    assert "<title>clam</title>" in html
    # 2-week log: 14 day columns per exercise row, two rows; 9 Mar 2026 is a Monday
    assert len(re.findall(r"<td( class=\"week2\")?></td>", html)) == 14 * 2
    assert "Mon<br><strong>9</strong><br>Mar" in html
    assert "Sun<br><strong>22</strong><br>Mar" in html


def test_handout_lists_what_was_talked_about(handout: HepHandout) -> None:
    """Education topics covered so far, with their key points, before the exercise log."""
    html = render.handout_html(handout)
    talks = html.index("What we talked about")
    assert talks < html.index("My exercise log")
    assert "<h3>Understanding your pain and pacing your day</h3>" in html
    assert "<li>Split long jobs into parts.</li>" in html
    hostile = replace(handout, education=(HandoutTalk("<b>x</b>", ("<script>",)),))
    html = render.handout_html(hostile)
    assert "<b>x</b>" not in html and "&lt;script&gt;" in html


def test_handout_pdf(handout: HepHandout, tmp_path: Path) -> None:
    pdf = render.handout_pdf(handout, "letter")
    path = tmp_path / "handout.pdf"
    path.write_bytes(pdf.data)
    pdftools.assert_pages_not_blank(path, pdf.pages)
    text = pdftools.text(path)
    assert "Bottom lift" in text and "My exercise log" in text
    # the log grid prints on a landscape page
    last = pdftools.info(path)
    assert last["Pages"] == str(pdf.pages)
