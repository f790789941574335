"""The trial report is refused to the masked assessor (rendering: test_trial_pages.py)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .conftest import sign_in


def test_assessor_cannot_open_the_trial_report(demo_app: TestClient) -> None:
    sign_in(demo_app, "assessor")
    assert demo_app.get("/trials/1/report.html").status_code == 403
    assert demo_app.get("/trials/1/report.pdf").status_code == 403
