"""Yes/no items (RMDQ ticks, STarT Back agree/disagree) as 0/1 columns.

Responses may give such an item as ``true``/``false`` or ``1``/``0``; both are stored as 1/0 so
the batch matrix stays numeric. Any other value is refused with a message naming both forms.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from hipback.measures.base import FieldSpec


class BinarySpec(FieldSpec):
    """A 0/1 item whose allowed values are described as true/false (1/0 also accepted)."""

    def allowed(self) -> str:
        return f"true or false ({self.unit}; 1 or 0 also accepted)"


def binary_field(name: str, meaning: str) -> BinarySpec:
    """A binary item; ``meaning`` says what true means (e.g. "true = ticked")."""
    return BinarySpec(name=name, unit=meaning, min=0, max=1, integer=True, required=False)


def booleans_as_numbers(row: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """``row`` with True/False in the named columns replaced by 1/0 (other values untouched)."""
    chosen = set(names)
    return {k: (int(v) if k in chosen and isinstance(v, bool) else v) for k, v in row.items()}
