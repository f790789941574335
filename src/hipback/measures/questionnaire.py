"""Questionnaires: ``{"items": [...]}`` in the spec's item order, ``null`` for a missing answer."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from hipback.errors import InvalidInput, Problem
from hipback.measures.base import Computed, FieldSpec, FloatArray, Measure


class Questionnaire(Measure):
    """A measure whose inputs are the items listed in its spec file.

    Subclasses implement :meth:`compute_matrix` on an (n, k) float matrix with NaN for missing
    answers. Items are whole numbers unless ``half_steps`` is set.
    """

    half_steps = False
    #: keys besides ``items`` that a response object may carry (recorded, not scored)
    extra_keys: tuple[str, ...] = ()

    def fields(self) -> tuple[FieldSpec, ...]:
        cached: tuple[FieldSpec, ...] | None = self.__dict__.get("_fields")
        if cached is not None:
            return cached
        self.__dict__["_fields"] = fields = tuple(
            FieldSpec(
                name=item.id,
                unit="",
                min=item.min,
                max=item.max,
                integer=not self.half_steps,
                required=False,
            )
            for item in self.spec.items
        )
        return fields

    def field_label(self, name: str) -> str:
        index = self.columns().index(name)
        return f"items[{index}]"

    def row_from(self, responses: Mapping[str, Any]) -> dict[str, Any]:
        allowed_keys = ("items", *self.extra_keys)
        unknown = sorted(set(responses) - set(allowed_keys))
        problems = [
            Problem(k, responses[k], "one of " + ", ".join(allowed_keys), "unknown field")
            for k in unknown
        ]
        items = responses.get("items")
        n = len(self.spec.items)
        if not isinstance(items, list):
            problems.append(Problem("items", items, f"a list of {n} answers (null = missing)"))
        elif len(items) != n:
            problems.append(
                Problem(
                    "items",
                    f"{len(items)} answer{'' if len(items) == 1 else 's'}",
                    f"exactly {n} answers (null = missing)",
                )
            )
        if problems:
            raise InvalidInput(problems)
        assert isinstance(items, list)
        return dict(zip(self.columns(), items, strict=True))

    def missing_problems(self, row: Mapping[str, Any], why: str) -> list[Problem]:
        problems = []
        for i, item in enumerate(self.spec.items):
            if row.get(item.id) is None and item.scored:
                allowed = f"an answer {item.min:g}-{item.max:g} ({item.topic})"
                problems.append(Problem(f"items[{i}]", None, allowed, why))
        return problems or super().missing_problems(row, why)

    def compute(self, cols: Mapping[str, npt.NDArray[Any]]) -> Computed:
        names = self.columns()
        matrix = np.column_stack([np.asarray(cols[name], dtype=np.float64) for name in names])
        return self.compute_matrix(matrix)

    @abstractmethod
    def compute_matrix(self, matrix: FloatArray) -> Computed:
        """Score an (n, k) matrix of answers, NaN for missing."""
