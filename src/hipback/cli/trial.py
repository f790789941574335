"""``hipback trial analyse|simulate|power``: the MMRM analysis of any long CSV, MASH-like
simulated datasets, and power by simulation (with a progress bar on stderr).

Thin: parse options, call :mod:`hipback.trial.analysis`, print. JSON goes to stdout; NaN and
infinities are written as null so the output is strict JSON.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hipback.cli.trial_admin import register as register_admin_commands
from hipback.core.escaping import write_csv
from hipback.errors import InvalidInput

if TYPE_CHECKING:  # the analysis (NumPy, SciPy) is imported by the command that runs it
    import numpy as np

    from hipback.trial.analysis.power import PowerResult
    from hipback.trial.analysis.responder import Direction

app = typer.Typer(help="Trial mode: analysis (MMRM), simulation and power.", no_args_is_help=True)
# init, randomise, status, verify, consort (file-based administration): hipback.cli.trial_admin
register_admin_commands(app)

FORMATS = ("json", "text")
ANALYSE_FORMATS = ("json", "text", "csv")
#: the long-CSV columns, for the help text (hipback.trial.analysis.dataset.COLUMNS; a test keeps
#: the two equal, so `--help` need not import the analysis)
CSV_COLUMNS = "participant_id, arm, site, sex, visit, baseline, outcome"


def _clean(value: object) -> object:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def _dump(data: dict[str, object]) -> str:
    return json.dumps(_clean(data), indent=2, ensure_ascii=False, allow_nan=False)


def _floats(option: str, text: str | None) -> list[float] | None:
    if text is None:
        return None
    try:
        values = [float(x) for x in text.split(",")]
    except ValueError:
        raise InvalidInput.one(
            option, text, "numbers separated by commas, e.g. -3.6,-1.5"
        ) from None
    if not all(math.isfinite(v) for v in values):
        raise InvalidInput.one(option, text, "finite numbers")
    return values


def _format(value: str, allowed: tuple[str, ...] = FORMATS) -> str:
    if value not in allowed:
        raise InvalidInput.one("--format", value, ", ".join(allowed))
    return value


@app.command("analyse")
def analyse_command(
    data: Annotated[Path, typer.Argument(help=f"Long CSV: {CSV_COLUMNS}.")],
    reference: Annotated[str, typer.Option("--reference", help="Reference (control) arm.")],
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="json, text, or csv (results table).")
    ] = "json",
    visits: Annotated[
        str | None, typer.Option(help="Visit order, comma-separated (default: first appearance).")
    ] = None,
    mcid: Annotated[
        float | None, typer.Option(help="Also report responders: improvement >= MCID.")
    ] = None,
    lower_is_better: Annotated[
        bool, typer.Option("--lower-is-better/--higher-is-better", help="Direction for --mcid.")
    ] = True,
    level: Annotated[float, typer.Option(help="Confidence level.")] = 0.95,
) -> None:
    """MMRM on change from baseline: arm x visit + baseline x visit + site + sex, unstructured
    covariance, REML; LS means and arm differences with Satterthwaite df, CI and p.
    csv prints the results table (one row per time point)."""
    from hipback.trial.analysis import fit_mmrm, read_long_csv, responder_analysis
    from hipback.trial.analysis.results import results_table, to_csv

    _format(output_format, ANALYSE_FORMATS)
    order = [v.strip() for v in visits.split(",")] if visits else None
    dataset = read_long_csv(data, order)
    result = fit_mmrm(dataset, reference, level)
    table = results_table(dataset, result)
    if output_format == "csv":
        typer.echo(to_csv(table), nl=False)
        return
    out = result.as_dict()
    out["results_table"] = table
    if mcid is not None:
        direction: Direction = "decrease" if lower_is_better else "increase"
        out["responders"] = responder_analysis(dataset, mcid, direction, reference, level).as_dict()
    if output_format == "json":
        typer.echo(_dump(out))
        return
    pct = f"{100 * level:g}%"
    lines = [
        f"MMRM, {result.n_participants} participants, {result.n_observations} observations; "
        f"reference arm {reference!r}",
        f"{'visit':<10} {'arm':<12} {'difference':>11} {'SE':>8} {'df':>7} {pct + ' CI':>22} "
        f"{'p':>8}",
    ]
    for c in result.contrasts:
        ci = f"{c.ci_low:.3f} to {c.ci_high:.3f}"
        lines.append(
            f"{c.visit:<10} {c.arm:<12} {c.estimate:>11.3f} {c.se:>8.3f} {c.df:>7.1f} {ci:>22} "
            f"{c.p:>8.4f}"
        )
    lines += [f"warning: {w}" for w in result.warnings]
    typer.echo("\n".join(lines))


@app.command("simulate")
def simulate_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="CSV file to write.")],
    n: Annotated[int | None, typer.Option(help="Participants (default: scenario, 184).")] = None,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
    outcome: Annotated[str, typer.Option(help="Scenario outcome: qbpds or gait.")] = "qbpds",
    effect: Annotated[
        str | None, typer.Option(help="Treated minus control per visit, e.g. -3.6,-1.5.")
    ] = None,
    scenario: Annotated[
        Path | None, typer.Option(help="Scenario TOML (default MASH-like).")
    ] = None,
) -> None:
    """Write one MASH-like dataset in the `trial analyse` CSV format (blank outcome = missed)."""
    from hipback.trial.analysis.dataset import COLUMNS
    from hipback.trial.analysis.scenario import load_scenario
    from hipback.trial.analysis.simulate import simulate

    sc = load_scenario(scenario)
    sim = simulate(sc, outcome, _rng(seed), 1, n, _floats("--effect", effect))
    try:
        with output.open("w", newline="", encoding="utf-8") as fh:
            write_csv(fh, COLUMNS, sim.long_rows(0))
    except OSError as exc:
        raise InvalidInput.one("--output", str(output), "a writable path", str(exc)) from None
    unverified = ", ".join(sc.unverified_fields(outcome))
    typer.echo(f"wrote {output} ({sim.arm.shape[1]} participants, {outcome})")
    typer.echo(f"unverified scenario parameters: {unverified}", err=True)


def _rng(seed: int) -> np.random.Generator:
    import numpy as np

    if seed < 0:
        raise InvalidInput.one("--seed", seed, "a non-negative integer")
    return np.random.default_rng(seed)


@app.command("power")
def power_command(
    trials: Annotated[int, typer.Option(help="Simulated trials.")] = 10_000,
    effect: Annotated[
        str | None, typer.Option(help="Treated minus control: one number or one per visit.")
    ] = None,
    n: Annotated[int | None, typer.Option(help="Participants per trial (default 184).")] = None,
    outcome: Annotated[str, typer.Option(help="Scenario outcome: qbpds or gait.")] = "qbpds",
    seed: Annotated[int, typer.Option(help="Root seed.")] = 20240611,
    jobs: Annotated[int, typer.Option(help="Local worker processes (default: all cores).")] = 0,
    dask: Annotated[
        str | None, typer.Option(help="Dask scheduler address (tcp://host:8786).")
    ] = None,
    chunk: Annotated[int, typer.Option(help="Trials per task.")] = 1000,
    alpha: Annotated[float, typer.Option(help="Two-sided significance level.")] = 0.05,
    output_format: Annotated[str, typer.Option("--format", "-f", help="json or text.")] = "text",
    scenario: Annotated[
        Path | None, typer.Option(help="Scenario TOML (default MASH-like).")
    ] = None,
) -> None:
    """Power of the MMRM arm difference at each visit, by simulating TRIALS trials."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from hipback.trial.analysis.power import run_power
    from hipback.trial.analysis.scenario import load_scenario

    _format(output_format)
    if jobs < 0:
        raise InvalidInput.one("--jobs", jobs, "0 (all cores) or a positive number")
    workers = jobs or os.cpu_count() or 1
    sc = load_scenario(scenario)
    columns = (BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress("simulating", *columns, transient=True) as bar:
        task = bar.add_task("power", total=trials)
        result = run_power(
            sc, outcome, trials, seed=seed, n=n, effect=_floats("--effect", effect), chunk=chunk,
            jobs=workers, dask_address=dask, alpha=alpha,
            on_progress=lambda k: bar.advance(task, k),
        )  # fmt: skip
    typer.echo(_dump(result.as_dict()) if output_format == "json" else _power_text(result))


def _power_text(r: PowerResult) -> str:
    lines = [
        f"{r.scenario}: {r.outcome}, n = {r.n}, {r.converged}/{r.trials} trials converged, "
        f"{r.seconds:.1f} s ({r.workers})",
        f"{'visit':<8} {'entered':>8} {'realised':>9} {'power':>7} {'MC SE':>7} {'mean est':>9} "
        f"{'SD est':>8} {'mean SE':>8} {'df':>6} {'coverage':>9}",
    ]
    for v in r.visits:
        lines.append(
            f"{v.visit:<8} {v.entered_effect:>8.3g} {v.realised_effect:>9.2f} "
            f"{v.rejection_rate:>7.3f} {v.mc_se:>7.3f} "
            f"{v.mean_estimate:>9.3f} {v.sd_estimate:>8.3f} {v.mean_se:>8.3f} {v.mean_df:>6.1f} "
            f"{v.coverage:>9.3f}"
        )
    lines.append(
        "entered = effect added to the change; realised = the effect left after clipping to the "
        "scale and rounding; power and coverage are for the realised effect."
    )
    lines.append("unverified scenario parameters: " + ", ".join(r.unverified))
    return "\n".join(lines)
