"""QBPDS: sum of 20 items 0-5 (Kopec 1995); no pro-rating; MIC 5 (Demoulin), MDC90 15."""

from __future__ import annotations

import pytest

from hipback.errors import InvalidInput
from hipback.measures import compare, score


def test_sum_of_items_hand_computed() -> None:
    # 0+1+2+3+4+5 repeated: 15 per block of six, 3 blocks = 45, plus 0 and 1 = 46
    items = [0, 1, 2, 3, 4, 5] * 3 + [0, 1]
    assert score("qbpds", {"items": items}).value == 46


@pytest.mark.parametrize(("items", "total"), [([0] * 20, 0), ([5] * 20, 100)])
def test_bounds(items: list[int], total: int) -> None:
    assert score("qbpds", {"items": items}).value == total


def test_missing_item_refused_and_named() -> None:
    items: list[int | None] = [2] * 20
    items[6] = None
    with pytest.raises(InvalidInput) as err:
        score("qbpds", {"items": items})
    (problem,) = err.value.problems
    assert problem.field == "items[6]"
    assert "stairs" in problem.allowed
    assert "pro-rating" in problem.message


@pytest.mark.parametrize("bad", [6, -1, 2.5, "3", True])
def test_bad_item_value_named(bad: object) -> None:
    items: list[object] = [1] * 20
    items[3] = bad
    with pytest.raises(InvalidInput) as err:
        score("qbpds", {"items": items})
    assert err.value.problems[0].field == "items[3]"
    assert "0 to 5" in err.value.problems[0].allowed


def test_wrong_item_count() -> None:
    with pytest.raises(InvalidInput, match="exactly 20 answers"):
        score("qbpds", {"items": [1] * 19})


def test_unknown_key_rejected() -> None:
    with pytest.raises(InvalidInput, match="unknown field"):
        score("qbpds", {"items": [1] * 20, "itmes": []})


def test_compare_needs_mdc_and_mic() -> None:
    # 14-point improvement: above the 5-point MIC but inside the 15-point MDC90
    before, after = [3] * 20, [3] * 6 + [2] * 14
    change = compare("qbpds", {"items": before}, {"items": after}).primary
    assert change.change == -14
    assert change.improvement == 14
    assert change.exceeds_mcid is True
    assert change.exceeds_mdc is False
    assert change.verdict == "no_meaningful_change"
    assert "within the 15 points minimal detectable change" in change.explanation


def test_compare_improved_and_worsened() -> None:
    high, low = {"items": [3] * 20}, {"items": [2] * 20}
    assert compare("qbpds", high, low).primary.verdict == "improved"
    assert compare("qbpds", low, high).primary.verdict == "worsened"
