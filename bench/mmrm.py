"""MMRM per-fit time: hipback single and batched fits vs statsmodels MixedLM and R, same run.

Run: ``.venv/bin/python bench/mmrm.py [--quick]``. Data: MASH-like QBPDS trials (184
participants, 2 post-baseline visits, dropout) from the bundled scenario. Peers:

* statsmodels ``MixedLM`` with unstructured random visit effects (``re_formula="0 + C(visit)"``),
  REML, lbfgs: the closest statsmodels model (same marginal fit; no Satterthwaite df).
* R ``nlme::gls`` (corSymm + varIdent, REML, natural=FALSE) and gls + ``emmeans``
  (Satterthwaite), timed inside R per fit, when ``Rscript`` with nlme and emmeans is on PATH.

Also times a 10,000-trial power simulation on 2 local worker processes. Prints per-fit medians
and ratios; results are recorded in docs/performance.md (## MMRM). Goals (issue 5): batched
>= 50x faster than R gls + emmeans; 10,000-trial power <= 10 s on 2 cores.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one BLAS thread per process (stats.md §7)

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from hipback.trial.analysis import fit_batch, fit_mmrm, from_rows
from hipback.trial.analysis.power import run_power
from hipback.trial.analysis.scenario import load_scenario
from hipback.trial.analysis.simulate import SimulatedTrials, simulate

R_SCRIPT = r"""
suppressPackageStartupMessages({library(nlme); library(emmeans)})
all <- read.csv(commandArgs(TRUE)[1], stringsAsFactors = FALSE)
g <- e <- c()
for (k in unique(all$trial)) {
  d <- all[all$trial == k & !is.na(all$outcome), ]
  d$visit <- factor(d$visit, levels = c("8wk", "6mo")); d$vnum <- as.integer(d$visit)
  d$arm <- factor(d$arm, levels = c("spine", "hip")); d$site <- factor(d$site)
  d$sex <- factor(d$sex); d$base <- d$baseline; d$chg <- d$outcome - d$baseline
  d$id <- factor(d$participant_id)
  t0 <- proc.time()[["elapsed"]]
  fit <- gls(chg ~ visit * arm + visit * base + site + sex, data = d,
             correlation = corSymm(form = ~ vnum | id), weights = varIdent(form = ~ 1 | visit),
             method = "REML", control = glsControl(natural = FALSE))
  t1 <- proc.time()[["elapsed"]]
  em <- emmeans(fit, ~ arm | visit, mode = "satterthwaite", data = d)
  s <- summary(contrast(em, "revpairwise"), infer = TRUE)
  t2 <- proc.time()[["elapsed"]]
  g <- c(g, t1 - t0); e <- c(e, t2 - t0)
}
cat(1000 * median(g), 1000 * median(e), 1000 * mean(g), 1000 * mean(e), "\n")
"""


def long_frame(sim: SimulatedTrials, trials: range) -> pd.DataFrame:
    frames = []
    for b in trials:
        df = pd.DataFrame(list(sim.long_rows(b)))
        df["trial"] = b
        frames.append(df)
    out = pd.concat(frames, ignore_index=True)
    for col in ("baseline", "outcome"):
        out[col] = pd.to_numeric(out[col].replace("", np.nan))
    return out


def time_single(sim: SimulatedTrials, count: int) -> tuple[float, float]:
    """Median ms per fit: full fit_mmrm from long rows, and the core on one dataset."""
    full, core = [], []
    for b in range(count):
        rows = list(sim.long_rows(b))
        t0 = time.perf_counter()
        fit_mmrm(from_rows(rows), "spine")
        full.append(time.perf_counter() - t0)
        one = SimulatedTrials(
            sim.design, sim.arm[b : b + 1], sim.site[b : b + 1], sim.sex[b : b + 1],
            sim.baseline[b : b + 1], sim.outcome[b : b + 1], sim.decimals,
        )  # fmt: skip
        t0 = time.perf_counter()
        fit_batch(one.stats())
        core.append(time.perf_counter() - t0)
    return 1000 * statistics.median(full), 1000 * statistics.median(core)


def time_batched(sim: SimulatedTrials, repeats: int = 3) -> float:
    """ms per fit for one batched call over every dataset (sufficient statistics included)."""
    best = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fit_batch(sim.stats())
        best.append(time.perf_counter() - t0)
        if not result.converged.all():
            print(f"warning: {int((~result.converged).sum())} batched fits did not converge")
    return 1000 * statistics.median(best) / sim.arm.shape[0]


def time_statsmodels(frame: pd.DataFrame, count: int) -> tuple[float, float]:
    import statsmodels.formula.api as smf

    times, diffs = [], []
    for k in range(count):
        d = frame[(frame.trial == k) & frame.outcome.notna()].copy()
        d["chg"] = d.outcome - d.baseline
        d["base"] = d.baseline
        d["arm"] = pd.Categorical(d.arm, categories=["spine", "hip"])
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = smf.mixedlm(
                "chg ~ C(visit, levels=['8wk','6mo'])*arm + C(visit, levels=['8wk','6mo'])*base"
                " + C(site) + C(sex)",
                d,
                groups=d["participant_id"],
                re_formula="0 + C(visit)",
            )
            fit = model.fit(reml=True, method=["lbfgs"])
        times.append(time.perf_counter() - t0)
        ref = fit_mmrm(from_rows(_rows(d)), "spine").contrasts[0].estimate
        diffs.append(abs(float(fit.params["arm[T.hip]"]) - ref))
    return 1000 * statistics.median(times), max(diffs)


def _rows(d: pd.DataFrame) -> list[dict[str, str]]:
    cols = ["participant_id", "arm", "site", "sex", "visit", "baseline", "outcome"]
    return [{c: str(r[c]) for c in cols} for r in d[cols].to_dict("records")]


def time_r(frame: pd.DataFrame, count: int) -> tuple[float, float] | None:
    rscript = shutil.which("Rscript")
    if rscript is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "trials.csv"
        frame[frame.trial < count].to_csv(data, index=False)
        script = Path(tmp) / "bench.R"
        script.write_text(R_SCRIPT)
        out = subprocess.run(
            [rscript, str(script), str(data)], capture_output=True, text=True, check=False
        )
    if out.returncode != 0:
        print(f"R failed: {out.stderr.strip()[:200]}")
        return None
    gls, both, *_ = (float(x) for x in out.stdout.split())
    return gls, both


def main(quick: bool = False) -> None:
    sc = load_scenario()
    batch = 1000
    sim = simulate(sc, "qbpds", np.random.default_rng(2026), batch)
    n_single, n_sm, n_r = (20, 5, 20) if quick else (100, 20, 50)
    frame = long_frame(sim, range(max(n_sm, n_r)))
    version = sys.version.split()[0]
    print(f"hipback MMRM bench: QBPDS, N=184, 2 visits; batch of {batch}; python {version}")
    single_full, single_core = time_single(sim, n_single)
    batched = time_batched(sim)
    sm, sm_diff = time_statsmodels(frame, n_sm)
    r = time_r(frame, n_r)
    print(f"{'method':<46} {'ms/fit':>9}")
    rows = [
        ("hipback fit_mmrm from long rows (+ LS means)", single_full),
        ("hipback single fit, core (B=1, + inference)", single_core),
        (f"hipback batched fit + inference (B={batch})", batched),
        (f"statsmodels MixedLM REML ({n_sm} fits)", sm),
    ]
    if r is not None:
        rows += [(f"R nlme::gls ({n_r} fits)", r[0]), (f"R gls + emmeans ({n_r} fits)", r[1])]
    for name, ms in rows:
        print(f"{name:<46} {ms:>9.3f}")
    print(f"MixedLM vs hipback, 8-week arm difference: max |diff| = {sm_diff:.2e}")
    print("ratios (peer time / hipback time):")
    peers = [("statsmodels", sm)]
    if r is not None:
        peers += [("R gls", r[0]), ("R gls+emmeans", r[1])]
    for name, ms in peers:
        print(f"  {name:<14} / single {ms / single_core:6.1f}x   / batched {ms / batched:6.0f}x")
    if r is None:
        print("  R not available: vs the 94 ms/fit R gls+emmeans measured earlier (stats.md §6): "
              f"batched {94 / batched:.0f}x")  # fmt: skip
    trials = 2000 if quick else 10_000
    one = run_power(sc, "qbpds", trials, seed=1, jobs=1)
    cold = run_power(sc, "qbpds", trials, seed=1, jobs=2)  # includes starting the workers
    warm = run_power(sc, "qbpds", trials, seed=1, jobs=2)  # loky reuses the workers
    print(
        f"power, {trials:,} trials: 1 process {one.seconds:.2f} s; 2 worker processes "
        f"{cold.seconds:.2f} s cold / {warm.seconds:.2f} s warm (goal <= 10 s), speed-up "
        f"{one.seconds / warm.seconds:.2f}x warm; {warm.converged} converged; "
        f"power at 8 wk {warm.visits[0].rejection_rate:.3f}"
    )


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
