"""Backup and restore on SQLite and PostgreSQL, verified by row counts and the audit chain."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from hipback.config import Settings
from hipback.core.clock import SystemClock
from hipback.db import make_engine, upgrade
from hipback.db.backup import backup, restore, row_counts
from hipback.db.uow import UnitOfWork, session_factory
from hipback.errors import ConfigurationError
from hipback.services.demo import load_demo


def _fresh_target(db_url: str, tmp_path: Path) -> str:
    if db_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    base, _, _ = db_url.rpartition("/")
    name = f"hipback_r_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(f"{base}/test", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{base}/{name}"


def test_backup_restore_round_trip(db_url: str, tmp_path: Path) -> None:
    engine = make_engine(Settings(database_url=db_url))
    upgrade(engine)
    factory = session_factory(engine)
    load_demo(lambda a: UnitOfWork(factory, a, SystemClock()), today=date.today(), n_patients=3)
    before = row_counts(engine)
    archive = tmp_path / "clinic.backup"
    manifest = backup(engine, archive)
    engine.dispose()
    assert manifest.counts == before
    assert before["audit_log"] > 10

    target_url = _fresh_target(db_url, tmp_path)
    target = make_engine(Settings(database_url=target_url))
    try:
        restored = restore(target, archive)
        assert restored.counts == before
        assert restored.audit_entries == before["audit_log"]
        with pytest.raises(ConfigurationError, match="not empty"):
            restore(target, archive)
    finally:
        target.dispose()
        if not target_url.startswith("sqlite"):
            base, _, name = target_url.rpartition("/")
            admin = sa.create_engine(f"{base}/test", isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def test_restore_detects_a_changed_manifest(sqlite_url: str, tmp_path: Path) -> None:
    engine = make_engine(Settings(database_url=sqlite_url))
    upgrade(engine)
    archive = tmp_path / "b.sqlite3"
    backup(engine, archive)
    engine.dispose()
    manifest = archive.with_name(archive.name + ".manifest.json")
    manifest.write_text(manifest.read_text().replace('"audit_log": 0', '"audit_log": 5'))
    target = make_engine(Settings(database_url=f"sqlite:///{tmp_path / 'r.sqlite3'}"))
    with pytest.raises(ConfigurationError, match="row counts differ"):
        restore(target, archive)
    target.dispose()
