"""10MWT gait speed = timed distance ÷ mean time (measures.md §5: SRALab protocol, middle 6 m)."""

from __future__ import annotations

import numpy as np
import pytest

from hipback.core import Confidence
from hipback.errors import InvalidInput
from hipback.measures import compare, get, interpret, score, score_batch


def test_default_timed_distance_is_middle_6_m() -> None:
    # 6 m in a mean of 5.0 s → 6 / 5 = 1.2 m/s
    s = score("ten_mwt", {"time_s": 5.0})
    assert s.value == pytest.approx(1.2)
    assert s.unit == "m/s"
    assert s.details["distance_m"] == 6.0
    assert s.category == "1.0 m/s or faster"
    assert s.warnings == ()


def test_explicit_10_m_distance() -> None:
    # 10 m in 12.5 s → 10 / 12.5 = 0.8 m/s, below 1.0 → Cesari high-risk band
    s = score("ten_mwt", {"time_s": 12.5, "distance_m": 10})
    assert s.value == pytest.approx(0.8)
    assert s.category is not None and s.category.startswith("below 1.0 m/s")


@pytest.mark.parametrize(
    ("time_s", "band"),
    [
        (6.0, "1.0 m/s or faster"),  # 6 / 6 = 1.00: "< 1.0" is false at the edge
        (6.02, "1.0 m/s or faster"),  # 0.99668 displays as 1.00 (bands use the 0.01 display)
        (6.1, "below"),  # 0.98361 → 0.98
    ],
)
def test_cesari_edge(time_s: float, band: str) -> None:
    category = score("ten_mwt", {"time_s": time_s}).category
    assert category is not None and category.startswith(band)


@pytest.mark.parametrize(
    ("time_s", "perry"),
    [
        (15.0, "limited community ambulator"),  # 6 / 15 = 0.40 → "0.4 to < 0.8"
        (15.5, "household ambulator"),  # 0.387 → 0.39 < 0.4
        (7.5, "community ambulator"),  # 6 / 7.5 = 0.80 → "≥ 0.8"
        (7.6, "limited community ambulator"),  # 0.789 → 0.79
    ],
)
def test_perry_band_edges_and_flagged_uncertain(time_s: float, perry: str) -> None:
    s = score("ten_mwt", {"time_s": time_s})
    found = [n for n in interpret(s)["norms"] if n["table"].startswith("Perry")]
    assert [n["category"] for n in found] == [perry]
    assert found[0]["confidence"] == Confidence.UNCERTAIN.value
    assert found[0]["verified"] is False


def test_bohannon_reference_by_age_and_sex() -> None:
    # woman aged 72: mean 1.13 m/s (Bohannon & Andrews 2011); 6 / 5.4 = 1.111 → 1.11, 98 %
    s = score("ten_mwt", {"time_s": 5.4, "age": 72, "sex": "female"})
    refs = [n for n in interpret(s)["norms"] if n["table"].startswith("Bohannon")]
    assert len(refs) == 1
    assert "1.13" in refs[0]["detail"] and "98%" in refs[0]["detail"]


@pytest.mark.parametrize(
    ("age", "mean"), [(69, "1.34"), (69.9, "1.34"), (70, "1.26"), (80, "0.97")]
)
def test_bohannon_age_band_edges_men(age: float, mean: str) -> None:
    s = score("ten_mwt", {"time_s": 5.0, "age": age, "sex": "male"})
    refs = [n for n in interpret(s)["norms"] if n["table"].startswith("Bohannon")]
    assert len(refs) == 1 and f"({mean})" in refs[0]["detail"]


def test_patient_mapping_supplies_age_and_sex() -> None:
    s = score("ten_mwt", {"time_s": 5.0})
    refs = [
        n
        for n in interpret(s, {"age": 85, "sex": "female"})["norms"]
        if n["table"].startswith("Bohannon")
    ]
    assert len(refs) == 1 and "(0.94)" in refs[0]["detail"]


def test_fast_pace_gets_no_comfortable_speed_norms() -> None:
    s = score("ten_mwt", {"time_s": 3.0, "pace": "fast", "age": 70, "sex": "male"})
    assert s.value == pytest.approx(2.0)
    assert s.category is None
    assert interpret(s)["norms"] == []


@pytest.mark.parametrize(
    ("time_s", "warned"),
    [(30.0, False), (31.0, True), (3.0, False), (2.9, True)],
)
def test_review_warning_outside_0_2_to_2_0(time_s: float, warned: bool) -> None:
    # 6 / 30 = 0.2 and 6 / 3 = 2.0 are inside; 6 / 31 = 0.19 and 6 / 2.9 = 2.07 are outside
    assert bool(score("ten_mwt", {"time_s": time_s}).warnings) is warned


def test_implausible_speed_refused_naming_time_s() -> None:
    # 6 m in 1.5 s = 4 m/s: not a walk
    with pytest.raises(InvalidInput) as err:
        score("ten_mwt", {"time_s": 1.5})
    (problem,) = err.value.problems
    assert problem.field == "time_s" and problem.value == 1.5
    assert "2.00 to 120 s" in problem.allowed


@pytest.mark.parametrize(
    ("responses", "field"),
    [
        ({"time_s": 0}, "time_s"),
        ({"time_s": -4}, "time_s"),
        ({"distance_m": 6}, "time_s"),
        ({"time_s": 5, "distance_m": 50}, "distance_m"),
        ({"time_s": 5, "pace": "brisk"}, "pace"),
        ({"time_s": 5, "sex": "F"}, "sex"),
        ({"time_s": 5, "age": 12}, "age"),
        ({"time_s": 5, "trials_s": [5, 5]}, "trials_s"),
    ],
)
def test_bad_input_names_the_field(responses: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        score("ten_mwt", responses)
    assert [p.field for p in err.value.problems] == [field]


def test_batch_refuses_the_same_implausible_row() -> None:
    out = score_batch(
        "ten_mwt",
        {
            "time_s": np.array([5.0, 1.5]),
            "distance_m": np.array([np.nan, np.nan]),
            "pace": np.array([None, None], dtype=object),
            "age": np.array([np.nan, np.nan]),
            "sex": np.array([None, None], dtype=object),
        },
    )
    assert out.ok.tolist() == [True, False]
    assert out.problems[1] is not None and "time_s" in out.problems[1]


def test_compare_small_meaningful_change_is_primary() -> None:
    # 6/6.0 = 1.00 → 6/5.7 = 1.0526: +0.0526 ≥ 0.05 (Perera small change) → improved
    c = compare("ten_mwt", {"time_s": 6.0}, {"time_s": 5.7}).primary
    assert c.improvement == pytest.approx(6 / 5.7 - 1.0)
    assert c.mcid is not None and c.mcid.value == 0.05
    assert c.verdict == "improved"
    # 1.00 → 6/6.2 = 0.9677: −0.032, less than 0.05 → no meaningful change
    assert compare("ten_mwt", {"time_s": 6.0}, {"time_s": 6.2}).primary.verdict == (
        "no_meaningful_change"
    )


def test_substantial_change_listed_but_not_primary() -> None:
    spec = get("ten_mwt").spec
    values = sorted(t.value for t in spec.thresholds if t.kind == "mcid" and t.value is not None)
    assert values == [0.05, 0.10]
    primary = spec.primary_threshold(("mcid", "mic"))
    assert primary is not None and primary.value == 0.05
