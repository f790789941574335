"""Power simulation on a Dask cluster against local workers, in one run.

10,000 MASH-like trials (the bundled QBPDS scenario, chunks of 1,000, seed 20240611) with
``run_power`` in one process (the peer), with joblib on 2 local processes, and on a
``distributed.LocalCluster`` on loopback TCP with 2 worker processes (one thread each), the
path ``hipback trial power --dask tcp://…`` takes. Prints seconds, the speed-up over one process,
and checks that the three results are identical (per-chunk seeds).

Run: ``.venv/bin/python bench/dask_power.py [--trials 10000]``.
"""

from __future__ import annotations

import argparse
import os
import time

from distributed import LocalCluster

from hipback.trial.analysis.power import PowerResult, run_power
from hipback.trial.analysis.scenario import load_scenario


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=10_000)
    args = parser.parse_args()
    scenario = load_scenario()

    def power(**how: object) -> PowerResult:
        return run_power(scenario, "qbpds", args.trials, chunk=1000, **how)  # type: ignore[arg-type]

    results: dict[str, tuple[float, PowerResult]] = {}
    start = time.perf_counter()
    alone = power(jobs=1)
    results["1 process (peer)"] = (time.perf_counter() - start, alone)
    start = time.perf_counter()
    local = power(jobs=2)
    results["joblib, 2 local processes"] = (time.perf_counter() - start, local)
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        power(dask_address=cluster.scheduler_address)  # warm the workers' imports
        start = time.perf_counter()
        on_dask = power(dask_address=cluster.scheduler_address)
        results["Dask LocalCluster, 2 worker processes"] = (time.perf_counter() - start, on_dask)
    peer = results["1 process (peer)"][0]
    print(f"load average: {os.getloadavg()[0]:.2f}; {args.trials} trials, chunks of 1000")
    print(f"{'how':<40} {'seconds':>8} {'× peer':>7}")
    for name, (seconds, _) in results.items():
        print(f"{name:<40} {seconds:>8.2f} {peer / seconds:>7.2f}")
    rates = {
        name: [(v.rejection_rate, v.mean_estimate, v.coverage) for v in r.visits]
        for name, (_, r) in results.items()
    }
    assert len({tuple(v) for v in rates.values()}) == 1, rates
    print("identical results:", rates["1 process (peer)"])


if __name__ == "__main__":
    main()
