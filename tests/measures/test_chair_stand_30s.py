"""30s chair stand: count, Rikli & Jones / CDC STEADI norms (measures.md §7a)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from hipback.core import Confidence
from hipback.errors import InvalidInput
from hipback.measures import Score, compare, interpret, score, score_batch

BELOW = "below the normal range (under the 25th percentile)"
WITHIN = "within the normal range (25th-75th percentile)"
ABOVE = "above the normal range (over the 75th percentile)"


def _norm(s: Score, table: str) -> dict[str, Any]:
    found = [n for n in interpret(s)["norms"] if n["table"] == table]
    assert len(found) == 1, found
    result: dict[str, Any] = found[0]
    return result


def test_count_is_the_score() -> None:
    s = score("chair_stand_30s", {"stands": 11})
    assert s.value == 11.0 and s.unit == "stands"
    assert s.category is None  # no age and sex: no Rikli & Jones band
    assert s.warnings == ()


def test_zero_when_arms_used_is_a_score_not_missing() -> None:
    s = score("chair_stand_30s", {"stands": 0, "age": 75, "sex": "female"})
    assert s.value == 0.0
    assert s.category == BELOW


@pytest.mark.parametrize(
    ("stands", "band"),
    # women 70-74: 25th-75th percentile 10-15 (Rikli & Jones)
    [(9, BELOW), (10, WITHIN), (15, WITHIN), (16, ABOVE)],
)
def test_rikli_jones_edges_women_70_74(stands: int, band: str) -> None:
    assert score("chair_stand_30s", {"stands": stands, "age": 72, "sex": "female"}).category == band


@pytest.mark.parametrize(
    ("age", "band"),
    # men with 13 stands: 60-64 range 14-19 (below); 65-69 range 12-18 (within);
    # 90-94 range 7-12 (above)
    [(60, BELOW), (64.9, BELOW), (65, WITHIN), (94, ABOVE)],
)
def test_rikli_jones_age_edges_men(age: float, band: str) -> None:
    assert score("chair_stand_30s", {"stands": 13, "age": age, "sex": "male"}).category == band


def test_outside_norm_ages_gets_no_band() -> None:
    assert score("chair_stand_30s", {"stands": 13, "age": 59, "sex": "male"}).category is None
    assert score("chair_stand_30s", {"stands": 13, "age": 95, "sex": "male"}).category is None


@pytest.mark.parametrize(("stands", "below"), [(11, True), (12, False)])
def test_steadi_below_average_men_65_69(stands: int, below: bool) -> None:
    # STEADI men 65-69: below 12 is below average
    s = score("chair_stand_30s", {"stands": stands, "age": 67, "sex": "male"})
    finding = _norm(s, "CDC STEADI below average")
    assert finding["category"].startswith("below average") is below
    assert finding["verified"] is True


def test_disputed_rikli_jones_cell_is_flagged_uncertain() -> None:
    # men 65-69: 12-18 in most sources, 13-18 in some → uncertain
    s = score("chair_stand_30s", {"stands": 12, "age": 66, "sex": "male"})
    assert _norm(s, "Rikli & Jones normal range")["confidence"] == Confidence.UNCERTAIN.value
    settled = score("chair_stand_30s", {"stands": 12, "age": 71, "sex": "male"})
    assert _norm(settled, "Rikli & Jones normal range")["confidence"] == "verified"


@pytest.mark.parametrize(("stands", "fewer"), [(7, True), (8, False)])
def test_fewer_than_8_threshold_uncertain(stands: int, fewer: bool) -> None:
    finding = _norm(score("chair_stand_30s", {"stands": stands}), "Fewer than 8 stands")
    assert finding["category"].startswith("fewer than 8") is fewer
    assert finding["confidence"] == Confidence.UNCERTAIN.value


@pytest.mark.parametrize(("stands", "warned"), [(30, False), (31, True)])
def test_review_above_30(stands: int, warned: bool) -> None:
    assert bool(score("chair_stand_30s", {"stands": stands}).warnings) is warned


@pytest.mark.parametrize(
    ("responses", "field"),
    [
        ({}, "stands"),
        ({"stands": 12.5}, "stands"),
        ({"stands": -1}, "stands"),
        ({"stands": 41}, "stands"),
        ({"stands": 10, "age": 200}, "age"),
        ({"stands": 10, "sex": "woman"}, "sex"),
        ({"stands": 10, "arms": True}, "arms"),
    ],
)
def test_bad_input_names_the_field(responses: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        score("chair_stand_30s", responses)
    assert [p.field for p in err.value.problems] == [field]


def test_batch_categories() -> None:
    out = score_batch(
        "chair_stand_30s",
        {
            "stands": np.array([9.0, 10.0, 16.0, 10.0]),
            "age": np.array([72.0, 72.0, 72.0, np.nan]),
            "sex": np.array(["female", "female", "female", "female"], dtype=object),
        },
    )
    assert out.category is not None
    assert out.category.tolist() == [BELOW, WITHIN, ABOVE, None]


def test_mcid_is_unverified_and_surfaces_in_compare() -> None:
    # 10 → 12 stands: +2 reaches the (unverified) 2-stand MCID from hip OA
    c = compare("chair_stand_30s", {"stands": 10}, {"stands": 12}).primary
    assert c.verdict == "improved"
    assert c.mcid is not None and c.mcid.confidence == Confidence.UNVERIFIED
    assert "unverified" in c.explanation
    assert compare("chair_stand_30s", {"stands": 10}, {"stands": 11}).primary.verdict == (
        "no_meaningful_change"
    )
