"""``hipback demo`` remembers it loaded demo data and refuses real databases; the server labels
a demo database whatever HIPBACK_DEMO says; ``hipback users unlock`` (issue 12, items 3 and 4)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from hipback.cli import app
from hipback.config import Settings
from hipback.db import make_engine, upgrade
from hipback.errors import Conflict, NotFound
from hipback.web import create_app

runner = CliRunner()
BANNER = "Synthetic demo data: every patient and result on this site is invented."


def _count(url: str, table: str) -> int:
    engine = make_engine(Settings(database_url=url))
    with engine.connect() as conn:
        n = int(conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar() or 0)
    engine.dispose()
    return n


def test_demo_database_is_labelled_without_demo_mode(sqlite_url: str) -> None:
    env = {"HIPBACK_DATABASE_URL": sqlite_url}
    loaded = runner.invoke(app, ["demo", "--patients", "2"], env=env)
    assert loaded.exit_code == 0, loaded.output
    again = runner.invoke(app, ["demo", "--patients", "2"], env=env)
    assert again.exit_code == 0 and "already present" in again.output
    # served without HIPBACK_DEMO: every page still says the data are synthetic
    with TestClient(create_app(Settings(database_url=sqlite_url, demo=False))) as client:
        for url in ("/login", "/measures", "/measures/nprs"):
            assert BANNER in client.get(url).text, url


def test_plain_database_has_no_banner(sqlite_url: str) -> None:
    engine = make_engine(Settings(database_url=sqlite_url))
    upgrade(engine)
    engine.dispose()
    with TestClient(create_app(Settings(database_url=sqlite_url))) as client:
        assert BANNER not in client.get("/login").text


def test_demo_refuses_a_database_with_real_records(sqlite_url: str) -> None:
    env = {"HIPBACK_DATABASE_URL": sqlite_url}
    made = runner.invoke(
        app,
        [
            "users",
            "create",
            "--username",
            "ada",
            "--role",
            "admin",
            "--password",
            "a real clinic admin password",
        ],
        env=env,
    )
    assert made.exit_code == 0, made.output
    before = _count(sqlite_url, "audit_log")
    refused = runner.invoke(app, ["demo", "--patients", "2"], env=env)
    assert isinstance(refused.exception, Conflict)  # `hipback` prints it and exits 1
    assert "holds user accounts" in str(refused.exception)
    assert _count(sqlite_url, "patients") == 0
    assert _count(sqlite_url, "audit_log") == before  # nothing written


def test_unlock_clears_failed_sign_ins(sqlite_url: str) -> None:
    env = {"HIPBACK_DATABASE_URL": sqlite_url}
    runner.invoke(app, ["demo", "--patients", "1"], env=env)
    engine = make_engine(Settings(database_url=sqlite_url))
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO sign_in_failures (key, failures, last_at) VALUES "
                "('acct:therapist|addr:10.0.0.66', 9, :at), ('addr:10.0.0.66', 9, :at), "
                "('acct:assessor|addr:10.0.0.66', 9, :at)"
            ),
            {"at": date.today().isoformat()},
        )
    engine.dispose()
    result = runner.invoke(app, ["users", "unlock", "therapist"], env=env)
    assert result.exit_code == 0, result.output
    engine = make_engine(Settings(database_url=sqlite_url))
    with engine.connect() as conn:
        keys = set(conn.execute(sa.text("SELECT key FROM sign_in_failures")).scalars())
    engine.dispose()
    assert keys == {"addr:10.0.0.66", "acct:assessor|addr:10.0.0.66"}
    missing = runner.invoke(app, ["users", "unlock", "nobody"], env=env)
    assert isinstance(missing.exception, NotFound)
