"""Adverse events: validation, adjudication and per-arm summary (hipback.trial.safety)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from hipback.errors import Conflict, InvalidInput
from hipback.trial.safety import (
    AdverseEvent,
    Relatedness,
    adjudicate,
    report_adverse_event,
    summarise_by_arm,
)


def _event(event_id: str = "AE-1", participant: str = "P-1", **kw: Any) -> AdverseEvent:
    base: dict[str, Any] = {
        "event_id": event_id,
        "participant_id": participant,
        "onset": date(2026, 2, 1),
        "description": "Increased hip pain after session 5",
        "severity": "moderate",
        "seriousness": [],
        "relatedness": "possible",
        "expectedness": "expected",
        "reported_by": "Therapist T",
        "reported_on": date(2026, 2, 2),
    }
    base.update(kw)
    return report_adverse_event(**base)


def test_report_and_flags() -> None:
    event = _event()
    assert event.state == "pending" and not event.serious and event.related
    fall = _event(
        "AE-2", seriousness=["hospitalisation"], relatedness="probable", expectedness="unexpected"
    )
    assert fall.serious and fall.related and fall.expedited


def test_adjudication_overrides_the_report_and_happens_once() -> None:
    fall = _event(
        "AE-2", seriousness=["hospitalisation"], relatedness="probable", expectedness="unexpected"
    )
    decided = adjudicate(
        fall,
        adjudicator="Site investigator",
        on=date(2026, 2, 10),
        relatedness="unlikely",
        expectedness="unexpected",
        seriousness=["hospitalisation"],
        rationale="Fall occurred at home on a non-treatment day, unrelated to exercises",
    )
    assert decided.state == "adjudicated"
    assert decided.serious and not decided.related and not decided.expedited
    assert decided.relatedness is Relatedness.PROBABLE  # the original report is kept
    assert decided.as_dict()["adjudication"]["relatedness"] == "unlikely"  # type: ignore[index]
    with pytest.raises(Conflict):
        adjudicate(
            decided,
            adjudicator="X",
            on=date(2026, 3, 1),
            relatedness="possible",
            expectedness="expected",
            seriousness=[],
            rationale="second opinion here",
        )


def test_bad_values_are_all_named() -> None:
    with pytest.raises(InvalidInput) as info:
        _event(
            severity="awful",
            seriousness=["broken_hip"],
            relatedness="maybe",
            expectedness="sort of",
            reported_on=date(2026, 1, 1),
        )
    fields = {p.field for p in info.value.problems}
    assert fields == {"severity", "seriousness", "relatedness", "expectedness", "reported_on"}
    allowed = next(p.allowed for p in info.value.problems if p.field == "relatedness")
    assert allowed == "not_related, unlikely, possible, probable, definite"


def test_summary_by_arm() -> None:
    events = [
        _event("AE-1", "P-1"),
        _event("AE-2", "P-1", seriousness=["hospitalisation"], relatedness="not_related"),
        _event("AE-3", "P-3", relatedness="unlikely"),
    ]
    arm_of = {"P-1": "hip", "P-2": "hip", "P-3": "spine", "P-4": "spine", "P-5": "spine"}
    summary = summarise_by_arm(events, arm_of, ["hip", "spine"])
    hip, spine = summary["hip"], summary["spine"]
    assert (hip.participants, hip.with_any, hip.with_serious, hip.with_related) == (2, 1, 1, 1)
    assert (hip.events, hip.serious_events, hip.pending_adjudication) == (2, 1, 2)
    assert (spine.participants, spine.with_any, spine.with_serious, spine.with_related) == (
        3,
        1,
        0,
        0,
    )
    with pytest.raises(InvalidInput):
        summarise_by_arm([_event("AE-9", "P-99")], arm_of, ["hip", "spine"])
