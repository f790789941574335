"""Agreement with R nlme::gls(corSymm + varIdent, REML) + emmeans (Satterthwaite).

Expected values are R's own outputs saved by tests/reference/mmrm_reference.R (R 4.2.2, nlme
3.1-162, emmeans 1.8.4-1) on the committed CSVs in tests/reference/; CI does not need R.
Tolerances (issue 5, stats.md §5): estimates and SEs 1e-4 on the outcome's scale, df 2 % relative
(emmeans takes df from nlme's coarse numeric Hessian, which alone moves df by ~1 %).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from hipback.trial.analysis import fit_mmrm, read_long_csv

REFERENCE = Path(__file__).parents[2] / "reference"
# dataset -> scale of the outcome (QBPDS points = 1; gait speed m/s ~ 1/100 of that)
DATASETS = {
    "mash_qbpds_2visit": 1.0,
    "dropout_2visit": 1.0,
    "three_visit": 1.0,
    "unbalanced_sites_gait": 0.01,
    "three_arms": 1.0,
}


def _load(name: str) -> tuple[dict[str, object], dict[str, object]]:
    r = json.loads((REFERENCE / f"{name}.R.json").read_text())
    ours = fit_mmrm(read_long_csv(REFERENCE / f"{name}.csv"), reference="spine").as_dict()
    return r, ours


@pytest.mark.parametrize(("name", "scale"), DATASETS.items())
def test_coefficients_covariance_and_loglik_match_r(name: str, scale: float) -> None:
    r, ours = _load(name)
    assert ours["converged"] is True
    coefs = ours["coefficients"]
    assert isinstance(coefs, list)
    assert [c["name"] for c in coefs] == r["coef_names"]
    np.testing.assert_allclose([c["estimate"] for c in coefs], r["coef"], rtol=0, atol=1e-4 * scale)
    np.testing.assert_allclose([c["se"] for c in coefs], r["coef_se"], rtol=0, atol=1e-4 * scale)
    cov = ours["covariance"]
    assert isinstance(cov, dict)
    np.testing.assert_allclose(cov["matrix"], r["sigma"], rtol=1e-4)
    # same REML constant as nlme; R stops its optimiser early, so ours is never lower
    assert ours["log_likelihood_reml"] == pytest.approx(r["loglik"], abs=1e-6)
    assert ours["log_likelihood_reml"] >= r["loglik"] - 1e-9  # type: ignore[operator]
    assert ours["n_observations"] == r["n_observations"]
    assert ours["n_participants"] == r["n_participants"]


@pytest.mark.parametrize(("name", "scale"), DATASETS.items())
def test_differences_match_emmeans(name: str, scale: float) -> None:
    r, ours = _load(name)
    rc = r["contrasts"]
    assert isinstance(rc, dict)
    contrasts = ours["contrasts"]
    assert isinstance(contrasts, list)
    assert [f"{c['arm']} - {c['reference']}" for c in contrasts] == rc["contrast"]
    assert [c["visit"] for c in contrasts] == rc["visit"]
    got = {
        k: np.array([c[k] for c in contrasts])
        for k in contrasts[0]
        if k not in ("visit", "arm", "reference")
    }
    atol = 1e-4 * scale
    np.testing.assert_allclose(got["difference"], rc["estimate"], rtol=0, atol=atol)
    np.testing.assert_allclose(got["se"], rc["se"], rtol=0, atol=atol)
    np.testing.assert_allclose(got["df"], rc["df"], rtol=0.02)
    np.testing.assert_allclose(got["t"], rc["t"], rtol=0, atol=1e-4)
    np.testing.assert_allclose(got["p"], rc["p"], rtol=0, atol=1e-4)
    # CI bounds inherit the df noise: 1e-3 on the outcome scale (stats.md §5)
    np.testing.assert_allclose(got["ci_low"], rc["ci_low"], rtol=0, atol=1e-3 * scale)
    np.testing.assert_allclose(got["ci_high"], rc["ci_high"], rtol=0, atol=1e-3 * scale)


@pytest.mark.parametrize(("name", "scale"), DATASETS.items())
def test_lsmeans_match_emmeans(name: str, scale: float) -> None:
    r, ours = _load(name)
    rl = r["lsmeans"]
    assert isinstance(rl, dict)
    means = ours["lsmeans"]
    assert isinstance(means, list)
    assert [(m["arm"], m["visit"]) for m in means] == list(zip(rl["arm"], rl["visit"], strict=True))
    atol = 1e-4 * scale
    np.testing.assert_allclose([m["estimate"] for m in means], rl["estimate"], rtol=0, atol=atol)
    np.testing.assert_allclose([m["se"] for m in means], rl["se"], rtol=0, atol=atol)
    np.testing.assert_allclose([m["df"] for m in means], rl["df"], rtol=0.02)
    np.testing.assert_allclose(
        [m["ci_low"] for m in means], rl["ci_low"], rtol=0, atol=1e-3 * scale
    )
