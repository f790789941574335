"""Inference at the REML optimum: SEs, Satterthwaite df, t-based CIs and p (stats.md §3-4c).

For a contrast l with C = (X'V^-1X)^-1: Var(l'beta) = l'Cl and
    nu = 2 (l'Cl)^2 / (g' W g),  g_k = l' (dC/dtheta_k) l,
with theta = vech(Sigma) and W the inverse *observed* information of theta (as emmeans and R's
mmrm use). dC/dtheta_k = C X'W E_k W X C (E_k the symmetric unit matrix of theta_k) is exact;
the observed information is the central-difference Jacobian of the analytic REML gradient.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hipback.trial.analysis.design import FloatArray, SuffStats
from hipback.trial.analysis.reml import Evaluation, evaluate, gradient_sigma


def _unit_matrices(t: int) -> FloatArray:
    rows, cols = np.tril_indices(t)
    units = np.zeros((rows.size, t, t))
    for k, (j, i) in enumerate(zip(rows, cols, strict=True)):
        units[k, j, i] = 1.0
        units[k, i, j] = 1.0
    return units


def vech_gradient(stats: SuffStats, sigma: FloatArray) -> FloatArray:
    """d(-2 l_REML)/d vech(Sigma), shape (B, d)."""
    g = gradient_sigma(stats, evaluate(stats, sigma))
    units = _unit_matrices(sigma.shape[-1])
    return np.asarray(np.einsum("bjk,djk->bd", g, units), dtype=np.float64)


def observed_information(stats: SuffStats, sigma: FloatArray, rel_step: float = 1e-4) -> FloatArray:
    """Observed information of vech(Sigma) for l_REML (half the Hessian of -2 l), (B, d, d)."""
    t = sigma.shape[-1]
    units = _unit_matrices(t)
    rows, cols = np.tril_indices(t)
    sd = np.sqrt(np.diagonal(sigma, axis1=1, axis2=2))
    hess = np.empty((sigma.shape[0], units.shape[0], units.shape[0]))
    for k in range(units.shape[0]):
        h = rel_step * sd[:, rows[k]] * sd[:, cols[k]]
        step = h[:, None, None] * units[k]
        up = vech_gradient(stats, sigma + step)
        down = vech_gradient(stats, sigma - step)
        hess[:, :, k] = (up - down) / (2.0 * h[:, None])
    hess = 0.5 * (hess + hess.transpose(0, 2, 1))
    return np.asarray(0.5 * hess, dtype=np.float64)


def dcov_beta(stats: SuffStats, ev: Evaluation) -> FloatArray:
    """dC/dtheta_k for every vech element, shape (B, d, p, p)."""
    b, _, t, _ = ev.weights.shape
    p = stats.design.n_coef
    q = p + 1
    units = _unit_matrices(t)
    out = np.empty((b, units.shape[0], p, p))
    for k in range(units.shape[0]):
        wew = np.matmul(np.matmul(ev.weights, units[k]), ev.weights)
        mid = np.matmul(wew.reshape(b, 1, -1), stats.gram).reshape(b, q, q)[:, :p, :p]
        out[:, k] = np.matmul(np.matmul(ev.cov_beta, mid), ev.cov_beta)
    return out


def _safe_inverse(a: FloatArray) -> FloatArray:
    """Batched inverse; NaN for datasets whose matrix is singular or not finite."""
    good = np.isfinite(a).all(axis=(1, 2))
    if good.all():
        try:
            return np.asarray(np.linalg.inv(a), dtype=np.float64)
        except np.linalg.LinAlgError:
            pass
    out = np.full_like(a, np.nan)
    for i in np.flatnonzero(good):
        try:
            out[i] = np.linalg.inv(a[i])
        except np.linalg.LinAlgError:
            continue
    return out


@dataclass(frozen=True)
class Inference:
    """Estimates for rows of L (B, n, p): arrays of shape (B, n)."""

    estimate: FloatArray
    se: FloatArray
    df: FloatArray
    t: FloatArray
    p: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray


def infer(
    contrasts: FloatArray,
    beta: FloatArray,
    cov_beta: FloatArray,
    dcov: FloatArray,
    info: FloatArray,
    level: float = 0.95,
) -> Inference:
    """Estimate, SE, Satterthwaite df, t, two-sided p and CI for each contrast row."""
    # Student t tail and quantile straight from scipy.special (what scipy.stats.t calls; the
    # stats package adds ~0.3 s of import), imported on first use.
    from scipy.special import stdtr, stdtrit

    est = np.einsum("bnp,bp->bn", contrasts, beta)
    var = np.einsum("bnp,bpq,bnq->bn", contrasts, cov_beta, contrasts)
    grad = np.einsum("bnp,bkpq,bnq->bnk", contrasts, dcov, contrasts)
    w = _safe_inverse(info)
    denom = np.einsum("bnk,bkl,bnl->bn", grad, w, grad)
    with np.errstate(divide="ignore", invalid="ignore"):
        df = np.where(denom > 0, 2.0 * var**2 / denom, np.nan)
        se = np.sqrt(var)
        tval = est / se
    pval = 2.0 * stdtr(df, -np.abs(tval))  # = 2 t.sf(|t|, df)
    half = stdtrit(df, 0.5 + level / 2.0) * se  # = t.ppf(0.5 + level / 2, df) * se
    return Inference(
        estimate=est,
        se=se,
        df=df,
        t=tval,
        p=np.asarray(pval, dtype=np.float64),
        ci_low=est - half,
        ci_high=est + half,
    )
