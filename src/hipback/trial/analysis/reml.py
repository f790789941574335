"""REML for an unstructured T x T covariance, batched over B datasets (stats.md §4c).

-2 l_REML(Sigma) = sum_m n_m log|Sigma_m| + log|X'WX| + r'Wr + (n - p) log 2 pi, the same constant
as nlme. With A = sum_m,j,k W_m[j,k] S[m,j,k] = [[X'WX, X'Wy], [y'WX, y'Wy]] one evaluation is a
few batched contractions of the sufficient statistics, independent of N. The gradient with
respect to Sigma is G = sum_m (n_m W_m - W_m (R_m + Q_m) W_m), R_m + Q_m = <bb' + C, S[m,j,k]>
with b = (-beta, 1) and C = (X'WX)^-1.

The fit is a damped Newton iteration on all datasets at once over the log-Cholesky factor of
Sigma (so Sigma stays positive definite), with a forward-difference Hessian of the analytic
gradient, eigenvalue clipping and per-dataset Armijo halving; converged datasets leave the active
set.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hipback.trial.analysis.design import BoolArray, FloatArray, IntArray, SuffStats

LOG_2PI = float(np.log(2.0 * np.pi))


@dataclass(frozen=True)
class Evaluation:
    """-2 l_REML and its pieces at a batch of Sigma; NaN where Sigma or X'WX is singular."""

    m2ll: FloatArray  # (B,)
    beta: FloatArray  # (B, p)
    cov_beta: FloatArray  # (B, p, p)  (X'WX)^-1
    weights: FloatArray  # (B, M, T, T)  W_m embedded, zeros at missing visits
    ok: BoolArray  # (B,)


def _chol(a: FloatArray) -> tuple[FloatArray, BoolArray]:
    """Batched Cholesky that marks failures instead of raising."""
    try:
        return np.asarray(np.linalg.cholesky(a), np.float64), np.ones(a.shape[0], dtype=bool)
    except np.linalg.LinAlgError:
        out = np.full_like(a, np.nan)
        ok = np.zeros(a.shape[0], dtype=bool)
        for i in range(a.shape[0]):
            try:
                out[i] = np.linalg.cholesky(a[i])
                ok[i] = True
            except np.linalg.LinAlgError:
                continue
        return out, ok


def _chol_inverse(low: FloatArray) -> FloatArray:
    n = low.shape[-1]
    eye = np.broadcast_to(np.eye(n), low.shape)
    linv = np.linalg.solve(low, eye)
    return np.asarray(np.matmul(linv.transpose(0, 2, 1), linv), dtype=np.float64)


def evaluate(stats: SuffStats, sigma: FloatArray) -> Evaluation:
    """-2 l_REML, beta and C at ``sigma`` (B, T, T), one Sigma per dataset of ``stats``."""
    gram, counts = stats.gram, stats.counts
    b, t = sigma.shape[0], sigma.shape[1]
    p = stats.design.n_coef
    q = p + 1
    ok = np.ones(b, dtype=bool)
    weights = np.zeros((b, stats.masks.shape[0], t, t))
    logdet = np.zeros(b)
    for m, mask in enumerate(stats.masks):
        idx = np.flatnonzero(mask)
        low, good = _chol(sigma[:, idx][:, :, idx])
        ok &= good
        low = np.where(good[:, None, None], low, np.eye(len(idx)))
        weights[:, m][:, idx[:, None], idx[None, :]] = _chol_inverse(low)
        logdet += counts[:, m] * 2.0 * np.log(np.diagonal(low, axis1=1, axis2=2)).sum(axis=1)
    aug = np.matmul(weights.reshape(b, 1, -1), gram).reshape(b, q, q)
    xtwx = aug[:, :p, :p]
    low_a, good_a = _chol(xtwx)
    pivots = np.diagonal(low_a, axis1=1, axis2=2) ** 2
    scale = np.maximum(np.diagonal(xtwx, axis1=1, axis2=2), 1e-300)
    good_a &= (np.nan_to_num(pivots) > 1e-10 * scale).all(axis=1)  # (near-)singular design
    ok &= good_a
    low_a = np.where(good_a[:, None, None], low_a, np.eye(p))
    cov_beta = _chol_inverse(low_a)
    beta = np.matmul(cov_beta, aug[:, :p, p : p + 1])[..., 0]
    rss = aug[:, p, p] - np.einsum("bi,bi->b", aug[:, :p, p], beta)
    n_obs = stats.n_obs
    m2ll = (
        logdet
        + 2.0 * np.log(np.diagonal(low_a, axis1=1, axis2=2)).sum(axis=1)
        + rss
        + (n_obs - p) * LOG_2PI
    )
    m2ll = np.where(ok & np.isfinite(m2ll), m2ll, np.nan)
    return Evaluation(m2ll=m2ll, beta=beta, cov_beta=cov_beta, weights=weights, ok=ok)


