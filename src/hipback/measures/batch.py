"""Score whole research datasets at once (NumPy), with the same results as one-at-a-time.

Input shapes accepted by :func:`score_batch`:

* a 2-D array, one row per response set, one column per input in ``measure.columns()`` order
  (questionnaires: the items, NaN = missing);
* a pandas DataFrame or a mapping of column name → 1-D array with those column names;
* a sequence of response objects (what :func:`hipback.measures.score` takes), validated one by one.

Rows that cannot be scored get NaN and a reason in ``problems``; the batch never stops at a bad row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from hipback.errors import InvalidInput
from hipback.measures import registry
from hipback.measures.base import (
    BoolArray,
    FieldSpec,
    FloatArray,
    Measure,
    ObjArray,
)
from hipback.measures.questionnaire import Questionnaire


@dataclass(frozen=True)
class BatchResult:
    instrument: str
    scores: FloatArray
    ok: BoolArray
    problems: list[str | None]
    subscores: dict[str, FloatArray]
    details: dict[str, FloatArray]
    category: ObjArray | None

    def __len__(self) -> int:
        return int(self.scores.shape[0])

    def to_records(self) -> list[dict[str, Any]]:
        rows = []
        for i in range(len(self)):
            row: dict[str, Any] = {
                "instrument": self.instrument,
                "score": _num(self.scores[i]),
                "ok": bool(self.ok[i]),
                "problem": self.problems[i],
            }
            row.update({k: _num(v[i]) for k, v in self.subscores.items()})
            row.update({k: _num(v[i]) for k, v in self.details.items()})
            if self.category is not None:
                row["category"] = self.category[i] if self.ok[i] else None
            rows.append(row)
        return rows


def _num(x: Any) -> float | None:
    value = float(x)
    return None if np.isnan(value) else value


def bad_values(spec: FieldSpec, column: npt.NDArray[Any]) -> BoolArray:
    """Vectorised :meth:`FieldSpec.check`: True where the value is not acceptable."""
    if spec.choices is not None:
        present = np.array([v is not None and v == v for v in column], dtype=bool)
        valid = np.isin(column.astype(object), np.array(spec.choices, dtype=object))
        return np.asarray(~valid & (present | spec.required), dtype=bool)
    values = np.asarray(column, dtype=np.float64)
    missing = np.isnan(values)
    with np.errstate(invalid="ignore"):
        bad = np.zeros(values.shape, dtype=bool)
        if spec.min is not None:
            bad |= values <= spec.min if spec.exclusive_min else values < spec.min
        if spec.max is not None:
            bad |= values > spec.max
        if spec.integer:
            bad |= values != np.floor(values)
    bad &= ~missing
    if spec.required:
        bad |= missing
    return bad


def _matrix_bad(measure: Questionnaire, matrix: FloatArray) -> BoolArray:
    fields = measure.fields()
    lo = np.array([f.min for f in fields], dtype=np.float64)
    hi = np.array([f.max for f in fields], dtype=np.float64)
    with np.errstate(invalid="ignore"):
        bad = (matrix < lo) | (matrix > hi)
        if not measure.half_steps:
            bad |= matrix != np.floor(matrix)
        else:
            bad |= matrix * 2 != np.floor(matrix * 2)
    bad &= ~np.isnan(matrix)
    return np.asarray(bad.any(axis=1), dtype=bool)


def _from_objects(
    measure: Measure, data: Sequence[Mapping[str, Any]]
) -> tuple[dict[str, npt.NDArray[Any]], list[str | None]]:
    rows: list[dict[str, Any]] = []
    problems: list[str | None] = []
    for obj in data:
        try:
            if not isinstance(obj, Mapping):
                raise InvalidInput.one("responses", type(obj).__name__, "a JSON object")
            rows.append(measure.parse(obj))
            problems.append(None)
        except InvalidInput as exc:
            rows.append({})
            problems.append(str(exc))
    cols: dict[str, npt.NDArray[Any]] = {}
    for spec in measure.fields():
        values = [r.get(spec.name) for r in rows]
        if spec.choices is not None:
            cols[spec.name] = np.array(values, dtype=object)
        else:
            cols[spec.name] = np.array(
                [np.nan if v is None else float(v) for v in values], dtype=np.float64
            )
    return cols, problems


def score_batch(instrument_id: str, data: Any) -> BatchResult:
    """Score many response sets of one instrument; see the module docstring for shapes."""
    measure = registry.get(instrument_id)
    names = measure.columns()
    fields = measure.fields()
    problems: list[str | None]
    if isinstance(data, np.ndarray):
        if data.ndim != 2 or data.shape[1] != len(names):
            raise InvalidInput.one(
                "data", f"array of shape {data.shape}", f"a 2-D array with {len(names)} columns"
            )
        if isinstance(measure, Questionnaire):
            matrix = np.asarray(data, dtype=np.float64)
            bad = _matrix_bad(measure, matrix)
            out = measure.compute_matrix(matrix)
            return _finish(measure, out.value.shape[0], bad, out, None)
        cols = {name: data[:, j] for j, name in enumerate(names)}
        problems = [None] * data.shape[0]
    elif isinstance(data, Mapping) or hasattr(data, "columns"):
        available = list(data.keys()) if isinstance(data, Mapping) else list(data.columns)
        missing = [n for n in names if n not in available]
        if missing:
            raise InvalidInput.one(
                "data", f"missing columns {missing}", "columns " + ", ".join(names)
            )
        cols = {}
        for spec in fields:
            column = np.asarray(data[spec.name])
            cols[spec.name] = (
                column.astype(object) if spec.choices is not None else column.astype(np.float64)
            )
        problems = [None] * len(cols[names[0]])
    elif isinstance(data, Sequence) and not isinstance(data, str | bytes):
        cols, problems = _from_objects(measure, data)
    else:
        raise InvalidInput.one(
            "data", type(data).__name__, "a 2-D array, a DataFrame, or a list of response objects"
        )
    n = len(problems)
    bad = np.zeros(n, dtype=bool)
    for spec in fields:
        bad |= bad_values(spec, cols[spec.name])
    bad |= np.array([p is not None for p in problems], dtype=bool)
    out = measure.compute(cols)
    return _finish(measure, n, bad, out, problems)


def _finish(
    measure: Measure,
    n: int,
    bad: BoolArray,
    out: Any,
    problems: list[str | None] | None,
) -> BatchResult:
    ok = ~bad & out.ok
    reasons: list[str | None] = []
    if problems is None:
        problems = [None] * n
    if not ok.all():
        for i in np.flatnonzero(~ok):
            if problems[i] is None:
                problems[i] = (
                    "a value is missing, out of range or not allowed"
                    if bad[i]
                    else out.why[i] or measure.spec.missing_rule
                )
    reasons = problems
    nan = np.float64(np.nan)
    return BatchResult(
        instrument=measure.id,
        scores=np.where(ok, out.value, nan),
        ok=ok,
        problems=reasons,
        subscores={k: np.where(ok, v, nan) for k, v in out.subscores.items()},
        details={k: np.where(ok, v, nan) for k, v in out.details.items()},
        category=out.category,
    )
