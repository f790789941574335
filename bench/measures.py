"""Responses scored per second: batched (NumPy) vs one call per response, QBPDS and ODI.

Run: ``make bench`` (or ``.venv/bin/python bench/measures.py [N]``). Prints rates and ratios
measured in this run against two peers: the single-call path and a bare NumPy row sum with no
validation (the floor any batch scorer pays). Goal (issue 2): ≥ 1,000,000 responses per second
batched on a 2-core machine. Results are recorded in docs/performance.md.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import numpy as np

from hipback.measures import get, score_batch


def best_of(fn: Callable[[], object], repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(n: int = 1_000_000, n_single: int = 20_000) -> None:
    rng = np.random.default_rng(2026)
    print(f"hipback measures bench: {n:,} responses batched, {n_single:,} single calls")
    print(
        f"{'instrument':<10} {'batched/s':>14} {'single/s':>12} {'bare sum/s':>14} "
        f"{'batch÷single':>13} {'batch÷bare':>11}"
    )
    for instrument, k in (("qbpds", 20), ("odi", 10)):
        data = rng.integers(0, 6, size=(n, k)).astype(np.float64)
        if instrument == "odi":  # one missing section in 10 % of rows, as in clinic data
            data[rng.random(n) < 0.1, 7] = np.nan
        result = score_batch(instrument, data)
        assert result.ok.all()
        batched = n / best_of(lambda d=data, i=instrument: score_batch(i, d))
        measure = get(instrument)
        rows = [
            {"items": [None if np.isnan(v) else int(v) for v in row]} for row in data[:n_single]
        ]
        single = n_single / best_of(lambda m=measure, r=rows: [m.score(x) for x in r], repeats=1)
        bare = n / best_of(lambda d=data: np.nansum(d, axis=1))
        print(
            f"{instrument:<10} {batched:>14,.0f} {single:>12,.0f} {bare:>14,.0f} "
            f"{batched / single:>12.0f}x {batched / bare:>10.2f}x"
        )


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
