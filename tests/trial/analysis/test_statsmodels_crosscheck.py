"""Cross-check against statsmodels MixedLM, an independent REML implementation.

MixedLM with unstructured random visit effects (re_formula "0 + C(visit)") plus residual error
spans every unstructured Sigma, so its REML fit is the same marginal model (stats.md §4a):
Sigma = G + s2 I and the fixed effects must agree up to MixedLM's optimiser tolerance (stats.md
measured <= 1.05e-4 on beta). MixedLM has no Satterthwaite df, so only estimates are compared.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hipback.trial.analysis import fit_mmrm, read_long_csv

REFERENCE = Path(__file__).parents[2] / "reference"


def test_mixedlm_gives_the_same_fit() -> None:
    smf = pytest.importorskip("statsmodels.formula.api")
    path = REFERENCE / "dropout_2visit.csv"
    d = pd.read_csv(path).dropna(subset=["outcome"])
    d["chg"] = d.outcome - d.baseline
    d["arm"] = pd.Categorical(d.arm, categories=["spine", "hip"])
    d["visit"] = pd.Categorical(d.visit, categories=["8wk", "6mo"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = smf.mixedlm(
            "chg ~ visit*arm + visit*baseline + C(site) + C(sex)",
            d,
            groups=d["participant_id"],
            re_formula="0 + visit",
        ).fit(reml=True, method=["lbfgs"])
    ours = fit_mmrm(read_long_csv(path), "spine")
    sigma = np.asarray(fit.cov_re) + fit.scale * np.eye(2)
    np.testing.assert_allclose(ours.covariance, sigma, rtol=1e-4)
    assert ours.coefficients["armhip"] == pytest.approx(fit.params["arm[T.hip]"], abs=1e-4)
    assert ours.coefficients["visit6mo:armhip"] == pytest.approx(
        fit.params["visit[T.6mo]:arm[T.hip]"], abs=1e-4
    )
    assert ours.coefficients["base"] == pytest.approx(fit.params["baseline"], abs=1e-4)
