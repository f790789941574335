"""``hipback screen EVAL.json`` and ``hipback schema evaluation``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from hipback.cli.jsonio import read_json_object
from hipback.errors import InvalidInput

schema_app = typer.Typer(
    help="Print the JSON Schema of hipback's input files.", no_args_is_help=True
)


FORMATS = ("json", "text")


def screen_command(
    evaluation: Annotated[Path, typer.Argument(help="Evaluation JSON file ('-' for stdin).")],
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="json (default) or readable text.")
    ] = "json",
) -> None:
    """Screen an evaluation for MASH eligibility, red flags and hip subgroup.

    Exit status 0 on any decision (eligible, ineligible, refer, incomplete); 2 with one line per
    bad field on stderr if the evaluation is invalid.
    """
    from hipback.screening import render_text, screen

    if output_format not in FORMATS:
        raise InvalidInput.one("--format", output_format, "json or text")
    try:
        result = screen(read_json_object(evaluation))
    except InvalidInput as exc:
        count = len(exc.problems)
        lines = [f"hipback: error: invalid evaluation ({count} problem{'s' * (count != 1)}):"]
        lines += [f"  {p}" for p in exc.problems]
        typer.echo("\n".join(lines), err=True)
        raise SystemExit(2) from None
    if output_format == "text":
        typer.echo(render_text(result), nl=False)
    else:
        typer.echo(result.model_dump_json(indent=2))


@schema_app.command("evaluation")
def evaluation_schema_command() -> None:
    """The JSON Schema of a first-visit evaluation (the input of `hipback screen`)."""
    from hipback.screening import evaluation_schema

    typer.echo(json.dumps(evaluation_schema(), indent=2, ensure_ascii=False))