def gradient_sigma(stats: SuffStats, ev: Evaluation) -> FloatArray:
    """d(-2 l_REML)/d Sigma as a symmetric (B, T, T) matrix G: d(-2l) = tr(G dSigma)."""
    gram, counts = stats.gram, stats.counts
    b = ev.weights.shape[0]
    p = stats.design.n_coef
    q = p + 1
    btilde = np.concatenate([-ev.beta, np.ones((b, 1))], axis=1)
    kmat = btilde[:, :, None] * btilde[:, None, :]
    kmat[:, :p, :p] += ev.cov_beta
    rq = np.matmul(gram, kmat.reshape(b, q * q, 1)).reshape(ev.weights.shape)
    wrqw = np.matmul(np.matmul(ev.weights, rq), ev.weights)
    return np.asarray((counts[:, :, None, None] * ev.weights - wrqw).sum(axis=1), dtype=np.float64)


def theta_to_sigma(theta: FloatArray, t: int) -> tuple[FloatArray, FloatArray]:
    """Log-Cholesky parameters (B, d) -> (Sigma, L)."""
    rows, cols = np.tril_indices(t)
    low = np.zeros((theta.shape[0], t, t))
    low[:, rows, cols] = theta
    diag = np.arange(t)
    low[:, diag, diag] = np.exp(np.clip(low[:, diag, diag], -300.0, 300.0))
    return np.matmul(low, low.transpose(0, 2, 1)), low


def sigma_to_theta(sigma: FloatArray) -> FloatArray:
    t = sigma.shape[-1]
    low = np.linalg.cholesky(sigma)
    diag = np.arange(t)
    low[:, diag, diag] = np.log(low[:, diag, diag])
    rows, cols = np.tril_indices(t)
    return np.asarray(low[:, rows, cols], dtype=np.float64)


def _value(stats: SuffStats, theta: FloatArray) -> FloatArray:
    sigma, _ = theta_to_sigma(theta, stats.design.n_visits)
    return evaluate(stats, sigma).m2ll


def _value_grad(stats: SuffStats, theta: FloatArray) -> tuple[FloatArray, FloatArray]:
    t = stats.design.n_visits
    sigma, low = theta_to_sigma(theta, t)
    ev = evaluate(stats, sigma)
    g = gradient_sigma(stats, ev)
    dlow = 2.0 * np.matmul(g, low)
    diag = np.arange(t)
    dlow[:, diag, diag] *= low[:, diag, diag]
    r, c = np.tril_indices(t)
    return ev.m2ll, dlow[:, r, c]


def starting_sigma(stats: SuffStats) -> FloatArray:
    """Pairwise residual moments of the OLS fit, eigenvalue-clipped to be positive definite."""
    t = stats.design.n_visits
    b = stats.batch
    p = stats.design.n_coef
    ident = (
        np.broadcast_to(np.eye(t), (b, stats.masks.shape[0], t, t)) * stats.masks[None, :, :, None]
    )
    ident = ident * stats.masks[None, :, None, :]
    q = p + 1
    aug = np.matmul(ident.reshape(b, 1, -1), stats.gram).reshape(b, q, q)
    xtx = aug[:, :p, :p] + 1e-9 * np.eye(p)
    beta = np.linalg.solve(xtx, aug[:, :p, p : p + 1])[..., 0]
    btilde = np.concatenate([-beta, np.ones((b, 1))], axis=1)
    kmat = btilde[:, :, None] * btilde[:, None, :]
    rr = np.matmul(stats.gram, kmat.reshape(b, q * q, 1)).reshape(b, -1, t, t).sum(axis=1)
    both = stats.masks[:, :, None] & stats.masks[:, None, :]
    pairs = np.einsum("bm,mjk->bjk", stats.counts, both.astype(np.float64))
    sigma = rr / np.maximum(pairs, 1.0)
    sigma = 0.5 * (sigma + sigma.transpose(0, 2, 1))
    vals, vecs = np.linalg.eigh(sigma)
    floor = 0.05 * np.maximum(vals.max(axis=1, keepdims=True), 1e-12)
    vals = np.maximum(vals, floor)
    return np.asarray(np.matmul(vecs * vals[:, None, :], vecs.transpose(0, 2, 1)), np.float64)


