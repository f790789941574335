"""Timed Up and Go: Bohannon 2006 norms, STEADI / Shumway-Cook cut-offs, MDC (measures.md §8)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from hipback.core import Confidence
from hipback.errors import InvalidInput
from hipback.measures import Score, compare, interpret, score, score_batch

WORSE = "Bohannon 2006 worse than average"


def _norms(s: Score, table: str, patient: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    return [n for n in interpret(s, patient)["norms"] if n["table"] == table]


def test_time_is_the_score_with_steadi_category() -> None:
    s = score("tug", {"time_s": 9.5})
    assert s.value == 9.5 and s.unit == "s" and s.direction == "higher_is_worse"
    assert s.category == "under 12 s"
    assert s.confidence == Confidence.VERIFIED


@pytest.mark.parametrize(("time_s", "at_risk"), [(11.99, False), (12.0, True), (13.5, True)])
def test_steadi_12_s_edge(time_s: float, at_risk: bool) -> None:
    # STEADI: ">= 12 s" is at risk
    category = score("tug", {"time_s": time_s}).category
    assert category is not None and category.startswith("12 s or more") is at_risk


@pytest.mark.parametrize(("time_s", "risk"), [(13.49, False), (13.5, True)])
def test_shumway_cook_13_5_s_edge_and_weakness_stated(time_s: float, risk: bool) -> None:
    (finding,) = _norms(score("tug", {"time_s": time_s}), "Shumway-Cook 2000 fall risk")
    assert finding["category"].startswith("13.5 s or more") is risk
    assert "Barry" in finding["source"]
    if risk:
        assert "weak predictor" in finding["category"]


@pytest.mark.parametrize(
    ("time_s", "age", "worse"),
    [
        (9.0, 65, False),  # 60-69: 8.1 (7.1-9.0); the bound itself is not worse
        (9.01, 65, True),
        (10.2, 75, False),  # 70-79: 9.2 (8.2-10.2)
        (10.3, 79.9, True),
        (12.7, 80, False),  # 80-99: 11.3 (10.0-12.7)
        (12.8, 99, True),
    ],
)
def test_bohannon_upper_ci_edges(time_s: float, age: float, worse: bool) -> None:
    (finding,) = _norms(score("tug", {"time_s": time_s, "age": age}), WORSE)
    assert finding["category"].startswith("worse than average") is worse


def test_bohannon_mean_reference() -> None:
    # age 72: mean 9.2 s; 9.5 / 9.2 = 103 %
    (ref,) = _norms(score("tug", {"time_s": 9.5}), "Bohannon 2006 mean by age", {"age": 72})
    assert "(9.2)" in ref["detail"] and "103%" in ref["detail"]


def test_no_age_norms_below_60() -> None:
    assert _norms(score("tug", {"time_s": 9.5, "age": 59}), WORSE) == []


@pytest.mark.parametrize(
    ("time_s", "warned"), [(4.0, False), (120.0, False), (3.5, True), (121, True)]
)
def test_review_warning_outside_4_to_120(time_s: float, warned: bool) -> None:
    assert bool(score("tug", {"time_s": time_s}).warnings) is warned


@pytest.mark.parametrize(
    ("responses", "field"),
    [
        ({}, "time_s"),
        ({"time_s": 0}, "time_s"),
        ({"time_s": -2}, "time_s"),
        ({"time_s": 301}, "time_s"),
        ({"time_s": True}, "time_s"),
        ({"time_s": 9, "age": 130}, "age"),
        ({"time_s": 9, "aid": "cane"}, "aid"),
    ],
)
def test_bad_input_names_the_field(responses: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        score("tug", responses)
    assert [p.field for p in err.value.problems] == [field]


def test_batch_categories_and_refusals() -> None:
    out = score_batch("tug", np.array([[11.0, 70.0], [12.0, np.nan], [0.0, 70.0]]))
    assert out.ok.tolist() == [True, True, False]
    assert out.category is not None
    assert out.category[:2].tolist() == ["under 12 s", "12 s or more: at risk for falling"]


def test_compare_uses_the_uncertain_mdc() -> None:
    # 12.0 → 10.8 s: 1.2 s faster ≥ MDC 1.1 → improved; 12.0 → 11.0: 1.0 s < 1.1 → no change
    c = compare("tug", {"time_s": 12.0}, {"time_s": 10.8}).primary
    assert c.improvement == pytest.approx(1.2)
    assert c.verdict == "improved"
    assert c.mdc is not None and c.mdc.confidence == Confidence.UNCERTAIN
    assert "unverified" in c.explanation
    assert compare("tug", {"time_s": 12.0}, {"time_s": 11.0}).primary.verdict == (
        "no_meaningful_change"
    )
    assert compare("tug", {"time_s": 10.0}, {"time_s": 11.5}).primary.verdict == "worsened"
