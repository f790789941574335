"""Results table in the usual shape of a trial paper (one row per time point): per arm the
observed n, mean and SD of the outcome, the model-based LS mean change with its CI, and each arm
minus the reference with CI and p. Exported as rows of plain values (CSV/JSON) and as text cells
formatted ``mean (SD)`` / ``est (low to high)``.

The baseline row describes everyone in the dataset (all randomised participants in the file);
follow-up rows describe those with the visit. Observed values are descriptive; the LS means and
differences come from the MMRM.
"""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING

import numpy as np

from hipback.core.escaping import write_csv
from hipback.trial.analysis.dataset import LongDataset
from hipback.trial.analysis.design import FloatArray

if TYPE_CHECKING:
    from hipback.trial.analysis.mmrm import MmrmResult


def _describe(values: FloatArray) -> tuple[int, float, float]:
    seen = values[~np.isnan(values)]
    n = int(seen.size)
    mean = float(seen.mean()) if n else math.nan
    sd = float(seen.std(ddof=1)) if n > 1 else math.nan
    return n, mean, sd


def results_table(data: LongDataset, result: MmrmResult) -> list[dict[str, object]]:
    """Rows: ``baseline`` then each fitted visit; columns prefixed by arm name."""
    arms = result.design.arms
    ref = arms[0]
    arm = np.array(data.arm)
    rows: list[dict[str, object]] = []
    base_row: dict[str, object] = {"timepoint": "baseline"}
    for a in arms:
        n, mean, sd = _describe(data.baseline[arm == a])
        base_row.update({f"{a}_n": n, f"{a}_mean": mean, f"{a}_sd": sd})
    rows.append(base_row)
    means = {(m.arm, m.visit): m for m in result.lsmeans}
    diffs = {(c.arm, c.visit): c for c in result.contrasts}
    for visit in result.design.visits:
        j = data.visits.index(visit)
        row: dict[str, object] = {"timepoint": visit}
        for a in arms:
            n, mean, sd = _describe(data.outcome[arm == a, j])
            m = means[a, visit]
            row.update(
                {
                    f"{a}_n": n,
                    f"{a}_mean": mean,
                    f"{a}_sd": sd,
                    f"{a}_lsmean_change": m.estimate,
                    f"{a}_lsmean_change_ci_low": m.ci_low,
                    f"{a}_lsmean_change_ci_high": m.ci_high,
                }
            )
        for a in arms[1:]:
            c = diffs[a, visit]
            key = f"{a}_minus_{ref}"
            row.update(
                {
                    f"{key}_difference": c.estimate,
                    f"{key}_ci_low": c.ci_low,
                    f"{key}_ci_high": c.ci_high,
                    f"{key}_p": c.p,
                }
            )
        rows.append(row)
    return rows


def formatted_table(
    rows: list[dict[str, object]], arms: tuple[str, ...], digits: int = 1
) -> list[dict[str, str]]:
    """Text cells as printed in papers: ``n``, ``mean (SD)``, ``LS mean change (95% CI)``."""

    def num(value: object) -> str:
        return f"{value:.{digits}f}" if isinstance(value, float) and math.isfinite(value) else ""

    out = []
    for row in rows:
        cells = {"timepoint": str(row["timepoint"])}
        for a in arms:
            cells[f"{a} n"] = str(row[f"{a}_n"])
            cells[f"{a} mean (SD)"] = f"{num(row[f'{a}_mean'])} ({num(row[f'{a}_sd'])})"
            if f"{a}_lsmean_change" in row:
                cells[f"{a} change (95% CI)"] = (
                    f"{num(row[f'{a}_lsmean_change'])} ({num(row[f'{a}_lsmean_change_ci_low'])} "
                    f"to {num(row[f'{a}_lsmean_change_ci_high'])})"
                )
        for a in arms[1:]:
            key = f"{a}_minus_{arms[0]}"
            if f"{key}_difference" in row:
                p = row[f"{key}_p"]
                cells[f"{a} - {arms[0]} (95% CI)"] = (
                    f"{num(row[f'{key}_difference'])} ({num(row[f'{key}_ci_low'])} to "
                    f"{num(row[f'{key}_ci_high'])})"
                )
                cells[f"{a} - {arms[0]} p"] = f"{p:.3f}" if isinstance(p, float) else ""
        out.append(cells)
    return out


def to_csv(rows: list[dict[str, object]]) -> str:
    """CSV text of table rows (union of columns, in first-seen order; empty for missing/NaN)."""
    columns: list[str] = []
    for row in rows:
        columns += [k for k in row if k not in columns]
    buffer = io.StringIO()
    write_csv(
        buffer,
        columns,
        (
            {k: "" if isinstance(v, float) and not math.isfinite(v) else v for k, v in row.items()}
            for row in rows
        ),
        lineterminator="\n",
    )
    return buffer.getvalue()
