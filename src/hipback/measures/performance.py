"""Shared machinery of performance tests and measurements (walks, chair rises, TUG, strength).

Norm and threshold tables live as ``[[norms]]`` rows in each test's TOML file. Published cut-offs
mix strict and non-strict inequalities ("< 1.0 m/s", "≥ 12 s"), while a band row is inclusive at
both ends, so one convention settles shared edges: **within a table, when a value sits on the
edge shared by two band rows, the row listed later in the file wins.** Each file orders its rows
so that this reproduces the published inequality, and its tests check every edge.

The category (``Score.category``) of a test is its band in one named table, computed vectorised
in ``compute`` with the same rule that :meth:`PerformanceTest.norms` applies to a single score.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt

from hipback.errors import ConfigurationError
from hipback.measures.base import (
    SEXES,
    Computed,
    FieldSpec,
    FloatArray,
    Measure,
    NormFinding,
    ObjArray,
    Patient,
    Score,
    norm_finding,
)
from hipback.measures.spec import InstrumentSpec

AGE = FieldSpec("age", "years", 18, 120, required=False)
SEX = FieldSpec("sex", "", choices=SEXES, required=False)


def round_half_up(values: FloatArray, decimals: int) -> FloatArray:
    """Round to ``decimals`` places, halves away from zero for positive values (display rule)."""
    scale = 10.0**decimals
    return np.asarray(np.floor(values * scale + 0.5 + 1e-9) / scale, dtype=np.float64)


def floats(cols: Mapping[str, npt.NDArray[Any]], name: str) -> FloatArray:
    return np.asarray(cols[name], dtype=np.float64)


def choices(cols: Mapping[str, npt.NDArray[Any]], name: str, n: int) -> ObjArray:
    """A categorical column as an object array (``None`` where missing or absent)."""
    if name not in cols:
        return np.full(n, None, dtype=object)
    column = np.asarray(cols[name], dtype=object)
    return np.array([v if isinstance(v, str) else None for v in column], dtype=object)


def band_labels(
    spec: InstrumentSpec,
    table: str,
    values: FloatArray,
    age: FloatArray,
    sex: ObjArray,
) -> ObjArray:
    """Vectorised band lookup in ``table`` for each row's age and sex (later rows win)."""
    rows = [r for r in spec.norms if r.table == table and r.kind == "band"]
    if not rows:
        raise ConfigurationError(f"measures/data/{spec.id}.toml: no band rows in table {table!r}")
    out: ObjArray = np.full(values.shape, None, dtype=object)
    with np.errstate(invalid="ignore"):
        for row in rows:
            hit = ~np.isnan(values)
            if row.sex != "any":
                hit &= sex == row.sex
            if row.age_min is not None:
                hit &= age >= row.age_min
            if row.age_max is not None:
                hit &= age < row.age_max + 1
            if row.low is not None:
                hit &= values >= row.low
            if row.high is not None:
                hit &= values <= row.high
            out[hit] = row.category
    return out


class PerformanceTest(Measure):
    """A measure with named fields whose norms are age/sex band and reference rows.

    Subclasses set ``category_table`` (or leave it None) and may set ``band_decimals`` when
    their bands apply to the displayed, rounded value.
    """

    category_table: ClassVar[str | None] = None
    band_decimals: ClassVar[int | None] = None

    def banded(self, values: FloatArray) -> FloatArray:
        if self.band_decimals is None:
            return values
        return round_half_up(values, self.band_decimals)

    def categories(self, values: FloatArray, age: FloatArray, sex: ObjArray) -> ObjArray | None:
        if self.category_table is None:
            return None
        return band_labels(self.spec, self.category_table, self.banded(values), age, sex)

    def applicable_tables(self, score: Score) -> set[str] | None:
        """Tables that apply to this score (None = all). Override for test conditions."""
        return None

    def norms(self, score: Score, patient: Patient) -> tuple[NormFinding, ...]:
        if score.value is None:
            return ()
        shown = float(self.banded(np.array([score.value]))[0])
        at = Score(score.instrument, shown, score.unit, score.direction)
        allowed = self.applicable_tables(score)
        bands: dict[str, NormFinding] = {}
        references: list[NormFinding] = []
        for row in self.spec.norms:
            if allowed is not None and row.table not in allowed:
                continue
            finding = norm_finding(row, at, patient)
            if finding is None:
                continue
            if row.kind == "band":
                bands[row.table] = finding  # later rows win at shared edges
            else:
                references.append(finding)
        order = {row.table: i for i, row in reversed(list(enumerate(self.spec.norms)))}
        found = references + list(bands.values())
        return tuple(sorted(found, key=lambda f: order[f.table]))


class TimedTest(PerformanceTest):
    """One time in seconds (``time_s``) with optional ``age`` for age-banded norms.

    Subclasses set ``time_max`` (hard limit) and ``review`` (times outside it get a warning).
    """

    time_max: ClassVar[float]
    review: ClassVar[tuple[float, float]]

    def fields(self) -> tuple[FieldSpec, ...]:
        return (FieldSpec("time_s", "s", 0, self.time_max, exclusive_min=True), AGE)

    def compute(self, cols: Mapping[str, npt.NDArray[Any]]) -> Computed:
        time = floats(cols, "time_s")
        ok = np.asarray(~np.isnan(time), dtype=bool)
        why: list[str | None] = [None if good else "time_s is required" for good in ok]
        no_sex = np.full(time.shape, None, dtype=object)
        return Computed(
            value=time,
            ok=ok,
            why=why,
            category=self.categories(time, floats(cols, "age"), no_sex),
        )

    def warnings(self, row: Mapping[str, Any]) -> tuple[str, ...]:
        time = float(row["time_s"])
        lo, hi = self.review
        if lo <= time <= hi:
            return ()
        return (
            f"{time:g} s is outside {lo:g}-{hi:g} s, unusual for the {self.spec.short_name}: "
            "check the entry",
        )
