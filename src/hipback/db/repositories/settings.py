"""Installation facts and clinic settings (``clinic_settings``: key, JSON value, who, when)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from hipback.db.tables import ClinicSettingRow, PatientRow, UserRow


def get(session: Session, key: str) -> Any:
    return session.scalar(select(ClinicSettingRow.value).where(ClinicSettingRow.key == key))


def get_if_migrated(session: Session, key: str) -> Any:
    """Like :func:`get`, but None for a database created before ``clinic_settings`` existed."""
    if not inspect(session.connection()).has_table(ClinicSettingRow.__tablename__):
        return None
    return get(session, key)


def put(session: Session, key: str, value: Any, at: datetime, by: str) -> None:
    row = session.get(ClinicSettingRow, key)
    if row is None:
        session.add(ClinicSettingRow(key=key, value=value, updated_at=at, updated_by=by))
    else:
        row.value, row.updated_at, row.updated_by = value, at, by


def real_patients(session: Session) -> int:
    """Patients not marked synthetic."""
    return int(
        session.scalar(
            select(func.count()).select_from(PatientRow).where(PatientRow.synthetic.is_(False))
        )
        or 0
    )


def users(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(UserRow)) or 0)
