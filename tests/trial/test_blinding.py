"""Redaction for masked roles and reasoned unblinding events (hipback.trial.blinding)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hipback.errors import InvalidInput, PermissionDenied
from hipback.trial.blinding import (
    MASKED,
    Role,
    find_arm_leaks,
    may_see_arm,
    record_unblinding,
    redact,
)

ARMS = ("hip", "spine")
RECORD = {
    "participant_id": "P-001",
    "arm": "hip",
    "visits": [
        {"visit": "week8", "qbpds": 18, "assessor_note": "hip pain on stairs"},
        {"visit": "month6", "qbpds": 15, "treatment_notes": "hip mobilisation grade III"},
    ],
    "counts_by_arm": {"hip": 91, "spine": 93},
    "label": "Spine",
    "home_program": ["clamshell"],
}
WHEN = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_assessor_sees_no_arm_anywhere() -> None:
    shown = redact(RECORD, Role.ASSESSOR, ARMS)
    assert find_arm_leaks(shown, ARMS) == []
    assert isinstance(shown, dict)
    assert shown["arm"] == MASKED
    assert shown["counts_by_arm"] == {}  # per-arm counts dropped, not just renamed
    assert shown["label"] == MASKED  # a bare arm name, whatever its case
    assert shown["home_program"] == MASKED
    assert shown["visits"][1]["treatment_notes"] == MASKED
    # Outcome data and free text under neutral keys are kept (free text is not scanned).
    assert shown["visits"][0] == RECORD["visits"][0]  # type: ignore[index]
    assert shown["participant_id"] == "P-001"


def test_redaction_does_not_modify_the_input() -> None:
    redact(RECORD, Role.ASSESSOR, ARMS)
    assert RECORD["arm"] == "hip"


def test_unmasked_roles_get_an_equal_copy() -> None:
    for role in (Role.THERAPIST, Role.TRIAL_MANAGER, Role.UNBLINDED_STATISTICIAN):
        assert may_see_arm(role)
        assert redact(RECORD, role, ARMS) == RECORD
    assert not may_see_arm(Role.ASSESSOR) and not may_see_arm(Role.BLINDED_STATISTICIAN)


def test_leak_finder_reports_paths() -> None:
    assert set(find_arm_leaks(RECORD, ARMS)) == {
        "$.arm",
        "$.visits[1].treatment_notes",
        "$.counts_by_arm.hip",
        "$.counts_by_arm.spine",
        "$.label",
        "$.home_program",
    }


def test_extra_keys_are_masked() -> None:
    shown = redact({"kit_code": "K-17", "x": 1}, Role.ASSESSOR, ARMS, extra_keys=["kit_code"])
    assert shown == {"kit_code": MASKED, "x": 1}


def test_unblinding_needs_reason_and_authorised_role() -> None:
    event = record_unblinding(
        participant_id="P-001",
        kind="safety",
        reason="Serious AE: fall with hip fracture",
        revealed_to="Dr Safety",
        revealed_to_role=Role.SAFETY_OFFICER,
        recorded_by="Dr Safety",
        recorded_by_role=Role.SAFETY_OFFICER,
        at=WHEN,
    )
    assert event.as_dict()["kind"] == "safety"
    with pytest.raises(PermissionDenied, match="assessor"):
        record_unblinding(
            participant_id="P-001",
            kind="emergency",
            reason="I would like to know the arm now",
            revealed_to="A. Assessor",
            revealed_to_role=Role.ASSESSOR,
            recorded_by="A. Assessor",
            recorded_by_role=Role.ASSESSOR,
            at=WHEN,
        )
    with pytest.raises(InvalidInput) as info:
        record_unblinding(
            participant_id="P-001",
            kind="curious",
            reason="because",
            revealed_to="",
            revealed_to_role=Role.ASSESSOR,
            recorded_by="X",
            recorded_by_role=Role.SAFETY_OFFICER,
            at=datetime(2026, 3, 1),
        )
    assert {p.field for p in info.value.problems} == {"kind", "reason", "revealed_to", "at"}


def test_assessor_may_report_accidental_unblinding() -> None:
    event = record_unblinding(
        participant_id="P-002",
        kind="accidental",
        reason="Participant described the stationary cycling during the 8-week assessment",
        revealed_to="A. Assessor",
        revealed_to_role=Role.ASSESSOR,
        recorded_by="A. Assessor",
        recorded_by_role=Role.ASSESSOR,
        at=WHEN,
    )
    assert event.kind == "accidental"
