"""RMDQ-24: number of statements ticked (Roland & Morris 1983); MIC 5 or 30 % (Ostelo 2008),
MDC90 5 (upper end of Stratford 1996's 4-5), recovered ≤ 2 (Kamper 2010)."""

from __future__ import annotations

import numpy as np
import pytest

from hipback.core import Confidence
from hipback.errors import InvalidInput
from hipback.measures import compare, get, interpret, score, score_batch


def test_count_of_ticks_hand_computed() -> None:
    # ticked: items 1, 2, 5, 13, 24 → 5
    items = [False] * 24
    for k in (0, 1, 4, 12, 23):
        items[k] = True
    s = score("rmdq", {"items": items})
    assert s.value == 5
    assert s.category == "not recovered (above 2)"


def test_zero_one_accepted_like_booleans() -> None:
    # 1/0 and true/false mixed: seven ones and three trues → 10
    items: list[object] = [1] * 7 + [True] * 3 + [0] * 7 + [False] * 7
    assert score("rmdq", {"items": items}).value == 10


@pytest.mark.parametrize(("n", "total"), [(0, 0), (24, 24)])
def test_bounds(n: int, total: int) -> None:
    assert score("rmdq", {"items": [True] * n + [False] * (24 - n)}).value == total


def test_null_item_refused_with_policy() -> None:
    items: list[bool | None] = [False] * 24
    items[13] = None
    with pytest.raises(InvalidInput) as err:
        score("rmdq", {"items": items})
    (problem,) = err.value.problems
    assert problem.field == "items[13]"
    assert "turning over" in problem.allowed
    assert "unticked" in problem.message


@pytest.mark.parametrize("bad", [2, -1, 0.5, "yes", "true"])
def test_non_boolean_named(bad: object) -> None:
    items: list[object] = [False] * 24
    items[4] = bad
    with pytest.raises(InvalidInput) as err:
        score("rmdq", {"items": items})
    problem = err.value.problems[0]
    assert problem.field == "items[4]"
    assert problem.value == bad
    assert "true or false" in problem.allowed


def test_wrong_count_refused() -> None:
    with pytest.raises(InvalidInput, match="exactly 24 answers"):
        score("rmdq", {"items": [False] * 23})


def test_batch_accepts_boolean_columns_and_refuses_nulls() -> None:
    # row 0: 3 ticks; row 1: one null → refused
    matrix = np.zeros((2, 24))
    matrix[0, :3] = 1
    matrix[1, 5] = np.nan
    result = score_batch("rmdq", matrix)
    assert result.scores[0] == 3
    assert not result.ok[1]
    assert "unticked" in (result.problems[1] or "")
    objects = score_batch("rmdq", [{"items": [True] * 3 + [False] * 21}])
    assert objects.scores[0] == 3


@pytest.mark.parametrize(
    ("ticks", "band"), [(2, "recovered (2 or less)"), (3, "not recovered (above 2)")]
)
def test_kamper_recovery_cutoff_edges(ticks: int, band: str) -> None:
    s = score("rmdq", {"items": [True] * ticks + [False] * (24 - ticks)})
    assert s.category == band
    (finding,) = interpret(s)["norms"]
    assert finding["category"] == band
    assert finding["verified"] is True


def _ticks(n: int) -> dict[str, list[bool]]:
    return {"items": [True] * n + [False] * (24 - n)}


def test_compare_mdc_5_is_primary() -> None:
    spec = get("rmdq").spec
    mdc = spec.primary_threshold(("mdc", "sdc"))
    assert mdc is not None and mdc.value == 5
    # 12 → 7: 5 points = MIC 5 and = MDC90 5 → improved
    assert compare("rmdq", _ticks(12), _ticks(7)).primary.verdict == "improved"
    # 12 → 8: 4 points, 33 % ≥ 30 % MIC, but < MDC90 5 → no meaningful change
    change = compare("rmdq", _ticks(12), _ticks(8)).primary
    assert change.exceeds_mcid is True
    assert change.exceeds_mdc is False
    assert change.verdict == "no_meaningful_change"
    # 7 → 12 → worsened
    assert compare("rmdq", _ticks(7), _ticks(12)).primary.verdict == "worsened"


def test_unverified_facts_surface() -> None:
    spec = get("rmdq").spec
    assert spec.missing_rule_confidence is Confidence.UNVERIFIED
    assert spec.licence.confidence is Confidence.UNCERTAIN
    assert "missing-item rule" in interpret(score("rmdq", _ticks(1)))["unverified"]
