"""``hipback db upgrade|current``."""

from __future__ import annotations

import typer

from hipback.config import load_settings

app = typer.Typer(help="Database migrations.", no_args_is_help=True)


@app.command("upgrade")
def upgrade() -> None:
    """Create or migrate the database named by HIPBACK_DATABASE_URL (default: embedded SQLite)."""
    from hipback.db import engine as db_engine

    settings = load_settings()
    engine = db_engine.make_engine(settings)
    db_engine.upgrade(engine)
    print(f"hipback: database at revision {db_engine.current_revision(engine)}")
    engine.dispose()


@app.command("current")
def current() -> None:
    """Print the database's migration revision."""
    from hipback.db import engine as db_engine

    engine = db_engine.make_engine(load_settings())
    print(db_engine.current_revision(engine) or "empty")
    engine.dispose()
