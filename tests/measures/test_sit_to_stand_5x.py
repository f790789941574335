"""Five-times sit-to-stand: Bohannon 2006 age cut-offs and risk bands (measures.md §7c)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from hipback.core import Confidence
from hipback.errors import InvalidInput
from hipback.measures import Score, compare, interpret, score, score_batch

LUMBAR = "Staartjes & Schröder 2018 lumbar degenerative disease severity"


def _norm(s: Score, table: str) -> dict[str, Any]:
    found = [n for n in interpret(s)["norms"] if n["table"] == table]
    assert len(found) == 1, found
    result: dict[str, Any] = found[0]
    return result


def test_time_is_the_score_and_scoring_protocol_flagged() -> None:
    s = score("five_sts", {"time_s": 12.3})
    assert s.value == 12.3 and s.unit == "s" and s.direction == "higher_is_worse"
    assert s.category is None  # no age: no Bohannon band
    assert s.confidence == Confidence.UNCERTAIN  # protocol variants differ (measures.md §7c ⚠️)


@pytest.mark.parametrize(
    ("time_s", "age", "worse"),
    [
        (11.4, 65, False),  # 60-69 cut-off 11.4 s: only a time EXCEEDING it is worse
        (11.41, 65, True),
        (11.41, 70, False),  # 70-79 cut-off 12.6 s
        (12.6, 79.5, False),
        (12.7, 79.5, True),
        (14.8, 80, False),  # 80-89 cut-off 14.8 s
        (14.9, 89, True),
    ],
)
def test_bohannon_cutoffs_at_edges(time_s: float, age: float, worse: bool) -> None:
    category = score("five_sts", {"time_s": time_s, "age": age}).category
    assert category is not None
    assert category.startswith("worse than average") is worse


def test_no_bohannon_band_outside_60_89() -> None:
    assert score("five_sts", {"time_s": 20, "age": 90}).category is None


@pytest.mark.parametrize(("time_s", "risk"), [(14.99, False), (15.0, True)])
def test_buatois_15_s_is_on_the_risk_side(time_s: float, risk: bool) -> None:
    finding = _norm(score("five_sts", {"time_s": time_s}), "Buatois 2008 recurrent falls")
    assert finding["category"].startswith("15 s or more") is risk
    assert finding["verified"] is True


def test_weaker_cutoffs_carry_their_marks() -> None:
    s = score("five_sts", {"time_s": 14.0})
    assert _norm(s, "Guralnik 2000 mobility disability")["confidence"] == "uncertain"
    assert _norm(s, "Tiedemann 2008 fall risk")["confidence"] == "unverified"


@pytest.mark.parametrize(
    ("time_s", "band"),
    [
        (10.4, "no impairment"),
        (10.45, "mild"),
        (15.2, "mild"),
        (15.3, "moderate"),
        (22.0, "moderate"),
        (22.01, "severe"),
    ],
)
def test_staartjes_schroder_band_edges(time_s: float, band: str) -> None:
    # published: none <= 10.4; mild 10.5-15.2; moderate 15.3-22.0; severe > 22.0
    assert _norm(score("five_sts", {"time_s": time_s}), LUMBAR)["category"].startswith(band)


@pytest.mark.parametrize(
    ("time_s", "warned"), [(4.0, False), (60.0, False), (3.9, True), (61, True)]
)
def test_review_warning_outside_4_to_60(time_s: float, warned: bool) -> None:
    assert bool(score("five_sts", {"time_s": time_s}).warnings) is warned


@pytest.mark.parametrize(
    ("responses", "field"),
    [
        ({}, "time_s"),
        ({"time_s": 0}, "time_s"),
        ({"time_s": 181}, "time_s"),
        ({"time_s": "12"}, "time_s"),
        ({"time_s": 12, "age": 17}, "age"),
        ({"time_s": 12, "sex": "female"}, "sex"),
    ],
)
def test_bad_input_names_the_field(responses: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        score("five_sts", responses)
    assert [p.field for p in err.value.problems] == [field]


def test_batch_categories() -> None:
    out = score_batch("five_sts", {"time_s": np.array([11.4, 11.5]), "age": np.array([65.0, 65.0])})
    assert out.category is not None
    assert out.category.tolist() == ["not worse than average", "worse than average (over 11.4 s)"]


def test_compare_refuses_without_a_change_threshold() -> None:
    with pytest.raises(InvalidInput) as err:
        compare("five_sts", {"time_s": 14}, {"time_s": 11})
    assert err.value.problems[0].field == "instrument"
    assert "no MCID or MDC" in err.value.problems[0].message
