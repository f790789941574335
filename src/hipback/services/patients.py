"""Patients and episodes of care: create, search, read (audited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from hipback.clinic.access import can, require
from hipback.clinic.records import EpisodeStatus, PatientCreate, validate
from hipback.db.repositories import clinic as repo
from hipback.db.repositories.views import PatientView
from hipback.db.tables import EpisodeRow, PatientRow, SiteRow
from hipback.db.uow import UnitOfWork
from hipback.errors import InvalidInput


@dataclass(frozen=True)
class PatientSummary:
    id: int
    mrn: str
    name: str
    birth_date: date
    age: int
    sex: str
    synthetic: bool
    version: int


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def summary_of(row: PatientRow | PatientView, today: date) -> PatientSummary:
    return PatientSummary(
        id=row.id,
        mrn=row.mrn,
        name=f"{row.family_name}, {row.given_name}",
        birth_date=row.birth_date,
        age=age_on(row.birth_date, today),
        sex=row.sex,
        synthetic=row.synthetic,
        version=row.version,
    )


def ensure_site(uow: UnitOfWork, code: str, name: str) -> int:
    site = repo.find_site(uow.session, code)
    if site is None:
        site = SiteRow(code=code, name=name)
        uow.add(site)
        uow.flush()
    return site.id


def create_patient(
    uow: UnitOfWork, data: dict[str, Any], *, site_code: str = "main", synthetic: bool = False
) -> PatientSummary:
    """Register a patient and open their first episode of care, in one transaction."""
    require(uow.actor, "patient.create")
    patient = validate(PatientCreate, data)
    site = repo.find_site(uow.session, site_code)
    if site is None:
        raise InvalidInput.one("site", site_code, "a site code known to this clinic")
    row = PatientRow(
        site_id=site.id,
        mrn=patient.mrn,
        given_name=patient.given_name,
        family_name=patient.family_name,
        birth_date=patient.birth_date,
        sex=patient.sex,
        phone=patient.phone,
        synthetic=synthetic,
        created_at=uow.clock.now(),
    )
    uow.add(row)
    uow.flush()
    episode = EpisodeRow(
        patient_id=row.id,
        therapist_id=uow.actor.user_id,
        opened_on=uow.clock.today(),
        status=EpisodeStatus.OPEN.value,
    )
    uow.add(episode)
    uow.flush()
    uow.audit("patient.created", f"patient:{row.id}", {"mrn": row.mrn, "episode": episode.id})
    uow.commit()
    return summary_of(row, uow.clock.today())


def search_patients(
    uow: UnitOfWork, query: str = "", *, limit: int = 50, offset: int = 0
) -> tuple[list[PatientSummary], int]:
    """A page of patients matching ``query`` (name or record number) and the total count."""
    require(uow.actor, "patient.list")
    if not 1 <= limit <= 500:
        raise InvalidInput.one("limit", limit, "a whole number from 1 to 500")
    if not 0 <= offset <= 10_000_000:
        raise InvalidInput.one("offset", offset, "a whole number from 0 to 10000000")
    if len(query) > 100:
        raise InvalidInput.one("q", query[:20] + "…", "at most 100 characters")
    rows = repo.search_patients(uow.session, query, limit, offset)
    total = repo.count_patients(uow.session, query)
    today = uow.clock.today()
    uow.audit("patient.listed", "patients", {"q": query, "n": len(rows), "offset": offset})
    uow.commit()
    return [summary_of(r, today) for r in rows], total


def get_patient(uow: UnitOfWork, patient_id: int) -> PatientSummary:
    """One patient; the read is audited."""
    require(uow.actor, "patient.read", patient_id)
    row = uow.get(PatientRow, patient_id, "patient")
    uow.audit("patient.read", f"patient:{patient_id}")
    uow.commit()
    return summary_of(row, uow.clock.today())


def may_see_arm(uow: UnitOfWork, patient_id: int) -> bool:
    return can(uow.actor, "arm.read", patient_id)
