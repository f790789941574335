"""GRC −7..+7, higher = better (Kamper 2009); conventions ⚠️: ≥ +3 small but important,
≥ +5 large improvement; thresholds used are stored with the score; compare refuses it."""

from __future__ import annotations

import numpy as np
import pytest

from hipback.errors import InvalidInput
from hipback.measures import compare, interpret, score, score_batch


@pytest.mark.parametrize(
    ("rating", "category", "important"),
    [
        (-7, "worse", 0.0),
        (-1, "worse", 0.0),
        (0, "about the same or slightly better (below the important-improvement threshold)", 0.0),
        (2, "about the same or slightly better (below the important-improvement threshold)", 0.0),
        (3, "small but important improvement", 1.0),
        (4, "small but important improvement", 1.0),
        (5, "large improvement", 1.0),
        (7, "large improvement", 1.0),
    ],
)
def test_band_edges(rating: int, category: str, important: float) -> None:
    s = score("grc", {"score": rating})
    assert s.category == category
    assert s.details["important_improvement"] == important


def test_thresholds_used_are_stored() -> None:
    s = score("grc", {"score": 1})
    assert s.details["important_threshold"] == 3
    assert s.details["large_threshold"] == 5
    assert s.direction == "higher_is_better"


def test_conventions_surface_as_unverified() -> None:
    (finding,) = interpret(score("grc", {"score": 3}))["norms"]
    assert finding["category"] == "small but important improvement"
    assert finding["verified"] is False
    (negative,) = interpret(score("grc", {"score": -3}))["norms"]
    assert negative["verified"] is True


@pytest.mark.parametrize("bad", [-8, 8, 1.5, "+3", None])
def test_bad_rating_named(bad: object) -> None:
    with pytest.raises(InvalidInput) as err:
        score("grc", {"score": bad})
    (problem,) = err.value.problems
    assert problem.field == "score"
    assert "-7 to 7" in problem.allowed


def test_batch_matches() -> None:
    result = score_batch("grc", np.array([[-2.0], [5.0], [np.nan]]))
    assert result.category is not None
    assert result.category[1] == "large improvement"
    assert result.details["important_improvement"][:2].tolist() == [0.0, 1.0]
    assert not result.ok[2]


def test_compare_refused_no_mcid() -> None:
    with pytest.raises(InvalidInput, match="no MCID or MDC"):
        compare("grc", {"score": 0}, {"score": 5})
