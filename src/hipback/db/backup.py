"""Consistent backups and verified restores, for SQLite and PostgreSQL.

A backup is the database file (SQLite online-backup API: a consistent snapshot while the app
runs) or a ``pg_dump -Fc`` archive (one transaction-consistent snapshot), plus a manifest
``<file>.manifest.json`` with every table's row count. Both files hold password and session
hashes, so they are written readable by their owner only (mode 0600).

A restore never touches the live database until the backup has proved good: it loads the backup
into a new file (SQLite) or a new database on the same server (PostgreSQL), verifies the row
counts against the manifest and the whole audit chain there, and only then swaps it in (an
atomic rename of the file; ``ALTER DATABASE … RENAME`` on PostgreSQL, keeping the previous
database under a new name). A tampered or damaged backup leaves the previous database as it was.
"""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, func, inspect, select, text
from sqlalchemy.engine import URL, make_url

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
    #: PostgreSQL: the name the replaced (non-empty) database was kept under after a restore
    previous: str | None = None

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


def _private_file(path: Path) -> None:
    """Create (or truncate) ``path`` readable and writable by its owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)  # an existing file keeps its old mode otherwise


def backup(engine: Engine, target: Path) -> BackupManifest:
    require_current(engine)
    from hipback.db.engine import current_revision

    counts = row_counts(engine)
    _private_file(target)
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
    _private_file(_manifest_path(target))
    _manifest_path(target).write_text(json.dumps(manifest.as_dict(), indent=2))
    return manifest


def restore(engine: Engine, source: Path, *, force: bool = False) -> BackupManifest:
    """Verify ``source`` in a new database, then swap it in for ``engine``'s database.

    The target must be empty unless ``force``. On any failure the target is untouched.
    """
    manifest_file = _manifest_path(source)
    if not source.exists() or not manifest_file.exists():
        raise InvalidInput.one("backup", str(source), "a backup file with its .manifest.json")
    expected = json.loads(manifest_file.read_text())
    if expected["dialect"] != engine.dialect.name:
        raise InvalidInput.one(
            "backup", expected["dialect"], f"a {engine.dialect.name} backup for this database"
        )
    empty = not inspect(engine).get_table_names()
    if not empty and not force:
        raise ConfigurationError("the target database is not empty; use --force to replace it")
    if engine.dialect.name == "sqlite":
        return _restore_sqlite(engine, source, expected)
    return _restore_postgresql(engine, source, expected, keep_previous=not empty)


def _verified(engine: Engine, expected: dict[str, Any]) -> BackupManifest:
    """Row counts equal the manifest's and the whole audit chain verifies, or raise."""
    counts = row_counts(engine)
    if counts != expected["counts"]:
        diff = {
            k: (expected["counts"].get(k), v)
            for k, v in counts.items()
            if expected["counts"].get(k) != v
        }
        raise ConfigurationError(
            f"restored row counts differ from the manifest: {diff}; the database was not changed"
        )
    report = verify_database(engine)
    if not report.ok:
        raise ConfigurationError(
            f"the backup's audit chain is broken at entry {report.first_bad_id}: {report.reason}; "
            "the database was not changed"
        )
    return BackupManifest(engine.dialect.name, expected["revision"], counts, report.entries)


def _restore_sqlite(engine: Engine, source: Path, expected: dict[str, Any]) -> BackupManifest:
    target = Path(engine.url.database or "")
    staged = target.with_name(f"{target.name}.restoring-{secrets.token_hex(4)}")
    _private_file(staged)
    try:
        shutil.copyfile(source, staged)
        staged_engine = create_engine(f"sqlite:///{staged}")
        try:
            manifest = _verified(staged_engine, expected)
        finally:
            staged_engine.dispose()
        # fold the old database's write-ahead log into it, so no stale -wal is left beside the
        # new file, then swap the files in one atomic rename
        if target.exists():
            with sqlite3.connect(target) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(staged, target)
    finally:
        staged.unlink(missing_ok=True)
    return manifest


@contextmanager
def _maintenance(engine: Engine) -> Iterator[Any]:
    """An autocommit connection to the server's ``postgres`` database (not the target)."""
    url: URL = engine.url.set(database="postgres")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            yield conn
    finally:
        admin.dispose()


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _restore_postgresql(
    engine: Engine, source: Path, expected: dict[str, Any], *, keep_previous: bool
) -> BackupManifest:
    target = engine.url.database or ""
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    staged = f"{target[:40]}_restoring_{secrets.token_hex(4)}"
    previous = f"{target[:40]}_before_{stamp}"
    staged_url = engine.url.set(database=staged)
    with _maintenance(engine) as conn:
        conn.execute(text(f"CREATE DATABASE {_quoted(staged)}"))
    swapped = False
    try:
        run = subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                "-d",
                staged_url.set(drivername="postgresql").render_as_string(hide_password=False),
                str(source),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if run.returncode != 0:
            raise ConfigurationError(
                f"pg_restore failed: {run.stderr.strip()}; the database was not changed"
            )
        staged_engine = create_engine(staged_url)
        try:
            manifest = _verified(staged_engine, expected)
        finally:
            staged_engine.dispose()
        engine.dispose()
        with _maintenance(engine) as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": target},
            )
            conn.execute(text(f"ALTER DATABASE {_quoted(target)} RENAME TO {_quoted(previous)}"))
            try:
                conn.execute(text(f"ALTER DATABASE {_quoted(staged)} RENAME TO {_quoted(target)}"))
            except Exception:
                conn.execute(
                    text(f"ALTER DATABASE {_quoted(previous)} RENAME TO {_quoted(target)}")
                )
                raise
            swapped = True
            if not keep_previous:
                conn.execute(text(f"DROP DATABASE {_quoted(previous)}"))
    finally:
        if not swapped:
            with _maintenance(engine) as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {_quoted(staged)} WITH (FORCE)"))
    return dataclasses.replace(manifest, previous=previous if keep_previous else None)
