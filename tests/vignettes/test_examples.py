"""Every published example evaluation (``examples/``, written by the screening helper) plans
in both arms with the clinic override, except a red-flag referral, which is always refused."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from hipback.errors import InvalidInput
from hipback.protocol import generate_plan
from hipback.screening import screen

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FILES = sorted(EXAMPLES.glob("evaluations/*.json")) + sorted(EXAMPLES.glob("evaluation.json"))


@pytest.mark.skipif(not FILES, reason="no example evaluations in examples/")
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
@pytest.mark.parametrize("arm", ["hip", "spine"])
def test_example_plans_or_is_referred(path: Path, arm: str) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    if screen(data).decision == "refer":
        with pytest.raises(InvalidInput, match="refer"):
            generate_plan(data, arm, dt.date(2026, 12, 1), override_screening=True)
        return
    plan = generate_plan(data, arm, dt.date(2026, 12, 1), override_screening=True)
    assert len(plan.sessions) == 16
    assert plan.sessions[0].items
