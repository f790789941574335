"""The ``hipback`` command line. Thin: parse, call the domain or a service, print.

``run()`` maps :class:`hipback.errors.HipbackError` to exit status 2 (bad input) or 1 (other
failures) with one line on stderr, never a traceback.
"""

from __future__ import annotations

import sys

import typer

from hipback.cli import audit as audit_cli
from hipback.cli import clinic as clinic_cli
from hipback.cli import db as db_cli
from hipback.cli import fhir as fhir_cli
from hipback.cli import measures as measures_cli
from hipback.cli import plans as plans_cli
from hipback.cli import screening as screening_cli
from hipback.cli import serve as serve_cli
from hipback.cli import trial as trial_cli
from hipback.errors import HipbackError, InvalidInput

app = typer.Typer(
    name="hipback",
    help="hipback: outcome measures, care plans, clinic records and trial mode for hip-focused "
    "physical therapy in older adults with chronic low back pain.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command("score")(measures_cli.score_command)
app.add_typer(measures_cli.app, name="measures")
app.add_typer(db_cli.app, name="db")
app.command("serve")(serve_cli.serve)
app.command("demo")(clinic_cli.demo)
app.add_typer(clinic_cli.users_app, name="users")
app.add_typer(audit_cli.app, name="audit")
app.command("screen")(screening_cli.screen_command)
app.add_typer(trial_cli.app, name="trial")
app.add_typer(screening_cli.schema_app, name="schema")
app.add_typer(fhir_cli.app, name="fhir")
app.add_typer(fhir_cli.export_app, name="export")
app.command("plan")(plans_cli.plan_command)
app.command("progress")(plans_cli.progress_command)


def run() -> None:
    """Entry point: Typer reports usage errors (exit 2); hipback errors are mapped here."""
    try:
        app()
    except HipbackError as exc:
        print(f"hipback: error: {exc}", file=sys.stderr)
        raise SystemExit(2 if isinstance(exc, InvalidInput) else 1) from None


__all__ = ["app", "run"]
