"""Protocol deviations: recorded by staff, or detected from visit windows.

A deviation is a departure from the protocol that does not by itself remove a participant from
the intention-to-treat analysis; it is reported per arm and category in the trial report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Literal

from hipback.errors import InvalidInput, Problem
from hipback.trial.windows import VisitState, VisitStatus


class DeviationCategory(StrEnum):
    ELIGIBILITY = "eligibility"
    CONSENT = "consent"
    RANDOMISATION = "randomisation"
    INTERVENTION = "intervention"
    VISIT_OUT_OF_WINDOW = "visit_out_of_window"
    MISSED_VISIT = "missed_visit"
    ASSESSMENT = "assessment"
    BLINDING = "blinding"
    OTHER = "other"


Severity = Literal["minor", "major"]


@dataclass(frozen=True)
class ProtocolDeviation:
    participant_id: str
    category: DeviationCategory
    description: str
    occurred_on: date
    severity: Severity
    reported_by: str
    detected: Literal["manual", "automatic"] = "manual"

    def as_dict(self) -> dict[str, str]:
        return {
            "participant_id": self.participant_id,
            "category": self.category.value,
            "description": self.description,
            "occurred_on": self.occurred_on.isoformat(),
            "severity": self.severity,
            "reported_by": self.reported_by,
            "detected": self.detected,
        }


def record_deviation(
    *,
    participant_id: str,
    category: str,
    description: str,
    occurred_on: date,
    severity: str,
    reported_by: str,
) -> ProtocolDeviation:
    """A manually reported deviation; every bad field is named at once."""
    problems: list[Problem] = []
    categories = [c.value for c in DeviationCategory]
    if category not in categories:
        problems.append(Problem("category", category, ", ".join(categories)))
    if severity not in ("minor", "major"):
        problems.append(Problem("severity", severity, "minor, major"))
    if len(description.strip()) < 10:
        problems.append(Problem("description", description, "at least 10 characters"))
    for field, value in (("participant_id", participant_id), ("reported_by", reported_by)):
        if not value.strip():
            problems.append(Problem(field, value, "a non-empty value"))
    if problems:
        raise InvalidInput(problems)
    return ProtocolDeviation(
        participant_id,
        DeviationCategory(category),
        description.strip(),
        occurred_on,
        "major" if severity == "major" else "minor",
        reported_by,
    )


def window_deviations(participant_id: str, states: Iterable[VisitState]) -> list[ProtocolDeviation]:
    """Deviations implied by visit states: assessments outside their window, missed visits.

    A visit assessed outside its window is minor; a missed visit is major for the primary
    endpoint's data and recorded as such by the caller's schedule (here: always ``major``).
    """
    found: list[ProtocolDeviation] = []
    for s in states:
        if s.status is VisitStatus.COMPLETED and s.in_window is False and s.completed_on:
            days = (s.completed_on - s.target).days
            found.append(
                ProtocolDeviation(
                    participant_id,
                    DeviationCategory.VISIT_OUT_OF_WINDOW,
                    f"{s.label} assessed on {s.completed_on.isoformat()}, {days:+d} days from "
                    f"target; window {s.opens.isoformat()} to {s.closes.isoformat()}",
                    s.completed_on,
                    "minor",
                    "system",
                    "automatic",
                )
            )
        elif s.status is VisitStatus.MISSED:
            found.append(
                ProtocolDeviation(
                    participant_id,
                    DeviationCategory.MISSED_VISIT,
                    f"{s.label} not assessed (window closed {s.closes.isoformat()})",
                    s.closes,
                    "major",
                    "system",
                    "automatic",
                )
            )
    return found
