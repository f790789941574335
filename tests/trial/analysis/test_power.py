"""Power simulation: under the null (effect 0) the Satterthwaite t-test rejects 5 % and the
95 % CI covers 0 in 95 % of trials, within Monte-Carlo error; results do not depend on workers."""

from __future__ import annotations

import math

from hipback.trial.analysis.power import run_power
from hipback.trial.analysis.scenario import load_scenario

TRIALS = 2000
MC_SE = math.sqrt(0.05 * 0.95 / TRIALS)  # 0.0049


def test_null_rejection_rate_and_coverage_are_calibrated() -> None:
    result = run_power(load_scenario(), "qbpds", TRIALS, seed=11, effect=[0.0], chunk=500)
    assert result.converged == TRIALS
    for v in result.visits:
        assert abs(v.rejection_rate - 0.05) < 3 * MC_SE
        assert abs(v.coverage - 0.95) < 3 * MC_SE
        # model-based SE agrees with the spread of the estimates (within ~5 % at 2000 trials)
        assert abs(v.mean_se / v.sd_estimate - 1) < 0.06


def test_same_seed_same_answer_for_any_worker_count() -> None:
    seen = []
    progress: list[int] = []
    for jobs in (1, 2):
        r = run_power(
            load_scenario(), "gait", 300, seed=5, chunk=100, jobs=jobs, on_progress=progress.append
        )
        seen.append([(v.rejection_rate, v.mean_estimate) for v in r.visits])
    assert seen[0] == seen[1]
    assert sum(progress) == 600
