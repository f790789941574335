"""Patients: create with an episode, validation without partial writes, search, audit, locking."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from hipback.clinic.access import Actor
from hipback.clinic.records import Role
from hipback.db.audit import verify_chain
from hipback.db.tables import AuditRow, EpisodeRow, PatientRow
from hipback.db.uow import UnitOfWork
from hipback.errors import Conflict, InvalidInput, PermissionDenied
from hipback.services import patients

from .conftest import THERAPIST

UowFactory = Callable[[Actor], UnitOfWork]

ALICE = {
    "given_name": "Alice",
    "family_name": "Baker",
    "birth_date": "1952-03-14",
    "sex": "female",
    "mrn": "MRN-001",
}


def _setup_site(uow: UowFactory) -> None:
    with uow(THERAPIST) as u:
        patients.ensure_site(u, "main", "Main clinic")
        u.commit()


def test_create_patient_opens_episode_and_audits(uow: UowFactory) -> None:
    _setup_site(uow)
    with uow(THERAPIST) as u:
        p = patients.create_patient(u, ALICE)
    assert p.name == "Baker, Alice"
    assert p.age == 74  # 1952-03-14 → 2026-11-29
    with uow(THERAPIST) as u:
        assert u.session.scalar(sa.select(sa.func.count()).select_from(EpisodeRow)) == 1
        rows = list(u.session.scalars(sa.select(AuditRow).order_by(AuditRow.id)))
        assert [r.action for r in rows] == ["patient.created"]
        assert rows[0].actor == "therapist:tina"
        assert verify_chain(rows).ok


def test_invalid_patient_names_fields_and_writes_nothing(uow: UowFactory) -> None:
    _setup_site(uow)
    bad = ALICE | {"sex": "F", "birth_date": "1890-01-01", "given_name": ""}
    with uow(THERAPIST) as u, pytest.raises(InvalidInput) as err:
        patients.create_patient(u, bad)
    assert {p.field for p in err.value.problems} == {"sex", "birth_date", "given_name"}
    with uow(THERAPIST) as u:
        assert u.session.scalar(sa.select(sa.func.count()).select_from(PatientRow)) == 0
        assert u.session.scalar(sa.select(sa.func.count()).select_from(AuditRow)) == 0


def test_duplicate_record_number_is_a_conflict_and_rolls_back(uow: UowFactory) -> None:
    _setup_site(uow)
    with uow(THERAPIST) as u:
        patients.create_patient(u, ALICE)
    with uow(THERAPIST) as u, pytest.raises(Conflict):
        patients.create_patient(u, ALICE | {"given_name": "Other"})
    with uow(THERAPIST) as u:
        assert u.session.scalar(sa.select(sa.func.count()).select_from(PatientRow)) == 1
        assert u.session.scalar(sa.select(sa.func.count()).select_from(EpisodeRow)) == 1


def test_search_pages_and_counts(uow: UowFactory) -> None:
    _setup_site(uow)
    for i in range(7):
        with uow(THERAPIST) as u:
            patients.create_patient(u, ALICE | {"mrn": f"M{i}", "family_name": f"Zed{i}"})
    with uow(THERAPIST) as u:
        page, total = patients.search_patients(u, "zed", limit=3, offset=3)
    assert total == 7
    assert [p.name for p in page] == ["Zed3, Alice", "Zed4, Alice", "Zed5, Alice"]
    with uow(THERAPIST) as u, pytest.raises(InvalidInput, match="limit"):
        patients.search_patients(u, "", limit=0)


def test_patient_role_reads_only_own_record(uow: UowFactory) -> None:
    _setup_site(uow)
    with uow(THERAPIST) as u:
        a = patients.create_patient(u, ALICE)
        b = patients.create_patient(u, ALICE | {"mrn": "MRN-002"})
    me = Actor("alice", Role.PATIENT, patient_id=a.id)
    with uow(me) as u:
        assert patients.get_patient(u, a.id).id == a.id
    with uow(me) as u, pytest.raises(PermissionDenied):
        patients.get_patient(u, b.id)
    with uow(me) as u, pytest.raises(PermissionDenied):
        patients.search_patients(u)


def test_roles_enumerated() -> None:
    assert {r.value for r in Role} == {
        "admin",
        "therapist",
        "assessor",
        "trial_manager",
        "statistician",
        "patient",
    }
