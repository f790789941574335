"""Power by simulation: many MASH-like trials through the same batched MMRM as ``analyse``.

The effect entered is added to each treated participant's change, but the outcome is then
clipped to the instrument's range and rounded, which shrinks the effect a trial can show (QBPDS
-3.6 entered is about -3.2 on the 0-100 scale). Each visit reports both the entered and the
realised effect; the rejection rate is the power for the realised effect, and coverage is of
the realised effect.

Work is split into chunks (default 1,000 trials: one vectorised fit each). Chunk i draws from
``SeedSequence(seed).spawn(chunks)[i]``, so results do not depend on how many workers ran them.
Chunks run in this process, on local cores with joblib, or on a Dask cluster (optional extra
``hipback[dask]``; imported only when a scheduler address is given). Workers return per-trial
summaries only (estimate, SE, df, CI, p, converged), never the data.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from hipback.errors import ConfigurationError, InvalidInput
from hipback.trial.analysis.design import BoolArray, FloatArray
from hipback.trial.analysis.mmrm import fit_batch
from hipback.trial.analysis.scenario import Scenario
from hipback.trial.analysis.simulate import simulate

ALPHA = 0.05


@dataclass(frozen=True)
class ChunkResult:
    estimate: FloatArray  # (B, T) treated minus control per visit
    se: FloatArray
    df: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray
    p: FloatArray
    converged: BoolArray  # (B,)
    realised: FloatArray  # (T,) mean realised effect over this chunk's trials


#: fields of ChunkResult concatenated over trials (realised is averaged instead)
PER_TRIAL = ("estimate", "se", "df", "ci_low", "ci_high", "p", "converged")


def run_chunk(
    scenario: Scenario,
    outcome: str,
    seed: np.random.SeedSequence,
    trials: int,
    n: int | None,
    effect: Sequence[float] | None,
) -> ChunkResult:
    """Simulate and analyse one chunk of trials (the unit of parallel work)."""
    sim = simulate(scenario, outcome, np.random.default_rng(seed), trials, n, effect)
    fitted = fit_batch(sim.stats())
    d = fitted.differences
    ok = fitted.converged & np.isfinite(d.df).all(axis=1) & np.isfinite(d.se).all(axis=1)
    realised = sim.realised_effect if sim.realised_effect is not None else np.full(
        d.estimate.shape[1], np.nan
    )  # fmt: skip
    return ChunkResult(d.estimate, d.se, d.df, d.ci_low, d.ci_high, d.p, ok, realised)


@dataclass(frozen=True)
class VisitPower:
    """One visit: the effect entered, the effect realised on the recorded scale after clipping
    and rounding, and the power (rejection rate) for that realised effect."""

    visit: str
    entered_effect: float
    realised_effect: float
    rejection_rate: float
    mc_se: float
    mean_estimate: float
    sd_estimate: float
    mean_se: float
    mean_df: float
    coverage: float

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class PowerResult:
    scenario: str
    outcome: str
    n: int
    trials: int
    converged: int
    seed: int
    alpha: float
    visits: tuple[VisitPower, ...]
    seconds: float
    workers: str
    unverified: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "scenario": self.scenario,
            "outcome": self.outcome,
            "n_per_trial": self.n,
            "trials": self.trials,
            "converged": self.converged,
            "seed": self.seed,
            "alpha": self.alpha,
            "visits": [v.as_dict() for v in self.visits],
            "seconds": self.seconds,
            "workers": self.workers,
            "unverified_parameters": list(self.unverified),
            "note": "rejection_rate is the power for realised_effect (the entered effect after "
            "clipping to the scale and rounding), not for entered_effect; coverage is of the "
            "realised effect",
        }


Runner = Callable[[list[np.random.SeedSequence], list[int]], Iterable[ChunkResult]]


def run_power(
    scenario: Scenario,
    outcome: str,
    trials: int,
    seed: int = 20240611,
    n: int | None = None,
    effect: Sequence[float] | None = None,
    chunk: int = 1000,
    jobs: int = 1,
    dask_address: str | None = None,
    alpha: float = ALPHA,
    on_progress: Callable[[int], None] | None = None,
) -> PowerResult:
    """Rejection rate (two-sided, level ``alpha``) of the arm difference at each visit."""
    if not 1 <= trials <= 10_000_000:
        raise InvalidInput.one("--trials", trials, "1 to 10000000")
    if not 1 <= chunk <= 20_000:
        raise InvalidInput.one("--chunk", chunk, "1 to 20000 trials per task")
    if not 0 < alpha < 1:
        raise InvalidInput.one("--alpha", alpha, "0 < alpha < 1")
    spec = scenario.outcome(outcome)
    t = len(scenario.design.visits)
    eff = np.asarray(spec.effect if effect is None else effect, dtype=np.float64)
    eff = np.repeat(eff, t) if eff.shape == (1,) else eff
    sizes = [chunk] * (trials // chunk) + ([trials % chunk] if trials % chunk else [])
    seeds = np.random.SeedSequence(seed).spawn(len(sizes))
    started = time.perf_counter()
    args = (scenario, outcome, n, list(eff))
    if dask_address:
        parts, workers = _dask(dask_address, args, seeds, sizes, on_progress)
    else:
        parts, workers = _local(jobs, args, seeds, sizes, on_progress)
    seconds = time.perf_counter() - started
    return _summarise(scenario, outcome, n, seed, eff, alpha, parts, seconds, workers)


def _local(
    jobs: int,
    args: tuple[Scenario, str, int | None, list[float]],
    seeds: list[np.random.SeedSequence],
    sizes: list[int],
    on_progress: Callable[[int], None] | None,
) -> tuple[list[ChunkResult], str]:
    scenario, outcome, n, eff = args
    if jobs == 1 or len(sizes) == 1:
        out = []
        for s, b in zip(seeds, sizes, strict=True):
            out.append(run_chunk(scenario, outcome, s, b, n, eff))
            if on_progress:
                on_progress(b)
        return out, "1 process"
    from joblib import Parallel, delayed

    parallel = Parallel(n_jobs=jobs, return_as="generator")
    tasks = (
        delayed(run_chunk)(scenario, outcome, s, b, n, eff)
        for s, b in zip(seeds, sizes, strict=True)
    )
    out = []
    for b, part in zip(sizes, parallel(tasks), strict=True):
        out.append(part)
        if on_progress:
            on_progress(b)
    return out, f"joblib n_jobs={jobs}"


def _dask(
    address: str,
    args: tuple[Scenario, str, int | None, list[float]],
    seeds: list[np.random.SeedSequence],
    sizes: list[int],
    on_progress: Callable[[int], None] | None,
) -> tuple[list[ChunkResult], str]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise ConfigurationError(
            "--dask needs the optional Dask extra: pip install 'hipback[dask]'"
        ) from None
    scenario, outcome, n, eff = args
    try:
        client = Client(address, timeout="10s")
    except OSError as exc:
        raise InvalidInput.one(
            "--dask", address, "a reachable Dask scheduler address", str(exc)
        ) from None
    try:
        futures = [
            client.submit(run_chunk, scenario, outcome, s, b, n, eff, pure=False)
            for s, b in zip(seeds, sizes, strict=True)
        ]
        index = {f.key: i for i, f in enumerate(futures)}
        out: list[ChunkResult | None] = [None] * len(futures)
        for fut in as_completed(futures):
            i = index[fut.key]
            out[i] = fut.result()
            if on_progress:
                on_progress(sizes[i])
        return [r for r in out if r is not None], f"dask {address}"
    finally:
        client.close()


def _summarise(
    scenario: Scenario,
    outcome: str,
    n: int | None,
    seed: int,
    eff: FloatArray,
    alpha: float,
    parts: list[ChunkResult],
    seconds: float,
    workers: str,
) -> PowerResult:
    cat = {f: np.concatenate([getattr(p, f) for p in parts]) for f in PER_TRIAL}
    sizes = np.array([p.estimate.shape[0] for p in parts], dtype=np.float64)
    realised = np.average(np.stack([p.realised for p in parts]), axis=0, weights=sizes)
    ok = cat["converged"]
    visits = []
    for j, visit in enumerate(scenario.design.visits):
        est, p = cat["estimate"][ok, j], cat["p"][ok, j]
        rate = float((p < alpha).mean()) if ok.any() else math.nan
        target = realised[j]
        covered = (cat["ci_low"][ok, j] <= target) & (target <= cat["ci_high"][ok, j])
        visits.append(
            VisitPower(
                visit=visit,
                entered_effect=float(eff[j]),
                realised_effect=float(realised[j]),
                rejection_rate=rate,
                mc_se=math.sqrt(rate * (1 - rate) / max(int(ok.sum()), 1)),
                mean_estimate=float(est.mean()),
                sd_estimate=float(est.std(ddof=1)) if est.size > 1 else math.nan,
                mean_se=float(cat["se"][ok, j].mean()),
                mean_df=float(cat["df"][ok, j].mean()),
                coverage=float(covered.mean()),
            )
        )
    return PowerResult(
        scenario=scenario.name,
        outcome=outcome,
        n=scenario.design.n if n is None else n,
        trials=int(ok.size),
        converged=int(ok.sum()),
        seed=seed,
        alpha=alpha,
        visits=tuple(visits),
        seconds=seconds,
        workers=workers,
        unverified=tuple(scenario.unverified_fields(outcome)),
    )
