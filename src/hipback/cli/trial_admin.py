"""``hipback trial init|randomise|status|verify|consort``: file-based trial administration.

Thin: parse options, call :mod:`hipback.trial.filestore` / :mod:`hipback.trial.consort`, print.
:func:`register` adds the commands to the ``trial`` sub-app of :mod:`hipback.cli.trial`. The
database-backed workflow comes with clinic records (issue 4); see docs/trial.md.
"""

from __future__ import annotations

import getpass
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from hipback.errors import Conflict, InvalidInput

# The trial modules are imported by each command, so that `hipback --help` and other commands
# do not pay for them.

app = typer.Typer(help="Trial administration: concealed randomisation and CONSORT.")


def init_command(
    config: Annotated[Path, typer.Argument(help="Set-up TOML: [trial] name, [randomisation].")],
    output: Annotated[Path, typer.Option("--output", "-o", help="New trial directory.")],
) -> None:
    """Generate and seal the allocation list; print the commitment to publish."""
    from hipback.trial import filestore

    name, settings = filestore.read_config(config)
    public = filestore.initialise(output, name, settings, datetime.now(UTC))
    print(f"Trial: {name}")
    print(f"Strata: {len(public['strata'])}; slots per stratum >= {settings.slots_per_stratum}")
    print(f"Sealed list: {output / filestore.SEALED} (keep secret; mode 0600)")
    print(f"Public record: {output / filestore.PUBLIC}")
    print("Commitment (publish before the first enrolment):")
    print(public["commitment"])


def _factors(site: str | None, sex: str | None, factor: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    if site is not None:
        values["site"] = site
    if sex is not None:
        values["sex"] = sex
    for item in factor:
        key, sep, value = item.partition("=")
        if not sep or not key or not value:
            raise InvalidInput.one("--factor", item, "NAME=LEVEL, e.g. --factor region=north")
        values[key] = value
    return values


def randomise_command(
    directory: Annotated[Path, typer.Argument(help="Trial directory made by `trial init`.")],
    participant: Annotated[str, typer.Option("--participant", help="Participant id.")],
    site: Annotated[str | None, typer.Option(help="Stratum: site.")] = None,
    sex: Annotated[str | None, typer.Option(help="Stratum: sex.")] = None,
    factor: Annotated[
        list[str] | None, typer.Option(help="Other stratum factor as NAME=LEVEL (repeatable).")
    ] = None,
    eligible: Annotated[bool, typer.Option("--eligible", help="Screening found eligible.")] = False,
    consented: Annotated[
        bool, typer.Option("--consented", help="Informed consent recorded.")
    ] = False,
    randomised_by: Annotated[
        str | None, typer.Option("--by", help="Who randomises (default: the login name).")
    ] = None,
) -> None:
    """Reveal the next allocation of the participant's stratum and log it."""
    from hipback.trial import filestore
    from hipback.trial.concealment import RandomisationRequest

    request = RandomisationRequest(
        participant_id=participant,
        strata=_factors(site, sex, factor or []),
        eligible=eligible,
        consented=consented,
        randomised_by=randomised_by if randomised_by is not None else getpass.getuser(),
        at=datetime.now(UTC),
    )
    record = filestore.randomise(directory, request)
    print(json.dumps(record.as_dict(), indent=2))


def status_command(
    directory: Annotated[Path, typer.Argument(help="Trial directory made by `trial init`.")],
) -> None:
    """Randomised and remaining slots per stratum (no arms), and log integrity."""
    from hipback.trial import filestore

    print(json.dumps(filestore.status(directory), indent=2))


def verify_command(
    directory: Annotated[
        Path,
        typer.Argument(
            help="Directory with commitment.json, the disclosed sealed list and the log."
        ),
    ],
) -> None:
    """End-of-trial check: the disclosed list matches the commitment and the log."""
    from hipback.trial import filestore

    result = filestore.verify_disclosed(
        directory / filestore.PUBLIC, directory / filestore.SEALED, directory / filestore.LOG
    )
    print(json.dumps(result, indent=2))
    if not result["ok"]:
        raise Conflict(
            "verification failed: "
            + "; ".join([*result["problems"], *result.get("log_problems", [])])
        )


def consort_command(
    records: Annotated[Path, typer.Argument(help="Participant-flow records (JSON).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="SVG file to write.")],
    title: Annotated[str, typer.Option(help="Diagram title.")] = "CONSORT flow diagram",
) -> None:
    """Count the CONSORT flow from records, draw it as SVG, and print the counts as JSON."""
    from hipback.trial.consort import FlowRecords, consort_flow
    from hipback.trial.consort_svg import consort_svg

    try:
        data: Any = json.loads(records.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InvalidInput.one(str(records), "file", "a JSON object", exc.msg) from None
    if not isinstance(data, dict):
        raise InvalidInput.one(str(records), type(data).__name__, "a JSON object")
    flow = consort_flow(FlowRecords.from_mapping(data))
    problems = flow.check()
    if problems:
        raise Conflict("CONSORT counts do not add up: " + "; ".join(problems))
    output.write_text(consort_svg(flow, title), encoding="utf-8")
    print(json.dumps(flow.as_dict(), indent=2, ensure_ascii=False))


def register(target: typer.Typer) -> None:
    """Add these commands to a ``trial`` Typer app."""
    target.command("init")(init_command)
    target.command("randomise")(randomise_command)
    target.command("status")(status_command)
    target.command("verify")(verify_command)
    target.command("consort")(consort_command)


register(app)
