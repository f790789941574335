"""Long-format trial data: the CSV contract of ``hipback trial analyse``.

Columns ``participant_id, arm, site, sex, visit, baseline, outcome``; one row per participant and
post-baseline visit; ``outcome`` is the follow-up value (change = outcome - baseline) and may be
empty or ``NA`` when the visit was missed. Other columns are ignored. Every problem is reported at
once with its CSV line number, column and value.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hipback.errors import InvalidInput, Problem
from hipback.trial.analysis.design import FloatArray

COLUMNS = ("participant_id", "arm", "site", "sex", "visit", "baseline", "outcome")
MISSING = {"", "na", "nan", "."}
MAX_PROBLEMS = 25


@dataclass(frozen=True)
class LongDataset:
    """One row per participant; ``outcome`` (N, T) follow-up values, NaN where missing."""

    participant_ids: tuple[str, ...]
    arm: tuple[str, ...]
    site: tuple[str, ...]
    sex: tuple[str, ...]
    baseline: FloatArray
    visits: tuple[str, ...]
    outcome: FloatArray
    notes: tuple[str, ...] = ()

    @property
    def change(self) -> FloatArray:
        return np.asarray(self.outcome - self.baseline[:, None], dtype=np.float64)


def _number(text: str, line: int, column: str, problems: list[Problem]) -> float | None:
    """Parse a number; None when missing; records a problem when not a finite number."""
    if text.strip().lower() in MISSING:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        problems.append(Problem(f"line {line}: {column}", text, "a finite number or empty"))
        return None
    return value


def read_long_csv(path: Path, visits: Sequence[str] | None = None) -> LongDataset:
    """Read and validate a long CSV file (UTF-8, comma-separated, header row)."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            header = tuple(reader.fieldnames or ())
            missing = [c for c in COLUMNS if c not in header]
            if missing:
                raise InvalidInput.one(
                    "columns", ", ".join(header) or "(empty file)", ", ".join(COLUMNS),
                    f"missing column(s): {', '.join(missing)}",
                )  # fmt: skip
            return from_rows(reader, visits, first_line=2)
    except OSError as exc:
        raise InvalidInput.one("DATA", str(path), "a readable CSV file", str(exc)) from None


def from_rows(
    rows: Iterable[Mapping[str, str | None]],
    visits: Sequence[str] | None = None,
    first_line: int = 2,
) -> LongDataset:
    """Validate long rows (dicts of strings) and pivot them to one record per participant."""
    problems: list[Problem] = []
    people: dict[str, dict[str, object]] = {}
    seen: dict[tuple[str, str], int] = {}
    visit_order: list[str] = []
    allowed_visits = list(visits) if visits else None
    if allowed_visits is not None and len(set(allowed_visits)) != len(allowed_visits):
        raise InvalidInput.one("--visits", ",".join(allowed_visits), "distinct visit names")
    values: dict[tuple[str, str], float | None] = {}
    for line, row in enumerate(rows, start=first_line):
        cells = {c: (row.get(c) or "").strip() for c in COLUMNS}
        for column in ("participant_id", "arm", "site", "sex", "visit"):
            if not cells[column]:
                problems.append(Problem(f"line {line}: {column}", "", "a non-empty value"))
        pid, visit = cells["participant_id"], cells["visit"]
        if visit and allowed_visits is not None and visit not in allowed_visits:
            problems.append(
                Problem(f"line {line}: visit", visit, ", ".join(allowed_visits), "not in --visits")
            )
            continue
        if visit and visit not in visit_order:
            visit_order.append(visit)
        base = _number(cells["baseline"], line, "baseline", problems)
        out = _number(cells["outcome"], line, "outcome", problems)
        if not pid or not visit:
            continue
        if (pid, visit) in seen:
            problems.append(
                Problem(
                    f"line {line}: visit",
                    visit,
                    "one row per participant and visit",
                    f"participant {pid!r} already has this visit on line {seen[pid, visit]}",
                )
            )
        seen[pid, visit] = line
        values[pid, visit] = out
        record = {"arm": cells["arm"], "site": cells["site"], "sex": cells["sex"], "base": base}
        if pid not in people:
            people[pid] = {**record, "line": line}
            continue
        first = people[pid]
        for key, column in (("arm", "arm"), ("site", "site"), ("sex", "sex"), ("base", "baseline")):
            if record[key] != first[key] and not (key == "base" and record[key] is None):
                problems.append(
                    Problem(
                        f"line {line}: {column}",
                        record[key],
                        f"{first[key]!r} as on line "
                        f"{first['line']} (constant within participant {pid!r})",
                    )
                )
        if len(problems) >= MAX_PROBLEMS:
            break
    if not people and not problems:
        problems.append(Problem("rows", 0, "at least one data row"))
    if problems:
        raise InvalidInput(problems[:MAX_PROBLEMS])
    order = allowed_visits if allowed_visits is not None else visit_order
    return _pivot(people, values, order)


def _pivot(
    people: dict[str, dict[str, object]],
    values: dict[tuple[str, str], float | None],
    visits: Sequence[str],
) -> LongDataset:
    notes: list[str] = []
    no_base = [pid for pid, rec in people.items() if rec["base"] is None]
    if no_base:
        shown = ", ".join(no_base[:10]) + (" ..." if len(no_base) > 10 else "")
        notes.append(f"{len(no_base)} participant(s) excluded, baseline missing: {shown}")
    ids = [pid for pid in people if people[pid]["base"] is not None]
    outcome = np.full((len(ids), len(visits)), np.nan)
    for i, pid in enumerate(ids):
        for j, visit in enumerate(visits):
            value = values.get((pid, visit))
            if value is not None:
                outcome[i, j] = value
    base = np.array([float(people[pid]["base"]) for pid in ids])  # type: ignore[arg-type]
    return LongDataset(
        participant_ids=tuple(ids),
        arm=tuple(str(people[pid]["arm"]) for pid in ids),
        site=tuple(str(people[pid]["site"]) for pid in ids),
        sex=tuple(str(people[pid]["sex"]) for pid in ids),
        baseline=base,
        visits=tuple(visits),
        outcome=outcome,
        notes=tuple(notes),
    )
