"""``hipback plan EVAL.json`` and ``hipback progress PLAN.json SESSION.json``.

Screening policy (see hipback.protocol.plan): *refer* never gets a plan; *ineligible* or
*incomplete* only with ``--override-screening`` (clinic use outside the trial).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import ValidationError

from hipback.cli.jsonio import read_json_object
from hipback.config import Settings, load_settings
from hipback.errors import InvalidInput, Problem

if TYPE_CHECKING:  # the protocol and screening are imported by the commands that use them
    from hipback.protocol.catalog import Condition
    from hipback.protocol.findings import Side

FORMATS = ("json", "text", "html")


def parse_conditions(text: str | None) -> dict[Condition, frozenset[Side] | None]:
    """``anticoagulation,hip_replacement_other:left`` → conditions, optionally per side."""
    from hipback.protocol.catalog import Condition
    from hipback.protocol.findings import SIDES

    out: dict[Condition, frozenset[Side] | None] = {}
    problems: list[Problem] = []
    allowed = ", ".join(c.value for c in Condition)
    for token in (t.strip() for t in (text or "").split(",") if t.strip()):
        name, _, side = token.partition(":")
        try:
            condition = Condition(name)
        except ValueError:
            problems.append(Problem("--conditions", name, allowed))
            continue
        if side and side not in SIDES:
            problems.append(Problem("--conditions", token, "CONDITION or CONDITION:left|right"))
            continue
        out[condition] = frozenset({side}) if side in SIDES else None
    if problems:
        raise InvalidInput(problems)
    return out


def _settings() -> Settings:
    """HIPBACK_* settings; a bad value is reported by its variable name."""
    try:
        return load_settings()
    except ValidationError as exc:
        raise InvalidInput(
            Problem(f"HIPBACK_{str(err['loc'][0]).upper()}", err.get("input"), err["msg"])
            for err in exc.errors()
        ) from None


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput.one("--start", text, "an ISO date YYYY-MM-DD") from None


def plan_command(
    evaluation: Annotated[Path, typer.Argument(help="Evaluation JSON file ('-' for stdin).")],
    arm: Annotated[str, typer.Option("--arm", help="hip or spine.")],
    start: Annotated[str, typer.Option("--start", help="First possible session, YYYY-MM-DD.")],
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="json (default), text or html.")
    ] = "json",
    closed_weekdays: Annotated[
        str | None,
        typer.Option(
            "--closed-weekdays",
            help="Days the clinic is closed, e.g. sat,sun (default: HIPBACK_CLOSED_WEEKDAYS, "
            "else sat,sun).",
        ),
    ] = None,
    closure_dates: Annotated[
        str | None,
        typer.Option(
            "--closure-dates",
            "--holidays",
            help="Other days the clinic is closed, e.g. 2026-12-24,2026-12-31 (default: "
            "HIPBACK_CLOSURE_DATES).",
        ),
    ] = None,
    country: Annotated[
        str | None,
        typer.Option(
            "--country",
            help="Country whose public holidays close the clinic, e.g. US, GB, CA (default: "
            "HIPBACK_COUNTRY, else US).",
        ),
    ] = None,
    subdivision: Annotated[
        str | None,
        typer.Option(
            "--subdivision",
            help="State or province adding its own holidays, e.g. DE (default: "
            "HIPBACK_SUBDIVISION).",
        ),
    ] = None,
    no_holidays: Annotated[
        bool,
        typer.Option(
            "--no-holidays",
            help="Ignore public holidays (closure dates and closed weekdays still apply).",
        ),
    ] = False,
    session_minutes: Annotated[
        int | None,
        typer.Option(
            "--session-minutes",
            help="Clinic session length in minutes, 30-180 (default: HIPBACK_SESSION_MINUTES, "
            "else 60).",
        ),
    ] = None,
    conditions: Annotated[
        str | None,
        typer.Option(
            "--conditions",
            help="Precaution conditions the evaluation has no field for, e.g. "
            "anticoagulation,fall_risk,cannot_kneel,hip_replacement_other:left.",
        ),
    ] = None,
    override_screening: Annotated[
        bool,
        typer.Option(
            "--override-screening",
            help="Plan an ineligible or incomplete evaluation (clinic use outside the trial). "
            "Never overrides a red-flag referral.",
        ),
    ] = False,
) -> None:
    """Make a 16-session treatment plan (2/week for 8 weeks) for one arm: planned progression,
    a gentler start for an irritable presentation, sessions fitted to the clinic's session
    length, education, and a calendar that avoids public holidays and closures."""
    from hipback.protocol.plan import generate_plan
    from hipback.protocol.render import as_html, as_text
    from hipback.protocol.schedule import ClinicCalendar
    from hipback.screening import load_evaluation

    if output_format not in FORMATS:
        raise InvalidInput.one("--format", output_format, "json, text or html")
    settings = _settings()
    dates = closure_dates
    if dates is None:
        dates = ",".join(d.isoformat() for d in settings.closure_dates)
    calendar = ClinicCalendar.parse(
        settings.closed_weekdays if closed_weekdays is None else closed_weekdays,
        dates,
        None if no_holidays else (settings.country if country is None else country),
        None if no_holidays else (settings.subdivision if subdivision is None else subdivision),
    )
    minutes = settings.session_minutes if session_minutes is None else session_minutes
    try:
        record = load_evaluation(read_json_object(evaluation))
    except InvalidInput as exc:
        count = len(exc.problems)
        lines = [f"hipback: error: invalid evaluation ({count} problem{'s' * (count != 1)}):"]
        lines += [f"  {p}" for p in exc.problems]
        typer.echo("\n".join(lines), err=True)
        raise SystemExit(2) from None
    plan = generate_plan(
        record,
        arm,
        _date(start),
        calendar=calendar,
        session_minutes=minutes,
        override_screening=override_screening,
        declared_conditions=parse_conditions(conditions),
    )
    if output_format == "text":
        typer.echo(as_text(plan), nl=False)
    elif output_format == "html":
        typer.echo(as_html(plan), nl=False)
    else:
        typer.echo(plan.to_json())


def progress_command(
    plan_file: Annotated[Path, typer.Argument(help="Plan JSON written by `hipback plan`.")],
    session_file: Annotated[Path, typer.Argument(help="Documented session JSON.")],
    write: Annotated[
        Path | None,
        typer.Option("--write", "-w", help="Write the plan with updated doses to this file."),
    ] = None,
) -> None:
    """Propose the next dose of each documented item: progress, hold or regress.

    If the session records outcome ``measures`` (e.g. at the 4-week reassessment), they are
    compared with the evaluation's baseline and a "not responding" flag is raised when no
    measure improved beyond its minimal detectable change.
    """
    from hipback.protocol.plan import load_plan
    from hipback.protocol.progression import RULE, load_session, propose, reassess_session

    plan = load_plan(read_json_object(plan_file))
    record = load_session(read_json_object(session_file))
    proposals, updated = propose(plan, record)
    body: dict[str, Any] = {
        "rule": RULE,
        "session": record.session,
        "proposals": [p.model_dump(mode="json", exclude_none=True) for p in proposals],
    }
    result = reassess_session(plan, record)
    if result is not None:
        body["reassessment"] = result.as_dict()
    if write is not None:
        write.write_text(updated.to_json() + "\n", encoding="utf-8")
        body["updated_plan"] = str(write)
    typer.echo(json.dumps(body, indent=2, ensure_ascii=False))
