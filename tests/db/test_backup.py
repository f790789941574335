"""Backup and restore on SQLite and PostgreSQL, verified by row counts and the audit chain."""

from __future__ import annotations

import sqlite3
import stat
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from hipback.config import Settings
from hipback.core.clock import SystemClock
from hipback.db import make_engine, upgrade
from hipback.db.audit import append, verify_database
from hipback.db.backup import backup, restore, row_counts
from hipback.db.uow import UnitOfWork, session_factory
from hipback.errors import ConfigurationError
from hipback.services.demo import load_demo

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


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


def _with_entries(url: str, n: int = 4) -> Engine:
    engine = make_engine(Settings(database_url=url))
    upgrade(engine)
    with Session(engine) as session, session.begin():
        for i in range(n):
            append(session, at=T0, actor="a", action="x", subject=f"s{i}", detail={"i": i})
    return engine


def test_backup_files_are_private(db_url: str, tmp_path: Path) -> None:
    """Backups hold password and session hashes: owner-only (0600), whatever the umask."""
    engine = _with_entries(db_url)
    archive = tmp_path / "clinic.backup"
    archive.write_text("an older file, world-readable")
    archive.chmod(0o644)
    backup(engine, archive)
    engine.dispose()
    for path in (archive, archive.with_name(archive.name + ".manifest.json")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_tampered_backup_leaves_the_database_untouched(db_url: str, tmp_path: Path) -> None:
    """A backup whose audit chain was edited is refused, and the live database is as it was."""
    live = _with_entries(db_url, 3)
    before = row_counts(live)
    if db_url.startswith("sqlite"):
        archive = tmp_path / "tampered.sqlite3"
        source = _with_entries(f"sqlite:///{tmp_path / 'source.sqlite3'}", 6)
        backup(source, archive)
        source.dispose()
        conn = sqlite3.connect(archive)
        with conn:
            conn.execute("UPDATE audit_log SET detail = '{\"i\": 99}' WHERE id = 2")
        conn.close()
    else:
        source_url = _fresh_target(db_url, tmp_path)
        source = _with_entries(source_url, 6)
        with source.begin() as conn:  # an insider with full rights edits an entry
            conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
            conn.execute(sa.text("UPDATE audit_log SET detail = '{\"i\": 99}' WHERE id = 2"))
        archive = tmp_path / "tampered.dump"
        backup(source, archive)
        source.dispose()
        _drop(source_url)
    with pytest.raises(ConfigurationError, match="audit chain is broken at entry 2"):
        restore(live, archive, force=True)
    assert row_counts(live) == before
    assert verify_database(live).ok
    if db_url.startswith("sqlite"):
        assert list(tmp_path.glob("*.restoring-*")) == []
    else:
        with live.connect() as conn:
            staged = conn.execute(
                sa.text("SELECT count(*) FROM pg_database WHERE datname LIKE '%restoring%'")
            ).scalar()
        assert staged == 0
    live.dispose()


def test_good_backup_replaces_a_live_database(db_url: str, tmp_path: Path) -> None:
    source_url = (
        f"sqlite:///{tmp_path / 'source.sqlite3'}"
        if db_url.startswith("sqlite")
        else _fresh_target(db_url, tmp_path)
    )
    source = _with_entries(source_url, 6)
    archive = tmp_path / "good.backup"
    backup(source, archive)
    source.dispose()
    live = _with_entries(db_url, 2)
    restored = restore(live, archive, force=True)
    live.dispose()
    live = make_engine(Settings(database_url=db_url))
    assert row_counts(live)["audit_log"] == 6
    assert verify_database(live).ok
    live.dispose()
    if not db_url.startswith("sqlite"):
        assert restored.previous is not None  # the replaced database is kept, by name
        _drop(source_url)
        base, _, _ = db_url.rpartition("/")
        _drop(f"{base}/{restored.previous}")


def _drop(url: str) -> None:
    base, _, name = url.rpartition("/")
    admin = sa.create_engine(f"{base}/test", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
