"""Design matrix and REML sufficient statistics for the MMRM, batched over many datasets.

Model (R notation): ``chg ~ visit*arm + visit*base + site + sex`` with R's treatment coding, so
coefficients come in R's order and can be compared with ``nlme::gls`` one by one::

    (Intercept), visit2..T, arm2..K, base, site2..S, sex2..X,
    visit2:arm2, visit3:arm2, .., visitT:armK   (visit varies fastest, as in R),
    visit2:base .. visitT:base

A *batch* is B datasets with the same number of participant slots N (a slot may be unused:
every visit missing). Coded inputs: ``arm``, ``site``, ``sex`` integer level indices (B, N),
``base`` (B, N) and ``y`` (B, N, T), NaN where a visit is missing.

The REML criterion depends on the data only through, for each missingness pattern m, the Gram
matrix S[m] = sum over participants with pattern m of z z' where z stacks (x_j, y_j) for the T
visits (zero blocks for missing visits) -- see docs/trial-analysis.md and stats.md §4c.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class Design:
    """Factor levels of one model; fixes the column layout of X."""

    visits: tuple[str, ...]
    arms: tuple[str, ...]  # arms[0] is the reference
    sites: tuple[str, ...]
    sexes: tuple[str, ...]

    @property
    def n_visits(self) -> int:
        return len(self.visits)

    @property
    def _offsets(self) -> tuple[int, int, int, int, int, int, int]:
        t, k, s, x = len(self.visits), len(self.arms), len(self.sites), len(self.sexes)
        arm0 = t
        base = arm0 + k - 1
        site0 = base + 1
        sex0 = site0 + s - 1
        va0 = sex0 + x - 1
        vb0 = va0 + (t - 1) * (k - 1)
        p = vb0 + t - 1
        return arm0, base, site0, sex0, va0, vb0, p

    @property
    def n_coef(self) -> int:
        return self._offsets[-1]

    def coefficient_names(self) -> list[str]:
        """Names in R's style (``visit6mo:armhip``) in column order."""
        names = ["(Intercept)"]
        names += [f"visit{v}" for v in self.visits[1:]]
        names += [f"arm{a}" for a in self.arms[1:]]
        names.append("base")
        names += [f"site{s}" for s in self.sites[1:]]
        names += [f"sex{x}" for x in self.sexes[1:]]
        names += [f"visit{v}:arm{a}" for a in self.arms[1:] for v in self.visits[1:]]
        names += [f"visit{v}:base" for v in self.visits[1:]]
        return names

    def rows(self, arm: IntArray, site: IntArray, sex: IntArray, base: FloatArray) -> FloatArray:
        """X rows for every participant slot and visit: shape (..., T, p)."""
        t = self.n_visits
        arm0, bcol, site0, sex0, va0, vb0, p = self._offsets
        x = np.zeros((*base.shape, t, p))
        x[..., :, 0] = 1.0
        for j in range(1, t):
            x[..., j, j] = 1.0
            x[..., j, vb0 + j - 1] = base
        x[..., :, bcol] = base[..., None]
        for a in range(1, len(self.arms)):
            on = (arm == a)[..., None].astype(np.float64)
            x[..., :, arm0 + a - 1] = on
            for j in range(1, t):
                x[..., j, va0 + (a - 1) * (t - 1) + j - 1] = on[..., 0]
        for s in range(1, len(self.sites)):
            x[..., :, site0 + s - 1] = (site == s)[..., None]
        for k in range(1, len(self.sexes)):
            x[..., :, sex0 + k - 1] = (sex == k)[..., None]
        return x

    def grid_row(self, arm: int, visit: int, base_mean: FloatArray) -> FloatArray:
        """emmeans reference-grid row for (arm, visit): base at ``base_mean`` (shape (B,)),
        site and sex levels weighted equally. Returns (B, p)."""
        t = self.n_visits
        arm0, bcol, site0, sex0, va0, vb0, p = self._offsets
        row = np.zeros((base_mean.shape[0], p))
        row[:, 0] = 1.0
        row[:, bcol] = base_mean
        if visit > 0:
            row[:, visit] = 1.0
            row[:, vb0 + visit - 1] = base_mean
        if arm > 0:
            row[:, arm0 + arm - 1] = 1.0
            if visit > 0:
                row[:, va0 + (arm - 1) * (t - 1) + visit - 1] = 1.0
        row[:, site0 : site0 + len(self.sites) - 1] = 1.0 / len(self.sites)
        row[:, sex0 : sex0 + len(self.sexes) - 1] = 1.0 / len(self.sexes)
        return row


@dataclass(frozen=True)
class SuffStats:
    """Per-pattern Gram matrices of a batch; everything the REML fit needs.

    ``gram`` has shape (B, M*T*T, q*q) with q = p + 1: entry [b, (m, j, k), (a, c)] is
    sum over participants with pattern m of z_ja z_kc (z = (x, y)). ``masks`` (M, T) are the
    observed visits of each pattern; ``counts`` (B, M) the participants per pattern.
    """

    design: Design
    masks: BoolArray
    counts: FloatArray
    gram: FloatArray
    n_obs: FloatArray  # (B,) observed rows
    base_mean: FloatArray  # (B,) mean baseline over observed rows (emmeans convention)
    cell_counts: FloatArray  # (B, K, T) observed rows per arm and visit

    @property
    def batch(self) -> int:
        return int(self.counts.shape[0])


def sufficient_stats(
    design: Design, arm: IntArray, site: IntArray, sex: IntArray, base: FloatArray, y: FloatArray
) -> SuffStats:
    """Build the Gram matrices for a batch; rows with a NaN outcome are left out."""
    b, n, t = y.shape
    observed = ~np.isnan(y)
    x = design.rows(arm, site, sex, base)
    q = design.n_coef + 1
    z = np.concatenate([x, y[..., None]], axis=-1)
    z = np.where(observed[..., None], z, 0.0)
    code = (observed * (1 << np.arange(t))).sum(axis=-1)
    present = np.unique(code[code > 0])
    masks = ((present[:, None] >> np.arange(t)) & 1).astype(bool)
    zf = z.reshape(b, n, t * q)
    grams = np.empty((b, len(present), t * q, t * q))
    counts = np.empty((b, len(present)))
    for m, c in enumerate(present):
        sel = code == c
        zm = zf * sel[..., None]
        grams[:, m] = np.matmul(zm.transpose(0, 2, 1), zm)
        counts[:, m] = sel.sum(axis=1)
    gram = (
        grams.reshape(b, len(present), t, q, t, q)
        .transpose(0, 1, 2, 4, 3, 5)
        .reshape(b, len(present) * t * t, q * q)
    )
    n_obs = observed.sum(axis=(1, 2)).astype(np.float64)
    base_sum = np.where(observed, base[..., None], 0.0).sum(axis=(1, 2))
    cells = np.stack(
        [(observed & (arm == a)[..., None]).sum(axis=1) for a in range(len(design.arms))], axis=1
    ).astype(np.float64)
    return SuffStats(
        design=design,
        masks=masks,
        counts=counts,
        gram=np.ascontiguousarray(gram),
        n_obs=n_obs,
        base_mean=base_sum / np.maximum(n_obs, 1.0),
        cell_counts=cells,
    )
