"""Write the committed MMRM reference datasets (long CSV, the `hipback trial analyse` contract).

Standalone on purpose (NumPy only, fixed seeds) so the fixtures do not move when the simulator in
``hipback.trial.analysis.simulate`` changes. Regenerate (rarely; R outputs must then be rerun):

    .venv/bin/python tests/reference/make_datasets.py
    Rscript tests/reference/mmrm_reference.R

Numbers are illustrative (MASH-like scales), not trial data.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent


def _write(
    name: str,
    arms: list[str],
    sites: list[str],
    site_p: list[float],
    visits: list[str],
    base: np.ndarray,
    arm: np.ndarray,
    site: np.ndarray,
    sex: np.ndarray,
    post: np.ndarray,
    decimals: int,
) -> None:
    with (HERE / name).open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["participant_id", "arm", "site", "sex", "visit", "baseline", "outcome"])
        for i in range(base.shape[0]):
            for j, v in enumerate(visits):
                value = "" if np.isnan(post[i, j]) else f"{post[i, j]:.{decimals}f}"
                out.writerow(
                    [
                        f"P{i + 1:03d}",
                        arms[arm[i]],
                        sites[site[i]],
                        "F" if sex[i] else "M",
                        v,
                        f"{base[i]:.{decimals}f}",
                        value,
                    ]
                )


def make(
    name: str,
    seed: int,
    n: int,
    arms: list[str],
    effects: list[list[float]],
    sites: list[str],
    site_p: list[float],
    visits: list[str],
    control_change: list[float],
    sds: list[float],
    corr: float,
    base_mean: float,
    base_sd: float,
    lo: float,
    hi: float,
    p_none: float,
    p_drop_last: float,
    p_intermittent: float,
    decimals: int,
) -> None:
    rng = np.random.default_rng(seed)
    t = len(visits)
    site = rng.choice(len(sites), size=n, p=site_p)
    sex = rng.random(n) < 0.62
    arm = rng.permutation(np.arange(n) % len(arms))
    base = np.clip(rng.normal(base_mean, base_sd, n), lo, hi)
    cov = np.array([[sds[j] * sds[k] * corr ** abs(j - k) for k in range(t)] for j in range(t)])
    err = rng.multivariate_normal(np.zeros(t), cov, size=n)
    site_eff = np.linspace(-0.1, 0.1, len(sites)) * base_sd
    change = (
        np.array(control_change)[None, :]
        + np.array(effects)[arm]
        - 0.25 * (base - base_mean)[:, None]
        + site_eff[site][:, None]
        + 0.1 * base_sd * sex[:, None]
        + err
    )
    post = np.clip(base[:, None] + change, lo, hi)
    post[rng.random(n) < p_none] = np.nan
    z = (change[:, 0] - change[:, 0].mean()) / change[:, 0].std()
    drop = rng.random(n) < p_drop_last * 2 / (1 + np.exp(-z))
    post[drop, t - 1] = np.nan
    if t > 2:  # monotone dropout after the first visit for some, so patterns 1-only and 1,3 exist
        post[rng.random(n) < p_drop_last, 1:] = np.nan
        post[rng.random(n) < p_intermittent, 1] = np.nan
    post[rng.random(n) < p_intermittent, 0] = np.nan
    _write(name, arms, sites, site_p, visits, base, arm, site, sex, post, decimals)


def main() -> None:
    sites3 = ["delaware", "duke", "pittsburgh"]
    make(
        "mash_qbpds_2visit.csv", 101, 184, ["spine", "hip"], [[0, 0], [-4.5, -2.0]], sites3,
        [0.40, 0.25, 0.35], ["8wk", "6mo"], [-8, -9], [11, 13], 0.55, 28, 14, 0, 100,
        0.03, 0.05, 0.02, 0,
    )  # fmt: skip
    make(
        "dropout_2visit.csv", 202, 184, ["spine", "hip"], [[0, 0], [-4.0, -1.5]], sites3,
        [0.40, 0.25, 0.35], ["8wk", "6mo"], [-8, -9], [11, 13], 0.55, 28, 14, 0, 100,
        0.06, 0.15, 0.08, 0,
    )  # fmt: skip
    make(
        "three_visit.csv", 303, 150, ["spine", "hip"], [[0, 0, 0], [-4.0, -2.5, -1.0]], sites3,
        [0.40, 0.25, 0.35], ["8wk", "6mo", "12mo"], [-8, -9, -8], [11, 13, 14], 0.6, 28, 14,
        0, 100, 0.03, 0.10, 0.06, 1,
    )  # fmt: skip
    make(
        "unbalanced_sites_gait.csv", 404, 120, ["spine", "hip"], [[0, 0], [0.04, 0.02]],
        ["a", "b", "c", "d"], [0.55, 0.25, 0.15, 0.05], ["8wk", "6mo"], [0.02, 0.03],
        [0.12, 0.14], 0.5, 1.1, 0.2, 0.2, 2.0, 0.03, 0.08, 0.03, 3,
    )  # fmt: skip
    make(
        "three_arms.csv", 505, 150, ["spine", "hip", "usual"], [[0, 0], [-4, -2], [2, 1]],
        sites3, [0.40, 0.25, 0.35], ["8wk", "6mo"], [-8, -9], [11, 13], 0.55, 28, 14, 0, 100,
        0.03, 0.06, 0.03, 1,
    )  # fmt: skip


if __name__ == "__main__":
    main()
