"""The permission table: scopes, own-record rule, and docs/security.md kept current."""

from __future__ import annotations

from pathlib import Path

import pytest

from hipback.clinic.access import PERMISSIONS, Actor, can, permission_table_markdown, require
from hipback.clinic.records import Role
from hipback.errors import PermissionDenied

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"


def test_patient_sees_only_own_record() -> None:
    me = Actor("p", Role.PATIENT, patient_id=7)
    assert can(me, "patient.read", 7)
    assert not can(me, "patient.read", 8)
    assert not can(me, "patient.list")


def test_assessor_never_reads_the_arm() -> None:
    assessor = Actor("a", Role.ASSESSOR)
    assert not can(assessor, "arm.read", 1)
    assert can(assessor, "outcome.write", 1)


def test_statistician_has_no_identified_data() -> None:
    stat = Actor("s", Role.STATISTICIAN)
    for action, scopes in PERMISSIONS.items():
        if action.startswith(("patient.", "evaluation.", "plan.", "session.", "outcome.")):
            assert Role.STATISTICIAN not in scopes, action
    assert can(stat, "export.deidentified")


def test_unknown_action_refused() -> None:
    with pytest.raises(PermissionDenied, match="unknown action"):
        require(Actor("t", Role.THERAPIST), "patient.delete")


def test_security_doc_embeds_the_current_table() -> None:
    text = DOC.read_text(encoding="utf-8")
    start = text.index("<!-- permission-table:start -->\n") + len(
        "<!-- permission-table:start -->\n"
    )
    end = text.index("<!-- permission-table:end -->")
    assert text[start:end] == permission_table_markdown()
