"""Properties of screening under missing data (Hypothesis).

Deleting any findings from the eligible example (``examples/evaluation.json``) must never make
screening report as missing a field that is present, and must never yield "eligible" while a
rule is not assessed.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from hipback.screening import screen

BASE: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[2] / "examples" / "evaluation.json").read_text("utf-8")
)
_READING_KEYS = {"force_n", "force_kg", "lever_arm_cm"}
_REQUIRED = ("patient", "assessed_on", "schema_version", "notes", "baseline_measures")


def _leaves(node: dict[str, Any], prefix: str = "") -> list[str]:
    """Dotted paths of deletable findings; a dynamometer reading or a list is one leaf."""
    out: list[str] = []
    for key, value in node.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and not set(value) <= _READING_KEYS:
            out += _leaves(value, f"{path}.")
        else:
            out.append(path)
    return out


LEAVES = [p for p in _leaves(BASE) if not p.startswith(_REQUIRED)]


def _delete(data: dict[str, Any], path: str) -> None:
    *parents, last = path.split(".")
    for key in parents:
        data = data[key]
    del data[last]


@settings(max_examples=60, deadline=None)
@given(st.sets(st.sampled_from(LEAVES), max_size=8))
def test_missing_data_is_reported_never_guessed(deleted: set[str]) -> None:
    data = copy.deepcopy(BASE)
    for path in deleted:
        _delete(data, path)
    result = screen(data)
    assert set(result.not_assessed) <= deleted
    undecided = [r for r in [*result.criteria, *result.red_flags] if r.status == "not_assessed"]
    if undecided:
        assert result.decision != "eligible"
    if not deleted:
        assert result.decision == "eligible"


def test_there_are_many_leaves() -> None:
    assert len(LEAVES) > 80
