"""REML internals against independent dense computations (no sufficient statistics).

Dense reference: -2 l_REML = sum_i log|Sigma_i| + log|X'V^-1X| + r'V^-1 r + (n - p) log 2 pi
(Harville 1977; nlme's constant, confirmed by the R fixtures to 1e-8), built row by row from the
CSV with V = blockdiag(Sigma[O_i, O_i]).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from hipback.trial.analysis import read_long_csv
from hipback.trial.analysis.design import SuffStats
from hipback.trial.analysis.inference import dcov_beta, infer, observed_information
from hipback.trial.analysis.mmrm import code_dataset, contrast_rows
from hipback.trial.analysis.reml import evaluate, fit, gradient_sigma

REFERENCE = Path(__file__).parents[2] / "reference"


def _stats(name: str) -> SuffStats:
    return code_dataset(read_long_csv(REFERENCE / f"{name}.csv"), "spine")[0]


def _dense(name: str) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Stacked X, y and per-participant observed-visit index lists."""
    data = read_long_csv(REFERENCE / f"{name}.csv")
    stats = _stats(name)
    d = stats.design
    keep = [i for i in range(len(data.participant_ids)) if (~np.isnan(data.change[i])).any()]
    arm = np.array([d.arms.index(data.arm[i]) for i in keep])
    site = np.array([d.sites.index(data.site[i]) for i in keep])
    sex = np.array([d.sexes.index(data.sex[i]) for i in keep])
    rows = d.rows(arm, site, sex, data.baseline[keep])
    xs, ys, idx = [], [], []
    for k, i in enumerate(keep):
        obs = np.flatnonzero(~np.isnan(data.change[i]))
        xs.append(rows[k, obs])
        ys.append(data.change[i, obs])
        idx.append(obs)
    return np.vstack(xs), np.concatenate(ys), idx


def _dense_m2ll(x: np.ndarray, y: np.ndarray, idx: list[np.ndarray], sigma: np.ndarray) -> float:
    n, p = x.shape
    v = np.zeros((n, n))
    logdet, start = 0.0, 0
    for obs in idx:
        block = sigma[np.ix_(obs, obs)]
        v[start : start + obs.size, start : start + obs.size] = block
        logdet += np.linalg.slogdet(block)[1]
        start += obs.size
    vinv = np.linalg.inv(v)
    a = x.T @ vinv @ x
    beta = np.linalg.solve(a, x.T @ vinv @ y)
    r = y - x @ beta
    return float(logdet + np.linalg.slogdet(a)[1] + r @ vinv @ r + (n - p) * np.log(2 * np.pi))


SIGMA3 = np.array([[120.0, 60.0, 50.0], [60.0, 160.0, 90.0], [50.0, 90.0, 190.0]])


def test_criterion_equals_dense_computation() -> None:
    stats = _stats("three_visit")  # monotone and intermittent missingness, 6 patterns
    x, y, idx = _dense("three_visit")
    ours = evaluate(stats, SIGMA3[None]).m2ll[0]
    assert ours == pytest.approx(_dense_m2ll(x, y, idx, SIGMA3), rel=1e-12)


def test_gradient_equals_finite_differences_of_dense_criterion() -> None:
    stats = _stats("three_visit")
    x, y, idx = _dense("three_visit")
    g = gradient_sigma(stats, evaluate(stats, SIGMA3[None]))[0]
    h = 1e-4
    for j, k in [(0, 0), (1, 0), (2, 1), (2, 2)]:
        e = np.zeros((3, 3))
        e[j, k] = e[k, j] = h
        fd = (_dense_m2ll(x, y, idx, SIGMA3 + e) - _dense_m2ll(x, y, idx, SIGMA3 - e)) / (2 * h)
        analytic = g[j, k] * (1 if j == k else 2)  # d/d sigma_jk moves both symmetric entries
        assert analytic == pytest.approx(fd, rel=1e-6)


def test_fit_is_a_stationary_point_and_batch_equals_single() -> None:
    single = [_stats(n) for n in ("mash_qbpds_2visit", "dropout_2visit")]
    fits = [fit(s) for s in single]
    for s, f in zip(single, fits, strict=True):
        assert f.converged.all()
        g = gradient_sigma(s, evaluate(s, f.sigma))
        assert np.abs(g).max() < 1e-6
    # the two datasets stacked as one batch (same N, same design) give the same fits
    a, b = single
    both = SuffStats(
        design=a.design,
        masks=a.masks,
        counts=np.vstack([a.counts, b.counts]),
        gram=np.vstack([a.gram, b.gram]),
        n_obs=np.concatenate([a.n_obs, b.n_obs]),
        base_mean=np.concatenate([a.base_mean, b.base_mean]),
        cell_counts=np.vstack([a.cell_counts, b.cell_counts]),
    )
    batch = fit(both)
    np.testing.assert_allclose(batch.sigma[0], fits[0].sigma[0], rtol=1e-8)
    np.testing.assert_allclose(batch.sigma[1], fits[1].sigma[0], rtol=1e-8)


def test_satterthwaite_df_equals_dense_second_differences() -> None:
    """nu = 2 (l'Cl)^2 / (g' W g) with the information from second differences of the dense
    criterion and dC/dtheta from differences of the dense C: an independent route to df."""
    name = "mash_qbpds_2visit"
    stats = _stats(name)
    x, y, idx = _dense(name)
    sigma = fit(stats).sigma
    ev = evaluate(stats, sigma)
    _, diffs = contrast_rows(stats.design, stats.base_mean)
    ours = infer(
        diffs, ev.beta, ev.cov_beta, dcov_beta(stats, ev), observed_information(stats, sigma)
    )

    units = []
    for j, k in [(0, 0), (1, 0), (1, 1)]:
        e = np.zeros((2, 2))
        e[j, k] = e[k, j] = 1.0
        units.append(e)
    s0 = sigma[0]
    h = [1e-3 * np.sqrt(s0[0, 0] * s0[1, 1])] * 3
    f = lambda s: _dense_m2ll(x, y, idx, s)  # noqa: E731
    hess = np.empty((3, 3))
    for a in range(3):
        for b in range(3):
            ea, eb = h[a] * units[a], h[b] * units[b]
            hess[a, b] = (f(s0 + ea + eb) - f(s0 + ea - eb) - f(s0 - ea + eb) + f(s0 - ea - eb)) / (
                4 * h[a] * h[b]
            )
    w = np.linalg.inv(0.5 * hess)

    def cov(s: np.ndarray) -> np.ndarray:
        n = x.shape[0]
        v = np.zeros((n, n))
        start = 0
        for obs in idx:
            v[start : start + obs.size, start : start + obs.size] = s[np.ix_(obs, obs)]
            start += obs.size
        return np.linalg.inv(x.T @ np.linalg.solve(v, x))

    for c in range(diffs.shape[1]):
        lv = diffs[0, c]
        g = np.array(
            [
                (lv @ cov(s0 + h[k] * units[k]) @ lv - lv @ cov(s0 - h[k] * units[k]) @ lv)
                / (2 * h[k])
                for k in range(3)
            ]
        )
        var = lv @ cov(s0) @ lv
        nu = 2 * var**2 / (g @ w @ g)
        assert ours.se[0, c] == pytest.approx(np.sqrt(var), rel=1e-10)
        assert ours.df[0, c] == pytest.approx(nu, rel=1e-4)
