"""Consistent backups and verified restores, for SQLite and PostgreSQL.

A backup is the database file (SQLite online-backup API: a consistent snapshot while the app
runs) or a ``pg_dump -Fc`` archive (one transaction-consistent snapshot), plus a manifest
``<file>.manifest.json`` with every table's row count and the audit chain's last hash. A restore
loads the backup, then verifies the row counts against the manifest and the whole audit chain.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url

from hipback.db import tables  # noqa: F401  (registers every table on Base.metadata)
from hipback.db.audit import verify_database
from hipback.db.base import Base
from hipback.db.engine import require_current
from hipback.errors import ConfigurationError, InvalidInput

__all__ = ["BackupManifest", "backup", "restore", "row_counts"]


@dataclass(frozen=True)
class BackupManifest:
    dialect: str
    revision: str | None
    counts: dict[str, int]
    audit_entries: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "dialect": self.dialect,
            "revision": self.revision,
            "counts": self.counts,
            "audit_entries": self.audit_entries,
        }


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            name: int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)
            for name, table in sorted(Base.metadata.tables.items())
        }


def _libpq(engine: Engine) -> str:
    url = make_url(str(engine.url.render_as_string(hide_password=False)))
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _manifest_path(target: Path) -> Path:
    return target.with_name(target.name + ".manifest.json")


def backup(engine: Engine, target: Path) -> BackupManifest:
    require_current(engine)
    from hipback.db.engine import current_revision

    counts = row_counts(engine)
    if engine.dialect.name == "sqlite":
        source = engine.url.database
        if not source or source == ":memory:":
            raise ConfigurationError("cannot back up an in-memory SQLite database")
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
    elif engine.dialect.name == "postgresql":
        run = subprocess.run(
            ["pg_dump", "-Fc", "--no-owner", "-f", str(target), _libpq(engine)],
            capture_output=True,
            text=True,
            check=False,
        )
        if run.returncode != 0:
            raise ConfigurationError(f"pg_dump failed: {run.stderr.strip()}")
    else:
        raise ConfigurationError(f"backups of {engine.dialect.name} are not supported")
    manifest = BackupManifest(
        engine.dialect.name, current_revision(engine), counts, counts.get("audit_log", 0)
    )
    _manifest_path(target).write_text(json.dumps(manifest.as_dict(), indent=2))
    return manifest


def restore(engine: Engine, source: Path, *, force: bool = False) -> BackupManifest:
    """Load ``source`` into the (empty, unless ``force``) database and verify it."""
    manifest_file = _manifest_path(source)
    if not source.exists() or not manifest_file.exists():
        raise InvalidInput.one("backup", str(source), "a backup file with its .manifest.json")
    expected = json.loads(manifest_file.read_text())
    if expected["dialect"] != engine.dialect.name:
        raise InvalidInput.one(
            "backup", expected["dialect"], f"a {engine.dialect.name} backup for this database"
        )
    from sqlalchemy import inspect

    if inspect(engine).get_table_names() and not force:
        raise ConfigurationError("the target database is not empty; use --force to replace it")
    if engine.dialect.name == "sqlite":
        target = engine.url.database
        assert target
        engine.dispose()
        for suffix in ("-wal", "-shm"):
            Path(target + suffix).unlink(missing_ok=True)
        shutil.copyfile(source, target)
    else:
        engine.dispose()
        run = subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--exit-on-error",
                "-d",
                _libpq(engine),
                str(source),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if run.returncode != 0:
            raise ConfigurationError(f"pg_restore failed: {run.stderr.strip()}")
    counts = row_counts(engine)
    if counts != expected["counts"]:
        diff = {
            k: (expected["counts"].get(k), v)
            for k, v in counts.items()
            if expected["counts"].get(k) != v
        }
        raise ConfigurationError(f"restored row counts differ from the manifest: {diff}")
    report = verify_database(engine)
    if not report.ok:
        raise ConfigurationError(
            f"restored audit chain is broken at entry {report.first_bad_id}: {report.reason}"
        )
    return BackupManifest(engine.dialect.name, expected["revision"], counts, report.entries)
