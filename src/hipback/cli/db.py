"""``hipback db upgrade|current``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Database migrations.", no_args_is_help=True)


@app.command("upgrade")
def upgrade() -> None:
    """Create or migrate the database named by HIPBACK_DATABASE_URL (default: embedded SQLite)."""
    from hipback.config import load_settings
    from hipback.db import engine as db_engine

    settings = load_settings()
    engine = db_engine.make_engine(settings)
    db_engine.upgrade(engine)
    print(f"hipback: database at revision {db_engine.current_revision(engine)}")
    engine.dispose()


@app.command("current")
def current() -> None:
    """Print the database's migration revision."""
    from hipback.config import load_settings
    from hipback.db import engine as db_engine

    engine = db_engine.make_engine(load_settings())
    print(db_engine.current_revision(engine) or "empty")
    engine.dispose()


@app.command("backup")
def backup(
    output: Annotated[Path, typer.Option("--output", "-o", help="Backup file to write.")],
) -> None:
    """Consistent snapshot (SQLite online backup or pg_dump) plus a manifest of row counts."""
    from hipback.config import load_settings
    from hipback.db import backup as db_backup
    from hipback.db import engine as db_engine

    engine = db_engine.make_engine(load_settings())
    try:
        manifest = db_backup.backup(engine, output)
    finally:
        engine.dispose()
    total = sum(manifest.counts.values())
    print(f"hipback: backed up {total} rows ({manifest.audit_entries} audit entries) to {output}")


@app.command("restore")
def restore(
    source: Annotated[Path, typer.Argument(help="Backup file written by `hipback db backup`.")],
    force: Annotated[bool, typer.Option(help="Replace a database that is not empty.")] = False,
) -> None:
    """Restore a backup, then verify row counts against its manifest and the audit chain."""
    from hipback.config import load_settings
    from hipback.db import backup as db_backup
    from hipback.db import engine as db_engine

    engine = db_engine.make_engine(load_settings())
    try:
        manifest = db_backup.restore(engine, source, force=force)
    finally:
        engine.dispose()
    print(
        f"hipback: restored and verified {sum(manifest.counts.values())} rows; "
        f"audit chain intact ({manifest.audit_entries} entries)"
    )
    if manifest.previous:
        print(
            f"hipback: the replaced database is kept as {manifest.previous!r}; "
            "drop it when you no longer need it"
        )
