"""PGIC: 7 options, 1 = very much improved … 7 = very much worse (Hurst & Bolton 2004);
responder anchor 1-2 (Farrar 2001); no MCID, so compare refuses it."""

from __future__ import annotations

import numpy as np
import pytest

from hipback.errors import InvalidInput
from hipback.measures import compare, interpret, score, score_batch


@pytest.mark.parametrize(
    ("option", "label", "responder"),
    [
        (1, "very much improved", 1.0),
        (2, "much improved", 1.0),
        (3, "minimally improved", 0.0),
        (4, "no change", 0.0),
        (5, "minimally worse", 0.0),
        (6, "much worse", 0.0),
        (7, "very much worse", 0.0),
    ],
)
def test_label_and_responder_per_option(option: int, label: str, responder: float) -> None:
    s = score("pgic", {"score": option})
    assert s.value == option
    assert s.category == label
    assert s.details["responder"] == responder


def test_responder_anchor_edges_in_norms() -> None:
    found = {n["table"]: n["category"] for n in interpret(score("pgic", {"score": 2}))["norms"]}
    assert found["Responder anchor"] == "responder: much or very much improved"
    tables = [n["table"] for n in interpret(score("pgic", {"score": 3}))["norms"]]
    assert "Responder anchor" not in tables


@pytest.mark.parametrize("bad", [0, 8, 2.5, "2", True])
def test_bad_option_named(bad: object) -> None:
    with pytest.raises(InvalidInput) as err:
        score("pgic", {"score": bad})
    (problem,) = err.value.problems
    assert problem.field == "score"
    assert "1 to 7" in problem.allowed


def test_missing_score_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        score("pgic", {})
    assert err.value.problems[0].field == "score"


def test_batch_labels_match() -> None:
    result = score_batch("pgic", {"score": np.array([1.0, 4.0, 9.0])})
    assert result.category is not None
    assert list(result.category[:2]) == ["very much improved", "no change"]
    assert result.details["responder"][:2].tolist() == [1.0, 0.0]
    assert not result.ok[2]


def test_compare_refused_no_mcid() -> None:
    with pytest.raises(InvalidInput, match="no MCID or MDC"):
        compare("pgic", {"score": 4}, {"score": 2})
