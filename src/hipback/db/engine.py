"""Engine factory and migrations. Built on demand from Settings; never at import time."""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event

from hipback.config import Settings
from hipback.errors import ConfigurationError

if TYPE_CHECKING:  # Alembic is imported by the commands that migrate, not by every process
    from alembic.config import Config


def make_engine(settings: Settings) -> Engine:
    url = settings.database_url
    path = settings.sqlite_path()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("sqlite"):
        engine = create_engine(
            url, echo=settings.debug_sql, connect_args={"check_same_thread": False}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    # pool_recycle instead of pool_pre_ping: a pre-ping costs a round trip on every checkout
    return create_engine(url, echo=settings.debug_sql, pool_recycle=1800, pool_size=10)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # SQLAlchemy issues BEGIN itself (below), so the driver must not open transactions
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin_immediate(conn: Any) -> None:
    """Every transaction takes SQLite's write lock up front (and waits for it, busy_timeout).

    Nearly every transaction writes (reads are audited), and a deferred transaction that
    upgrades from reading to writing while another holds the lock fails at once with
    "database is locked" instead of waiting: found by the 20-client soak test.
    """
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("hipback.db") / "migrations"))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database forward (creates it from empty)."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def require_current(engine: Engine) -> None:
    """Refuse to work on a database that is not migrated to the code's schema."""
    current, head = current_revision(engine), head_revision(engine)
    if current != head:
        raise ConfigurationError(
            f"the database is at revision {current or 'empty'}, the code expects {head}: "
            "run `hipback db upgrade`"
        )
