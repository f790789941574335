"""Results table: descriptive cells are hand-checkable; model cells are the MMRM's own."""

from __future__ import annotations

import csv
import io
import math

import numpy as np
import pytest

from hipback.trial.analysis import LongDataset, fit_mmrm, from_rows
from hipback.trial.analysis.results import formatted_table, results_table, to_csv

HEADER = ["participant_id", "arm", "site", "sex", "visit", "baseline", "outcome"]


def _data() -> LongDataset:
    rng = np.random.default_rng(12)
    rows = []
    for i in range(40):
        arm = "hip" if i % 2 else "spine"
        base = 20 + (i % 7)
        for v, shift in (("8wk", -8), ("6mo", -9)):
            y = base + shift + rng.normal(0, 4) - 2 * (arm == "hip")
            site = "ab"[i % 4 == 0]
            sex = "FM"[i % 3 == 0]
            values = [f"p{i}", arm, site, sex, v, str(base), f"{y:.1f}"]
            rows.append(dict(zip(HEADER, values, strict=True)))
    rows[0]["outcome"] = ""  # p0 (spine) misses 8 weeks
    return from_rows(rows)


def test_descriptive_cells_and_model_cells() -> None:
    data = _data()
    result = fit_mmrm(data, "spine")
    rows = results_table(data, result)
    assert [r["timepoint"] for r in rows] == ["baseline", "8wk", "6mo"]
    # baseline of spine participants (even i): 20 + (i % 7) for i = 0, 2, ..., 38
    spine_base = [20 + (i % 7) for i in range(0, 40, 2)]
    assert rows[0]["spine_n"] == 20
    assert rows[0]["spine_mean"] == pytest.approx(np.mean(spine_base))
    assert rows[0]["spine_sd"] == pytest.approx(np.std(spine_base, ddof=1))
    assert rows[1]["spine_n"] == 19  # p0 missed 8 weeks
    assert rows[2]["spine_n"] == 20
    c = result.contrasts[0]
    assert rows[1]["hip_minus_spine_difference"] == c.estimate
    assert rows[1]["hip_minus_spine_p"] == c.p
    m = next(m for m in result.lsmeans if (m.arm, m.visit) == ("hip", "6mo"))
    assert rows[2]["hip_lsmean_change"] == m.estimate


def test_csv_and_formatted_cells() -> None:
    data = _data()
    result = fit_mmrm(data, "spine")
    rows = results_table(data, result)
    parsed = list(csv.DictReader(io.StringIO(to_csv(rows))))
    assert parsed[0]["hip_lsmean_change"] == ""  # baseline row has no model cells
    assert math.isclose(
        float(parsed[1]["hip_minus_spine_difference"]), result.contrasts[0].estimate
    )
    text = formatted_table(rows, result.design.arms)
    assert text[1]["hip - spine (95% CI)"].startswith(f"{result.contrasts[0].estimate:.1f} (")
    assert " to " in text[1]["spine change (95% CI)"]