@dataclass(frozen=True)
class FitResult:
    sigma: FloatArray  # (B, T, T)
    m2ll: FloatArray  # (B,)
    converged: BoolArray  # (B,)
    iterations: IntArray  # (B,)


def fit(stats: SuffStats, max_iter: int = 60, tol: float = 1e-10) -> FitResult:
    """Newton-REML on every dataset of the batch; returns Sigma-hat per dataset."""
    t = stats.design.n_visits
    theta = sigma_to_theta(starting_sigma(stats))
    b, d = theta.shape
    converged = np.zeros(b, dtype=bool)
    failed = np.zeros(b, dtype=bool)
    iterations = np.zeros(b, dtype=np.int64)
    m2ll = np.full(b, np.nan)
    for _ in range(max_iter):
        active = np.flatnonzero(~converged & ~failed)
        if active.size == 0:
            break
        stats_a = _subset(stats, active)
        th = theta[active]
        f, g = _value_grad(stats_a, th)
        hess = np.empty((active.size, d, d))
        for k in range(d):
            h = 1e-6 * np.maximum(1.0, np.abs(th[:, k]))
            shifted = th.copy()
            shifted[:, k] += h
            _, gk = _value_grad(stats_a, shifted)
            hess[:, :, k] = (gk - g) / h[:, None]
        hess = 0.5 * (hess + hess.transpose(0, 2, 1))
        vals, vecs = np.linalg.eigh(np.nan_to_num(hess))
        vals = np.maximum(
            np.abs(vals), 1e-8 * np.maximum(np.abs(vals).max(axis=1, keepdims=True), 1e-12)
        )
        step = -np.einsum("bij,bj,bkj,bk->bi", vecs, 1.0 / vals, vecs, g)
        decrement = -np.einsum("bi,bi->b", g, step)
        bad = ~np.isfinite(f) | ~np.isfinite(decrement)
        scale = np.ones(active.size)
        f_new = np.full(active.size, np.nan)
        todo = ~bad
        for _half in range(40):
            idx = np.flatnonzero(todo)
            if idx.size == 0:
                break
            fn = _value(_subset(stats_a, idx), th[idx] + scale[idx, None] * step[idx])
            accept = np.isfinite(fn) & (fn <= f[idx] - 1e-4 * scale[idx] * decrement[idx] + 1e-12)
            f_new[idx[accept]] = fn[accept]
            todo[idx[accept]] = False
            scale[idx[~accept]] *= 0.5
        moved = np.isfinite(f_new)
        th_new = np.where(moved[:, None], th + scale[:, None] * step, th)
        theta[active] = th_new
        iterations[active] += 1
        m2ll[active] = np.where(moved, f_new, f)
        done = moved & (decrement < tol)
        stuck = ~moved & (decrement < 1e3 * tol)
        converged[active[done | stuck]] = True
        failed[active[bad | (~moved & ~stuck)]] = True
    sigma, _ = theta_to_sigma(theta, t)
    return FitResult(sigma=sigma, m2ll=m2ll, converged=converged, iterations=iterations)


def _subset(stats: SuffStats, idx: IntArray) -> SuffStats:
    return SuffStats(
        design=stats.design,
        masks=stats.masks,
        counts=stats.counts[idx],
        gram=stats.gram[idx],
        n_obs=stats.n_obs[idx],
        base_mean=stats.base_mean[idx],
        cell_counts=stats.cell_counts[idx],
    )
