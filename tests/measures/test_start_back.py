"""STarT Back (Hill 2008; Keele scoring): total 0-9, psychosocial (items 5-9) 0-5,
item 9 scores 1 for 'very much'/'extremely' (options 4-5); risk low ≤ 3 total,
high psychosocial ≥ 4, else medium."""

from __future__ import annotations

import numpy as np
import pytest

from hipback.errors import InvalidInput
from hipback.measures import compare, get, score, score_batch


def test_hand_computed_high_risk() -> None:
    # items 1-8: agree 1, 3, 5, 6, 7 → 5; item 9 option 4 → 1; total 6
    # psychosocial: items 5, 6, 7 agree (3) + item 9 (1) = 4 → high risk
    s = score("startback", {"items": [True, False, 1, 0, 1, 1, 1, 0, 4]})
    assert s.value == 6
    assert s.subscores == {"psychosocial": 4}
    assert s.category == "high risk"


@pytest.mark.parametrize(("option", "scored"), [(1, 0), (2, 0), (3, 0), (4, 1), (5, 1)])
def test_bothersomeness_scoring(option: int, scored: int) -> None:
    # all items 1-8 disagree: total = psychosocial = item 9's score
    s = score("startback", {"items": [False] * 8 + [option]})
    assert s.value == scored
    assert s.subscores["psychosocial"] == scored
    assert s.details["bothersomeness_scored"] == scored


@pytest.mark.parametrize(
    ("items", "total", "psych", "risk"),
    [
        # items 1-3 agree, item 9 'moderately' (0): total 3 → low (edge)
        ([1, 1, 1, 0, 0, 0, 0, 0, 3], 3, 0, "low risk"),
        # items 1-4 agree: total 4, psychosocial 0 → medium (edge)
        ([1, 1, 1, 1, 0, 0, 0, 0, 1], 4, 0, "medium risk"),
        # items 1, 2, 5, 6, 7 agree, item 9 option 3 (0): total 5, psychosocial 3 → medium
        ([1, 1, 0, 0, 1, 1, 1, 0, 3], 5, 3, "medium risk"),
        # items 5-8 agree, item 9 option 1 (0): total 4, psychosocial 4 → high (edge)
        ([0, 0, 0, 0, 1, 1, 1, 1, 1], 4, 4, "high risk"),
        # everything: total 9, psychosocial 5 → high
        ([1, 1, 1, 1, 1, 1, 1, 1, 5], 9, 5, "high risk"),
        ([0, 0, 0, 0, 0, 0, 0, 0, 1], 0, 0, "low risk"),
    ],
)
def test_keele_risk_groups_at_edges(items: list[int], total: int, psych: int, risk: str) -> None:
    s = score("startback", {"items": items})
    assert (s.value, s.subscores["psychosocial"], s.category) == (total, psych, risk)


def test_missing_item_refused_and_named() -> None:
    with pytest.raises(InvalidInput) as err:
        score("startback", {"items": [1, 0, 1, 0, None, 0, 0, 0, None]})
    fields = [p.field for p in err.value.problems]
    assert fields == ["items[4]", "items[8]"]
    assert "pro-rating" in err.value.problems[0].message
    assert "true or false" in err.value.problems[0].allowed
    assert "1 to 5" in err.value.problems[1].allowed


@pytest.mark.parametrize(
    ("index", "bad", "allowed"),
    [(0, 2, "true or false"), (3, "agree", "true or false"), (8, 0, "1 to 5"), (8, True, "1 to 5")],
)
def test_bad_values_named(index: int, bad: object, allowed: str) -> None:
    items: list[object] = [0] * 8 + [1]
    items[index] = bad
    with pytest.raises(InvalidInput) as err:
        score("startback", {"items": items})
    (problem,) = err.value.problems
    assert problem.field == f"items[{index}]"
    assert allowed in problem.allowed


def test_batch_matrix() -> None:
    matrix = np.array(
        [[0, 0, 0, 0, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0, 0, 0, 1], [1] * 8 + [np.nan]],
        dtype=float,
    )
    result = score_batch("startback", matrix)
    assert result.scores[:2].tolist() == [4.0, 4.0]
    assert result.category is not None
    assert list(result.category[:2]) == ["high risk", "medium risk"]
    assert not result.ok[2]


def test_licence_and_no_change_threshold() -> None:
    spec = get("startback").spec
    assert spec.licence.status == "free_noncommercial"
    with pytest.raises(InvalidInput, match="no MCID or MDC"):
        compare("startback", {"items": [0] * 8 + [1]}, {"items": [1] * 8 + [5]})


def test_missing_rule_marked_uncertain() -> None:
    # measures.md §12: "no pro-rating ⚠️"
    assert get("startback").spec.missing_rule_confidence.value == "uncertain"
