"""The simulator realises its parameters (checked against the scenario numbers, within
Monte-Carlo error), allocates in permuted blocks, and writes the analyse CSV contract."""

from __future__ import annotations

import numpy as np
import pytest

from hipback.trial.analysis import fit_batch, fit_mmrm, from_rows
from hipback.trial.analysis.scenario import load_scenario
from hipback.trial.analysis.simulate import simulate


def test_gait_changes_sds_and_correlation_match_the_scenario() -> None:
    full = load_scenario()
    # no missing data here: MAR dropout makes observed means differ on purpose (next test)
    none = full.missing.model_copy(update={"no_followup": 0.0, "dropout": [0.0, 0.0]})
    sc = full.model_copy(update={"missing": none})
    spec = sc.outcome("gait")  # gait rarely hits its clipping bounds [0.2, 2.0]
    sim = simulate(sc, "gait", np.random.default_rng(7), trials=200)
    change = sim.outcome - sim.baseline[..., None]
    control = change[sim.arm == 0]
    treated = change[sim.arm == 1]
    # ~18,000 participants per arm; SE of a mean change ~0.14/sqrt(17000) ~ 0.001; rounding to
    # 0.01 m/s adds noise, not bias
    np.testing.assert_allclose(np.nanmean(control, axis=0), spec.control_change, atol=0.006)
    np.testing.assert_allclose(
        np.nanmean(treated, axis=0) - np.nanmean(control, axis=0), spec.effect, atol=0.006
    )
    complete = control[~np.isnan(control).any(axis=1)]
    # covariate effects (baseline slope, site, sex) add variance on top of change_sd
    assert complete.std(axis=0) == pytest.approx(spec.change_sd, rel=0.15)
    assert np.corrcoef(complete.T)[0, 1] == pytest.approx(spec.correlation, abs=0.08)


def test_blocks_balance_each_stratum_and_missing_rates() -> None:
    sc = load_scenario()
    sim = simulate(sc, "qbpds", np.random.default_rng(8), trials=50)
    strata = sim.site * 2 + sim.sex
    for b in range(50):
        for s in range(6):
            arms = sim.arm[b, strata[b] == s]
            running = np.cumsum(np.where(arms == 1, 1, -1))
            assert np.abs(running).max(initial=0) <= sc.design.block_size // 2
    missing = np.isnan(sim.outcome)
    # 3 % no follow-up; 6-month dropout 7 % at the mean (logistic MAR, so a little more)
    assert missing.all(axis=2).mean() == pytest.approx(0.03, abs=0.01)
    assert missing[..., 1].mean() == pytest.approx(0.03 + 0.07, abs=0.04)
    # MAR: those who got worse by 8 weeks (QBPDS up) drop out more often before 6 months
    change8 = sim.outcome[..., 0] - sim.baseline
    seen8 = ~missing[..., 0]
    dropped = seen8 & missing[..., 1]
    stayed = seen8 & ~missing[..., 1]
    assert change8[dropped].mean() > change8[stayed].mean() + 2.0


def test_csv_rows_analyse_the_same_as_the_batch() -> None:
    sc = load_scenario()
    sim = simulate(sc, "qbpds", np.random.default_rng(9), trials=2, n=120)
    batch = fit_batch(sim.stats()).differences
    for trial in range(2):
        result = fit_mmrm(from_rows(list(sim.long_rows(trial))), reference="spine")
        got = [c.estimate for c in result.contrasts]
        np.testing.assert_allclose(got, batch.estimate[trial], rtol=1e-8)
        np.testing.assert_allclose([c.df for c in result.contrasts], batch.df[trial], rtol=1e-6)
