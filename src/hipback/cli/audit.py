"""``hipback audit verify`` and ``hipback audit checkpoint``: the hash-chained audit log."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from hipback.config import Settings

app = typer.Typer(help="The append-only, hash-chained audit log.", no_args_is_help=True)


def _key(settings: Settings) -> bytes | None:
    return settings.audit_key.get_secret_value().encode() if settings.audit_key else None


@app.command("verify")
def verify(
    checkpoint: Annotated[
        Path | None,
        typer.Option(
            help="A file written by `hipback audit checkpoint`: also check the log "
            "still holds its entry."
        ),
    ] = None,
) -> None:
    """Recompute every entry's hash; name the first edited, deleted or reordered entry."""
    from hipback.config import load_settings
    from hipback.db import checkpoint as checkpoints
    from hipback.db import make_engine
    from hipback.db.audit import verify_database
    from hipback.db.engine import require_current

    settings = load_settings()
    saved = checkpoints.read(checkpoint) if checkpoint is not None else None
    engine = make_engine(settings)
    try:
        require_current(engine)
        report = verify_database(engine)
        problem = (
            checkpoints.check(engine, saved, _key(settings))
            if saved is not None and report.ok
            else None
        )
    finally:
        engine.dispose()
    if not report.ok:
        print(f"hipback: audit chain BROKEN at entry id {report.first_bad_id}: {report.reason}")
        raise typer.Exit(1)
    if problem is not None:
        print(f"hipback: audit log does NOT match the checkpoint: {problem}")
        raise typer.Exit(1)
    print(f"hipback: audit chain intact ({report.entries} entries)")
    if saved is not None:
        signed = "signed, signature checked" if _key(settings) else "signature not checked"
        print(f"hipback: checkpoint of {saved.written_at} holds (entry {saved.entry_id}; {signed})")


@app.command("checkpoint")
def checkpoint(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
) -> None:
    """Write the head of the log (entry id, hash, time) to keep outside the database; signed
    with HMAC-SHA256 when HIPBACK_AUDIT_KEY is set."""
    from hipback.config import load_settings
    from hipback.db import checkpoint as checkpoints
    from hipback.db import make_engine
    from hipback.db.engine import require_current
    from hipback.errors import InvalidInput

    settings = load_settings()
    engine = make_engine(settings)
    try:
        require_current(engine)
        taken = checkpoints.take(engine, _key(settings))
    finally:
        engine.dispose()
    try:
        output.write_text(taken.dumps())
    except OSError as exc:
        raise InvalidInput.one("--output", str(output), "a writable file", str(exc)) from None
    signed = "signed" if taken.signature else "unsigned (set HIPBACK_AUDIT_KEY to sign)"
    print(
        f"hipback: checkpoint at entry {taken.entry_id} of {taken.entries} written to {output} "
        f"({signed}); keep it outside this database"
    )
