"""``hipback audit verify``: check the hash chain of the audit log."""

from __future__ import annotations

import typer

app = typer.Typer(help="The append-only, hash-chained audit log.", no_args_is_help=True)


@app.command("verify")
def verify() -> None:
    """Recompute every entry's hash; name the first edited, deleted or reordered entry."""
    from hipback.config import load_settings
    from hipback.db import make_engine
    from hipback.db.audit import verify_database
    from hipback.db.engine import require_current

    engine = make_engine(load_settings())
    try:
        require_current(engine)
        report = verify_database(engine)
    finally:
        engine.dispose()
    if report.ok:
        print(f"hipback: audit chain intact ({report.entries} entries)")
        return
    print(f"hipback: audit chain BROKEN at entry id {report.first_bad_id}: {report.reason}")
    raise typer.Exit(1)
