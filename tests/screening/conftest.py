"""Shared fixtures: the canonical example evaluation as a mutable dict."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
_BASE: dict[str, Any] = json.loads((EXAMPLES / "evaluation.json").read_text(encoding="utf-8"))


@pytest.fixture
def base() -> dict[str, Any]:
    """``examples/evaluation.json``: eligible, weak (IR/BW 0.213 right) and painful (P4-P8 = 10)."""
    return copy.deepcopy(_BASE)
