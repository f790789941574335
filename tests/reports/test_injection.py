"""Hostile text in every report document: nothing read from files, nothing fetched, nothing
attached (issue 12, item 1).

Each defence is tested alone and together: the templates escape every value for its context
(HTML text, the CSS string of the page footer, SVG), and the PDF renderer's URL fetcher
allows ``data:`` URLs only. Either one alone must stop the attack.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from tests.hostile import SECRET_TEXT, Listener, hostile_name, injected_elements, payloads
from tests.reports import pdftools
from tests.reports.conftest import reference_trial_report

from hipback.core.escaping import css_string, csv_cell
from hipback.reports import render, trial
from hipback.reports.models import (
    AdherencePoint,
    ClinicAnalytics,
    HepHandout,
    ProgressReport,
    Signature,
)
from hipback.reports.pdf import to_pdf


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET_TEXT)
    return path


def _hostile_progress(report: ProgressReport, bad: str) -> ProgressReport:
    return dataclasses.replace(
        report,
        clinic=bad,
        patient_name=bad,
        mrn=bad,
        sex=bad,
        signature=Signature(bad, bad, report.signature.signed_on),
    )


def _hostile_handout(handout: HepHandout, bad: str) -> HepHandout:
    exercises = tuple(
        dataclasses.replace(e, name=bad, purpose=bad, steps=(bad, bad), dose=bad, safety=(bad,))
        for e in handout.exercises
    )
    return dataclasses.replace(
        handout,
        clinic=bad,
        patient_name=bad,
        mrn=bad,
        therapist=bad,
        exercises=exercises,
        general_safety=(bad,),
    )


def _hostile_trial(bad: str) -> trial.TrialReport:
    report = reference_trial_report()
    return dataclasses.replace(
        report,
        title=bad,
        outcome=bad,
        unit=bad,
        arm_labels={arm: f"{arm} {bad} $\\frac{{1}}{{0}}$ $" for arm in report.arms},
        warnings=(bad,),
    )


def _check_pdf(data: bytes, path: Path) -> None:
    path.write_bytes(data)
    assert pdftools.attachments(path) == []
    assert b"/EmbeddedFile" not in data
    assert SECRET_TEXT not in pdftools.text(path)


def test_css_string_escape_by_hand() -> None:
    # '<' is U+003C, '"' U+0022, '\\' U+005C, '·' U+00B7; NUL becomes U+FFFD
    assert css_string("Pat") == '"Pat"'
    assert css_string('a"b') == '"a\\22 b"'
    assert css_string("</style>") == '"\\3c \\2f style\\3e "'
    assert css_string("x\\y · z") == '"x\\5c y \\b7  z"'
    assert css_string("\x00") == '"\\fffd "'


def test_csv_cell_by_hand() -> None:
    assert csv_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell("+1+cmd|' /C calc'!A0") == "'+1+cmd|' /C calc'!A0"
    assert csv_cell("-3.5") == "-3.5"
    assert csv_cell("1e-3") == "1e-3"
    assert csv_cell(-3.5) == -3.5
    assert csv_cell("Clinic A") == "Clinic A"


def test_every_document_with_hostile_text(
    report: ProgressReport, handout: HepHandout, secret: Path, tmp_path: Path
) -> None:
    with Listener() as listener:
        bad = hostile_name(listener.port, secret)
        progress = _hostile_progress(report, bad)
        hep = _hostile_handout(handout, bad)
        trial_report = _hostile_trial(bad)
        analytics = ClinicAnalytics(
            clinic=bad,
            generated_on=report.generated_on,
            patients=2,
            trajectories=(),
            responders=(),
            scatter_instrument="qbpds",
            scatter_unit=bad,
            scatter=(AdherencePoint("hip", 0.5, 4.0), AdherencePoint("spine", 0.8, -1.0)),
            mcid_text={"qbpds": bad},
        )
        pages = {
            "progress": render.progress_html(progress),
            "handout": render.handout_html(hep),
            "trial": trial.trial_html(trial_report),
            "analytics": str(render.analytics_fragment(analytics)),
        }
        for name, html in pages.items():
            assert injected_elements(html, listener.port) == [], name
            assert "&lt;/style&gt;" in html or "\\3c \\2f style" in html, name
        _check_pdf(render.progress_pdf(progress).data, tmp_path / "progress.pdf")
        _check_pdf(render.handout_pdf(hep).data, tmp_path / "handout.pdf")
        _check_pdf(trial.trial_pdf(trial_report).data, tmp_path / "trial.pdf")
    assert listener.connections == 0
    # the name is shown as the text it is, footer included
    text = pdftools.text(tmp_path / "progress.pdf")
    assert "</style><link rel=attachment" in text
    assert text.count("Progress report · Pat </style>") >= 1


def test_footer_is_one_css_string(report: ProgressReport, secret: Path) -> None:
    bad = hostile_name(1, secret)
    html = render.progress_html(_hostile_progress(report, bad))
    style = html[html.index("<style>") : html.index("</style>")]
    line = next(row for row in style.splitlines() if "@bottom-left" in row)
    assert css_string(f"Progress report · {bad} · {bad} · generated 2026-05-01") in line
    head = html[: html.index("</head>")]
    assert head.count("<style>") == 1 and head.count("</style>") == 1


def test_fetcher_alone_stops_unescaped_html(secret: Path, tmp_path: Path) -> None:
    """With escaping bypassed entirely, the PDF still fetches and attaches nothing."""
    with Listener() as listener:
        raw = "".join(payloads(listener.port, secret))
        html = (
            f"<!DOCTYPE html><html><head><style>@import url(http://127.0.0.1:{listener.port}/i);"
            f"</style></head><body><p>{raw}</p>"
            f'<img src="{secret.as_uri()}"><img src="secret.txt">'
            f'<img src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E">'
            "</body></html>"
        )
        pdf = to_pdf(html)
    assert listener.connections == 0
    _check_pdf(pdf.data, tmp_path / "raw.pdf")


def test_fetcher_allows_data_urls(tmp_path: Path) -> None:
    # a 1 x 1 PNG as a data: URL is embedded as an image
    png = (
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJ"
        "RU5ErkJggg=="
    )
    pdf = to_pdf(f'<html><body><img src="data:image/png;base64,{png}"></body></html>')
    path = tmp_path / "data.pdf"
    path.write_bytes(pdf.data)
    assert pdftools.raster_images(path) >= 1


def test_autoescape_is_on_for_every_template_and_include() -> None:
    """Every report template and include is escaped, whatever its file extension."""
    assert render.ENV.autoescape is True
    assert "_page.css" in render.ENV.list_templates()
    assert render.ENV.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
