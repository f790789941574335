"""Issue 12, item 1, over HTTP: a therapist types hostile text as a patient's name (the attack
that pulled the SQLite database into a PDF); every role that may open a document gets it with
the text shown as text: no attachment, no server file, no request to a loopback listener.

Documents: progress report (HTML and PDF), home-exercise handout, trial report (HTML and PDF),
analytics page, CONSORT SVG and the trial export (CSV cells cannot start a formula).
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from tests.hostile import SECRET_TEXT, Listener, injected_elements
from tests.reports import pdftools

from hipback.db.tables import PatientRow, PlanRow, SiteRow, TrialRow

from .conftest import login, sign_in

ROLES = ("therapist", "assessor", "manager", "statistician", "admin")


@pytest.fixture
def secret() -> Iterator[Path]:
    """A server file with a short path, so the payload fits an 80-character name."""
    with tempfile.NamedTemporaryFile("w", prefix="hb", suffix=".txt", dir="/tmp") as fh:
        fh.write(SECRET_TEXT)
        fh.flush()
        yield Path(fh.name)


def short_payloads(port: int, secret: Path) -> list[str]:
    """Attacks that fit a family name (80 characters)."""
    url, file = f"http://127.0.0.1:{port}", secret.as_uri()
    names = [
        f"</style><link rel=attachment href={file}>",
        f"<img src={url}/img>",
        f'"}}@import url({url}/i);a{{content:"',
        f"</title><iframe src={file}>",
        f"<a rel=attachment href={file}>x</a>",
        f"<object data={file}></object>",
        f"<svg><image href={url}/svg /></svg>",
        '=HYPERLINK("http://127.0.0.1/","x")',
    ]
    assert all(len(n) <= 80 for n in names), [len(n) for n in names]
    return names


def _session(client: TestClient) -> sa.orm.Session:
    factory = client.app.state.session_factory  # type: ignore[attr-defined]
    session: sa.orm.Session = factory()
    return session


def _html_ok(text: str, port: int) -> None:
    bad = [e for e in injected_elements(text, port) if "/static/" not in e]
    assert bad == []
    assert SECRET_TEXT not in text


def test_hostile_names_in_every_document(
    demo_app: TestClient, secret: Path, tmp_path: Path
) -> None:
    with Listener() as listener:
        names = short_payloads(listener.port, secret)
        csrf = sign_in(demo_app, "therapist")
        for i, name in enumerate(names):
            r = demo_app.post(
                "/api/patients",
                json={
                    "given_name": names[-1 - i],
                    "family_name": name,
                    "birth_date": "1950-02-03",
                    "sex": "female",
                    "mrn": f"HOSTILE-{i}",
                },
                headers={"X-CSRF-Token": csrf},
            )
            assert r.status_code == 201, r.text
        # the demo patients (with plans, outcomes, logs and trial visits) get the same names,
        # the clinic and the trial hostile titles
        with _session(demo_app) as s:
            ids = s.scalars(sa.select(PatientRow.id).order_by(PatientRow.id)).all()
            for n, pid in enumerate(ids):
                s.execute(
                    sa.update(PatientRow)
                    .where(PatientRow.id == pid)
                    .values(family_name=names[n % len(names)], given_name=names[-1])
                )
            s.execute(sa.update(SiteRow).values(name=names[0] + names[1][:40]))
            s.execute(sa.update(TrialRow).values(name=" ".join(names)[:200]))
            s.commit()
            plans = s.scalars(sa.select(PlanRow.id)).all()
            trials = s.scalars(sa.select(TrialRow.id)).all()
        assert plans and trials
        documents = [f"/patients/{pid}/report.pdf" for pid in ids]
        documents += [f"/patients/{pid}/report.html" for pid in ids]
        documents += [f"/plans/{plan}/handout.pdf" for plan in plans]
        for t in trials:
            documents += [
                f"/trials/{t}/report.pdf",
                f"/trials/{t}/report.html",
                f"/trials/{t}/consort.svg",
                f"/trials/{t}/export.csv",
            ]
        documents.append("/analytics")
        opened = 0
        for role in ROLES:
            demo_app.cookies.clear()
            r = login(demo_app, role)
            assert r.status_code == 303, (role, r.text)
            for n, url in enumerate(documents):
                r = demo_app.get(url)
                assert r.status_code < 500, (role, url, r.status_code)
                if r.status_code != 200:
                    continue
                opened += 1
                kind = r.headers["content-type"]
                if kind.startswith("application/pdf"):
                    path = tmp_path / f"{role}-{n}.pdf"
                    path.write_bytes(r.content)
                    assert pdftools.attachments(path) == [], (role, url)
                    assert b"/EmbeddedFile" not in r.content
                    assert SECRET_TEXT not in pdftools.text(path)
                elif kind.startswith("text/csv"):
                    for row in csv.reader(io.StringIO(r.text)):
                        assert not any(cell.startswith(("=", "@", "+")) for cell in row), row
                else:
                    _html_ok(r.text, listener.port)
    assert listener.connections == 0
    # at least: therapist and assessor open progress reports, the manager the trial report
    assert opened >= 2 * len(ids) + len(trials)
