"""Shared fixtures: the canonical example evaluation as a mutable dict."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
_BASE: dict[str, Any] = json.loads((EXAMPLES / "evaluation.json").read_text(encoding="utf-8"))


@pytest.fixture
def base() -> dict[str, Any]:
    """``examples/evaluation.json``: eligible, weak (IR/BW 0.213 right) and painful (P4-P8 = 10)."""
    return copy.deepcopy(_BASE)


def set_path(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """Set ``data['a']['b']['c'] = value`` for ``path='a.b.c'``; ``...`` deletes the key."""
    *parents, last = path.split(".")
    node = data
    for key in parents:
        node = node.setdefault(key, {})
    if value is ...:
        node.pop(last, None)
    else:
        node[last] = value
    return data


Edit = Callable[[str, Any], None]


@pytest.fixture
def edit(base: dict[str, Any]) -> Edit:
    """``edit('low_back_pain.intensity_nprs', 3)`` changes this test's ``base`` in place."""

    def apply(path: str, value: Any) -> None:
        set_path(base, path, value)

    return apply
