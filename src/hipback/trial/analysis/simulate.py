"""MASH-like trial datasets, vectorised over B trials (parameters: :mod:`scenario`).

Per participant: site ~ Categorical(site_proportions), sex ~ Bernoulli(female_proportion),
allocation by permuted blocks within site x sex, baseline ~ N(mean, sd) clipped to the scale,
change at visit j = control_change_j + effect_j [treated] + slope (baseline - mean)
+ site effect + female effect (both centred) + e_j, e ~ N(0, Sigma) with the given SDs and an
exchangeable correlation; the follow-up value is clipped to the scale and rounded like the
instrument. Missingness: no follow-up at all (MCAR), dropout before visit j (MAR: logistic in the
previous change, worse -> likelier) and intermittent missed non-final visits.

Clipping at the scale's floor or ceiling (and rounding) shrinks the effect a trial can show: a
QBPDS change of -3.6 cannot take a score below 0. ``realised_effect`` is the effect on the
recorded scale: for every simulated participant, the follow-up value with the effect minus
without it (same draws, both clipped and rounded), averaged over participants and trials.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from hipback.errors import InvalidInput
from hipback.trial.analysis.design import Design, FloatArray, IntArray, SuffStats, sufficient_stats
from hipback.trial.analysis.scenario import Scenario

SEXES = ("F", "M")


@dataclass(frozen=True)
class SimulatedTrials:
    """B simulated trials: covariates (B, N), follow-up values (B, N, T) with NaN = missed."""

    design: Design
    arm: IntArray
    site: IntArray
    sex: IntArray
    baseline: FloatArray
    outcome: FloatArray
    decimals: int
    #: (T,) treated minus control on the recorded (clipped, rounded) scale, before missingness
    realised_effect: FloatArray | None = None

    def stats(self) -> SuffStats:
        change = self.outcome - self.baseline[..., None]
        return sufficient_stats(self.design, self.arm, self.site, self.sex, self.baseline, change)

    def long_rows(self, trial: int = 0) -> Iterator[dict[str, str]]:
        """Rows of the `hipback trial analyse` CSV contract (blank outcome = missed visit)."""
        d, fmt = self.design, f"{{:.{self.decimals}f}}"
        for i in range(self.arm.shape[1]):
            for j, visit in enumerate(d.visits):
                value = self.outcome[trial, i, j]
                yield {
                    "participant_id": f"S{i + 1:04d}",
                    "arm": d.arms[self.arm[trial, i]],
                    "site": d.sites[self.site[trial, i]],
                    "sex": d.sexes[self.sex[trial, i]],
                    "visit": visit,
                    "baseline": fmt.format(self.baseline[trial, i]),
                    "outcome": "" if np.isnan(value) else fmt.format(value),
                }


def _allocate(
    rng: np.random.Generator, strata: IntArray, n_strata: int, arms: int, block: int
) -> IntArray:
    """Permuted blocks within each stratum, in order of enrolment."""
    b, n = strata.shape
    onehot = strata[..., None] == np.arange(n_strata)
    rank = np.take_along_axis(np.cumsum(onehot, axis=1), strata[..., None], axis=2)[..., 0] - 1
    blocks = -(-n // block)
    pattern = np.tile(np.repeat(np.arange(arms), block // arms), (b, n_strata, blocks, 1))
    order = np.argsort(rng.random(pattern.shape), axis=-1)
    seq = np.take_along_axis(pattern, order, axis=-1).reshape(b, n_strata, blocks * block)
    return np.asarray(seq[np.arange(b)[:, None], strata, rank], dtype=np.int64)


def simulate(
    scenario: Scenario,
    outcome: str,
    rng: np.random.Generator,
    trials: int,
    n: int | None = None,
    effect: Sequence[float] | None = None,
) -> SimulatedTrials:
    """Simulate ``trials`` datasets of ``n`` participants (default: the scenario's n)."""
    spec = scenario.outcome(outcome)
    des = scenario.design
    n = des.n if n is None else n
    t, k = len(des.visits), len(des.arms)
    if not 8 <= n <= 100_000:
        raise InvalidInput.one("--n", n, "8 to 100000 participants")
    if trials < 1:
        raise InvalidInput.one("trials", trials, "at least 1")
    eff = np.asarray(spec.effect if effect is None else effect, dtype=np.float64)
    if eff.shape == (1,):
        eff = np.repeat(eff, t)
    if eff.shape != (t,) or not np.isfinite(eff).all():
        raise InvalidInput.one("--effect", list(eff), f"one number or {t} comma-separated numbers")
    n_sites = len(des.sites)
    site = rng.choice(n_sites, size=(trials, n), p=des.site_proportions)
    female = rng.random((trials, n)) < des.female_proportion
    sex = np.where(female, 0, 1).astype(np.int64)
    arm = _allocate(rng, site * 2 + sex, n_sites * 2, k, des.block_size)
    lo, hi = spec.scale_min, spec.scale_max
    base = np.clip(rng.normal(spec.baseline_mean, spec.baseline_sd, (trials, n)), lo, hi)
    sd = np.asarray(spec.change_sd)
    corr = np.full((t, t), spec.correlation) + (1 - spec.correlation) * np.eye(t)
    chol = np.linalg.cholesky(corr * np.outer(sd, sd))
    err = rng.standard_normal((trials, n, t)) @ chol.T
    site_eff = np.asarray(spec.site_effects) - np.dot(des.site_proportions, spec.site_effects)
    treated = (arm > 0)[..., None]
    change = (
        np.asarray(spec.control_change)
        + treated * eff
        + spec.baseline_slope * (base - spec.baseline_mean)[..., None]
        + site_eff[site][..., None]
        + spec.female_effect * (female - des.female_proportion)[..., None]
        + err
    )
    post = np.round(np.clip(base[..., None] + change, lo, hi), spec.decimals)
    with_effect = np.round(np.clip(base[..., None] + change + ~treated * eff, lo, hi),
                           spec.decimals)  # fmt: skip
    without = np.round(np.clip(base[..., None] + change - treated * eff, lo, hi), spec.decimals)
    realised = (with_effect - without).mean(axis=(0, 1))
    base = np.round(base, spec.decimals)
    post = _missing(scenario, rng, post, post - base[..., None], spec.lower_is_better, sd)
    design = Design(tuple(des.visits), tuple(des.arms), tuple(des.sites), SEXES)
    return SimulatedTrials(design, arm, site, sex, base, post, spec.decimals, realised)


def _missing(
    scenario: Scenario,
    rng: np.random.Generator,
    post: FloatArray,
    change: FloatArray,
    lower_is_better: bool,
    sd: FloatArray,
) -> FloatArray:
    miss = scenario.missing
    b, n, t = post.shape
    gone = np.zeros((b, n, t), dtype=bool)
    gone[rng.random((b, n)) < miss.no_followup] = True
    worse = (change if lower_is_better else -change) / sd
    left = np.zeros((b, n), dtype=bool)
    for j in range(t):
        rate = miss.dropout[j]
        if j > 0 and rate > 0:
            z = worse[..., j - 1] - np.nanmean(worse[..., j - 1])
            logit = np.log(rate / (1 - rate)) + miss.dropout_slope * z
            left |= rng.random((b, n)) < 1.0 / (1.0 + np.exp(-logit))
        elif j == 0 and rate > 0:
            left |= rng.random((b, n)) < rate
        gone[..., j] |= left
    if t > 1:
        skip = rng.random((b, n, t - 1)) < miss.intermittent
        gone[..., : t - 1] |= skip
    return np.where(gone, np.nan, post)
