"""Table 1: baseline characteristics by arm (and in total), as data.

Continuous variables: mean (SD), SD with the n - 1 denominator; categorical variables: n (%) per
level, percentages of the participants with a non-missing value in that column. Missing values
(absent key, ``None`` or NaN) are counted and reported per column, never silently dropped. No
p-values: CONSORT 2010 (item 15) advises against significance tests of baseline differences in
randomised trials, since any difference is by definition due to chance.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean, stdev
from typing import Literal

from hipback.errors import InvalidInput, Problem

TOTAL = "Total"


@dataclass(frozen=True)
class Variable:
    name: str
    label: str
    kind: Literal["continuous", "categorical"]
    levels: tuple[str, ...] | None = None
    decimals: int = 1


@dataclass(frozen=True)
class ContinuousCell:
    n: int
    missing: int
    mean: float | None
    sd: float | None
    decimals: int

    @property
    def text(self) -> str:
        if self.mean is None:
            return "–"
        sd = "–" if self.sd is None else f"{self.sd:.{self.decimals}f}"
        return f"{self.mean:.{self.decimals}f} ({sd})"

    def as_dict(self) -> dict[str, object]:
        return {
            "n": self.n,
            "missing": self.missing,
            "mean": self.mean,
            "sd": self.sd,
            "text": self.text,
        }


@dataclass(frozen=True)
class CategoricalCell:
    count: int
    denominator: int

    @property
    def percent(self) -> float | None:
        return 100 * self.count / self.denominator if self.denominator else None

    @property
    def text(self) -> str:
        pct = self.percent
        return f"{self.count} (–)" if pct is None else f"{self.count} ({pct:.1f}%)"

    def as_dict(self) -> dict[str, object]:
        return {
            "n": self.count,
            "denominator": self.denominator,
            "percent": self.percent,
            "text": self.text,
        }


@dataclass(frozen=True)
class Table1Row:
    variable: str
    label: str
    level: str | None
    cells: dict[str, ContinuousCell | CategoricalCell]
    missing: dict[str, int]

    def as_dict(self) -> dict[str, object]:
        return {
            "variable": self.variable,
            "label": self.label,
            "level": self.level,
            "cells": {col: cell.as_dict() for col, cell in self.cells.items()},
            "missing": dict(self.missing),
        }


@dataclass(frozen=True)
class Table1:
    columns: tuple[str, ...]
    n: dict[str, int]
    rows: tuple[Table1Row, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "columns": list(self.columns),
            "n": dict(self.n),
            "rows": [r.as_dict() for r in self.rows],
            "note": "mean (SD) for continuous, n (%) of non-missing for categorical; no p-values",
        }

    def as_text_rows(self) -> list[list[str]]:
        header = ["Characteristic", *(f"{c} (n={self.n[c]})" for c in self.columns)]
        body: list[list[str]] = []
        previous = None
        for r in self.rows:
            if r.level is None:
                body.append([f"{r.label}, mean (SD)", *(r.cells[c].text for c in self.columns)])
            else:
                if r.variable != previous:
                    body.append([f"{r.label}, n (%)", *("" for _ in self.columns)])
                body.append([f"  {r.level}", *(r.cells[c].text for c in self.columns)])
            previous = r.variable
        return [header, *body]


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def table1(
    rows: Iterable[Mapping[str, object]],
    arms: Sequence[str],
    variables: Sequence[Variable],
    arm_key: str = "arm",
) -> Table1:
    """Summarise ``rows`` (one per randomised participant) by ``arm_key``."""
    data = list(rows)
    problems: list[Problem] = []
    for i, row in enumerate(data):
        if row.get(arm_key) not in arms:
            problems.append(Problem(f"rows[{i}].{arm_key}", row.get(arm_key), ", ".join(arms)))
        for v in variables:
            value = row.get(v.name)
            if _missing(value):
                continue
            if v.kind == "continuous" and (
                isinstance(value, bool) or not isinstance(value, int | float)
            ):
                problems.append(Problem(f"rows[{i}].{v.name}", value, "a number or null"))
            if v.kind == "categorical" and v.levels is not None and str(value) not in v.levels:
                problems.append(Problem(f"rows[{i}].{v.name}", value, ", ".join(v.levels)))
    if problems:
        raise InvalidInput(problems)

    columns = (*arms, TOTAL)
    groups = {arm: [r for r in data if r.get(arm_key) == arm] for arm in arms}
    groups[TOTAL] = data
    out: list[Table1Row] = []
    for v in variables:
        present = {
            c: [r[v.name] for r in g if not _missing(r.get(v.name))] for c, g in groups.items()
        }
        missing = {c: len(groups[c]) - len(present[c]) for c in columns}
        if v.kind == "continuous":
            cells: dict[str, ContinuousCell | CategoricalCell] = {}
            for c in columns:
                values = [float(x) for x in present[c]]  # type: ignore[arg-type]
                cells[c] = ContinuousCell(
                    len(values),
                    missing[c],
                    fmean(values) if values else None,
                    stdev(values) if len(values) > 1 else None,
                    v.decimals,
                )
            out.append(Table1Row(v.name, v.label, None, cells, missing))
            continue
        levels = v.levels or tuple(sorted({str(x) for x in present[TOTAL]}))
        for level in levels:
            level_cells: dict[str, ContinuousCell | CategoricalCell] = {
                c: CategoricalCell(sum(1 for x in present[c] if str(x) == level), len(present[c]))
                for c in columns
            }
            out.append(Table1Row(v.name, v.label, level, level_cells, missing))
    return Table1(columns, {c: len(groups[c]) for c in columns}, tuple(out))
