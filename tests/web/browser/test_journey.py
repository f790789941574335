"""The therapist's and the patient's journey in a real browser, with a screenshot per step.

sign in → new patient → evaluation → screening → plan → document two sessions → 8-week outcome
→ dashboard shows the change → the patient signs in to the portal and logs an exercise.
Accessibility: axe-core (WCAG 2.1 A/AA) must find no violations on the portal pages.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hipback.services.demo import DEMO_PASSWORD
from hipback.web import schemaform

from .conftest import axe_violations

pytestmark = pytest.mark.browser
EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "evaluation.json"


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")


def test_therapist_and_patient_journey(page: Any, server: str, shots: Path) -> None:
    step = iter(range(1, 100))

    def shot(name: str) -> None:
        page.screenshot(path=str(shots / f"{next(step):02d}-{name}.png"), full_page=True)

    sign_in(page, server, "therapist")
    page.wait_for_url(f"{server}/patients")
    shot("patient-list")

    page.click("text=New patient")
    page.fill("#given_name", "Rita")
    page.fill("#family_name", "Journey")
    page.fill("#birth_date", "1953-04-09")
    page.select_option("#sex", "female")
    page.fill("#mrn", "JRN-1")
    shot("intake")
    page.click("button:has-text('Register patient')")
    page.wait_for_selector("h1:has-text('Journey, Rita')")
    patient_url = page.url

    page.click("text=Start the first-visit evaluation")
    data = json.loads(EXAMPLE.read_text())
    data.pop("baseline_measures", None)
    for name, value in schemaform.flatten(data).items():
        if name in ("patient.id",):
            continue
        locator = page.locator(f'[name="{name}"]')
        if locator.count() == 0:
            continue
        tag = locator.first.evaluate("e => e.tagName + ':' + (e.type || '')")
        if tag.startswith("SELECT"):
            locator.first.select_option(value)
        elif tag.endswith("checkbox"):
            locator.first.check()
        else:
            locator.first.fill(value)
    shot("evaluation")
    page.click("button:has-text('Save and screen')")
    page.wait_for_selector(".decision")
    assert "ELIGIBLE" in page.inner_text(".decision")
    shot("screening")

    page.select_option("#arm", "hip")
    page.fill("#start_on", "2026-12-01")
    page.click("button:has-text('Create plan')")
    page.wait_for_selector("h1:has-text('Hip-focused plan')")
    shot("plan")
    plan_url = page.url
    for number in (1, 2):
        page.goto(f"{plan_url}/sessions/{number}")
        boxes = page.locator('input[type=checkbox][name$=".done"]')
        for i in range(boxes.count()):
            if i > 0:
                boxes.nth(i).uncheck()
        page.fill("#items\\.0\\.rpe", "3")
        page.fill("#items\\.0\\.pain_before", "3")
        page.fill("#items\\.0\\.pain_during", "4")
        page.fill("#items\\.0\\.pain_after", "3")
        shot(f"session-{number}")
        page.click("button:has-text('Save session')")
        page.wait_for_selector("text=Next session's doses")
        shot(f"session-{number}-saved")
    page.goto(plan_url)
    assert "attended 2 of 16" in page.inner_text("main")

    page.goto(patient_url)
    for timepoint, level in (("baseline", "3"), ("8wk", "1")):
        page.select_option("#instrument", "qbpds")
        page.select_option("#timepoint", timepoint)
        page.click("form.inline button:has-text('Enter')")
        page.fill("#assessed_on", "2026-09-01" if timepoint == "baseline" else "2026-11-01")
        for i in range(20):
            page.fill(f"#before_items_{i}", level)
        shot(f"outcome-{timepoint}")
        page.click("button:has-text('Save and score')")
        page.wait_for_url(f"{patient_url}#outcomes")
    page.wait_for_selector("svg.chart")
    verdict = page.inner_text(".verdict")
    assert "improved" in verdict
    assert "40 points" in verdict
    shot("dashboard")

    page.click("button:has-text('Sign out')")
    sign_in(page, server, "patient")
    page.wait_for_url(f"{server}/portal")
    assert axe_violations(page) == []
    shot("portal")
    page.fill("#logged_on", "2026-11-20")
    page.select_option("#exercise_id", index=0)
    page.fill("#sets", "2")
    page.fill("#reps", "10")
    page.fill("#pain", "2")
    page.click("button:has-text('Save my exercise')")
    page.wait_for_selector(".saved")
    assert axe_violations(page) == []
    shot("portal-logged")


def test_portal_errors_are_accessible(page: Any, server: str, shots: Path) -> None:
    sign_in(page, server, "patient")
    page.wait_for_url(f"{server}/portal")
    page.fill("#pain", "11")
    page.click("button:has-text('Save my exercise')")
    page.wait_for_selector("#pain-err")
    assert axe_violations(page) == []
    page.screenshot(path=str(shots / "portal-error.png"), full_page=True)
