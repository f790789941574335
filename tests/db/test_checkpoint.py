"""Audit checkpoints catch a cut or wiped log that the chain alone cannot; PostgreSQL refuses
UPDATE, DELETE and TRUNCATE on the audit tables (issue 12, item 5)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from hipback.cli import app
from hipback.config import Settings
from hipback.db import checkpoint, make_engine, upgrade
from hipback.db.audit import GENESIS, append, verify_database

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
KEY = b"a key kept outside the database"


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(Settings(database_url=db_url))
    upgrade(engine)
    with Session(engine) as session, session.begin():
        for i in range(5):
            append(
                session,
                at=T0 + timedelta(minutes=i),
                actor="therapist:1",
                action="outcome.recorded",
                subject=f"patient:{i}",
                detail={"n": i},
            )
    yield engine
    engine.dispose()


def _as_insider(engine: Engine, *statements: str) -> None:
    """Run SQL as someone with full database rights (PostgreSQL triggers switched off)."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
        for statement in statements:
            conn.execute(sa.text(statement))


def _cut_newest(engine: Engine, keep: int) -> None:
    with engine.connect() as conn:
        ids = conn.execute(sa.text("SELECT id, hash FROM audit_log ORDER BY id")).all()
    last_id, last_hash = ids[keep - 1] if keep else (0, GENESIS)
    _as_insider(
        engine,
        f"DELETE FROM audit_log WHERE id > {last_id}",
        f"UPDATE audit_head SET seq = {keep}, hash = '{last_hash}' WHERE id = 1",
    )


@pytest.mark.parametrize("keep", [3, 0], ids=["cut-tail", "wiped"])
def test_checkpoint_catches_a_cut_or_wiped_log(engine: Engine, keep: int) -> None:
    taken = checkpoint.take(engine)
    assert taken.entries == 5 and taken.entry_id > 0
    assert checkpoint.check(engine, taken) is None
    _cut_newest(engine, keep)
    assert verify_database(engine).ok  # the chain alone cannot tell
    reason = checkpoint.check(engine, taken)
    assert reason is not None and "deleted" in reason


def test_checkpoint_catches_a_rewritten_log(engine: Engine) -> None:
    taken = checkpoint.take(engine)
    _as_insider(
        engine, "DELETE FROM audit_log", f"UPDATE audit_head SET seq = 0, hash = '{GENESIS}'"
    )
    with Session(engine) as session, session.begin():  # a forged history of the same length
        for i in range(5):
            append(session, at=T0, actor="x", action="forged", subject="s", detail={"i": i})
    if engine.dialect.name == "sqlite":  # SQLite reuses the ids of deleted rows
        reason = checkpoint.check(engine, taken)
        assert reason is not None and "rewritten" in reason
    else:
        assert checkpoint.check(engine, taken) is not None


def test_signed_checkpoints(engine: Engine, tmp_path: Path) -> None:
    taken = checkpoint.take(engine, KEY)
    assert taken.signature and taken.signature_matches(KEY)
    assert checkpoint.check(engine, taken, KEY) is None
    forged = json.loads(taken.dumps()) | {"entry_id": 1}
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(forged))
    assert "signature does not match" in (
        checkpoint.check(engine, checkpoint.read(path), KEY) or ""
    )
    unsigned = checkpoint.take(engine)
    assert "not signed" in (checkpoint.check(engine, unsigned, KEY) or "")
    assert "another key" in (checkpoint.check(engine, taken, b"another key") or "")


def test_cli_checkpoint_and_verify(engine: Engine, db_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"HIPBACK_DATABASE_URL": db_url, "HIPBACK_AUDIT_KEY": KEY.decode()}
    path = tmp_path / "head.json"
    written = runner.invoke(app, ["audit", "checkpoint", "--output", str(path)], env=env)
    assert written.exit_code == 0, written.output
    assert "signed" in written.output
    ok = runner.invoke(app, ["audit", "verify", "--checkpoint", str(path)], env=env)
    assert ok.exit_code == 0, ok.output
    assert "checkpoint of" in ok.output and "signature checked" in ok.output
    _cut_newest(engine, 2)
    plain = runner.invoke(app, ["audit", "verify"], env=env)
    assert plain.exit_code == 0  # the documented gap without a checkpoint
    cut = runner.invoke(app, ["audit", "verify", "--checkpoint", str(path)], env=env)
    assert cut.exit_code == 1
    assert "does NOT match the checkpoint" in cut.output and "deleted" in cut.output


@pytest.mark.pg
def test_postgresql_refuses_changes_to_the_audit_tables(pg_url: str) -> None:
    engine = make_engine(Settings(database_url=pg_url))
    upgrade(engine)
    try:
        with Session(engine) as session, session.begin():
            for i in range(3):
                append(session, at=T0, actor="a", action="x", subject="s", detail={"i": i})
        for statement in (
            "UPDATE audit_log SET detail = '{}' WHERE id = 1",
            "DELETE FROM audit_log WHERE id = 3",
            "TRUNCATE audit_log",
            f"UPDATE audit_head SET seq = 1, hash = '{GENESIS}'",
            "DELETE FROM audit_head",
            "TRUNCATE audit_head",
        ):
            with (
                pytest.raises(sa.exc.DBAPIError, match=r"append-only|only moves forward"),
                engine.begin() as conn,
            ):
                conn.execute(sa.text(statement))
        with Session(engine) as session, session.begin():  # appends still work
            append(session, at=T0, actor="a", action="x", subject="s", detail={"i": 9})
        report = verify_database(engine)
        assert report.ok and report.entries == 4
    finally:
        engine.dispose()
