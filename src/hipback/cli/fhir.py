"""``hipback fhir export|import`` and ``hipback export research`` on the configured database.

Like ``hipback demo``, these act as the ``cli`` operator (admin role): whoever runs them holds
the database already. Every export and import is audited under that name.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

from hipback.cli.clinic import _uow_factory, operator
from hipback.errors import InvalidInput

app = typer.Typer(help="HL7 FHIR R4 export and import (collection Bundles).", no_args_is_help=True)
export_app = typer.Typer(help="De-identified exports for researchers.", no_args_is_help=True)
KEY_ENV = "HIPBACK_RESEARCH_KEY"


@app.command("export")
def export_command(
    output: Annotated[Path, typer.Option(help="Bundle JSON file to write.")],
    patient: Annotated[int | None, typer.Option(help="Patient id (one patient).")] = None,
    all_patients: Annotated[bool, typer.Option("--all", help="Every patient.")] = False,
) -> None:
    """Export one patient (--patient ID) or the whole clinic (--all) as a FHIR Bundle."""
    from hipback.services import interop

    if (patient is None) == (not all_patients):
        raise InvalidInput.one("--patient/--all", None, "exactly one of --patient ID or --all")
    engine, uow_for = _uow_factory()
    with uow_for(operator()) as uow:
        if patient is not None:
            bundle = interop.export_bundle(uow, patient)
        else:
            bundle = interop.export_all(uow)
    engine.dispose()
    output.write_text(json.dumps(bundle, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"hipback: wrote {len(bundle['entry'])} entries to {output}")


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="Bundle JSON file written by fhir export.")],
    update_identity: Annotated[
        bool,
        typer.Option(
            help="Allow the Bundle to change an existing patient's name, date of birth or sex "
            "(each change is audited)."
        ),
    ] = False,
) -> None:
    """Import a Bundle (idempotent; all or nothing). Prints what was created or updated."""
    from hipback.core import safejson
    from hipback.services import interop

    try:
        bundle = safejson.load(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput.one("FILE", str(file), "a readable JSON file", str(exc)) from None
    engine, uow_for = _uow_factory()
    with uow_for(operator()) as uow:
        summary = interop.import_bundle(uow, bundle, update_identity=update_identity)
    engine.dispose()
    print(json.dumps(summary.as_dict(), indent=1))


@export_app.command("research")
def research_command(
    output: Annotated[Path, typer.Option(help="File to write: .csv or .parquet.")],
    key_env: Annotated[
        str, typer.Option(help="Environment variable holding the pseudonym key.")
    ] = KEY_ENV,
) -> None:
    """De-identified long-format outcomes (keyed-hash participant ids, age bands, no dates)."""
    from hipback.services.research import write_research

    key = os.environ.get(key_env, "")
    if not key:
        raise InvalidInput.one(
            key_env, None, "a secret of at least 16 characters (keep it to re-link pseudonyms)"
        )
    engine, uow_for = _uow_factory()
    with uow_for(operator()) as uow:
        n = write_research(uow, key.encode("utf-8"), output)
    engine.dispose()
    print(f"hipback: wrote {n} rows to {output}")
