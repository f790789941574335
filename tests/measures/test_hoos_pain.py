"""HOOS Pain: 100 − mean(answered items) × 100/4 (HOOS scoring instructions 2013, Nilsdotter 2003).

Missing items: scored with at least 5 of 10 answered (2013 rule). MASH subgroup: raw sum of
P4-P8 (items[3]..items[7]) > 5 (shared/reference/mash.md §2.1). Expected values are hand
calculations written out next to each case.
"""

from __future__ import annotations

import numpy as np
import pytest

from hipback.core import Confidence
from hipback.errors import InvalidInput
from hipback.measures import compare, get, interpret, score, score_batch


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([0] * 10, 100.0),  # mean 0 → 100 (no pain)
        ([4] * 10, 0.0),  # mean 4 → 100 − 100 = 0 (extreme pain)
        ([2] * 10, 50.0),  # mean 2 → 100 − 50
        # sum 13, mean 1.3 → 100 − 1.3 × 25 = 67.5
        ([1, 2, 0, 1, 2, 3, 1, 0, 2, 1], 67.5),
        # sum 3, mean 0.3 → 100 − 7.5 = 92.5
        ([0, 0, 0, 1, 1, 1, 0, 0, 0, 0], 92.5),
    ],
)
def test_hand_calculated_scores(items: list[int], expected: float) -> None:
    assert score("hoos_pain", {"items": items}).value == pytest.approx(expected)


def test_p4_p8_sum_is_a_raw_sum_in_the_other_direction() -> None:
    # P4..P8 = items[3..7] = 1, 2, 3, 1, 0 → 7 (> 5: criterion met); headline 67.5 as above
    s = score("hoos_pain", {"items": [1, 2, 0, 1, 2, 3, 1, 0, 2, 1]})
    assert s.subscores["p4_p8_sum"] == 7.0
    assert s.direction == "higher_is_better"
    assert get("hoos_pain").spec.direction_of("p4_p8_sum") == "higher_is_worse"
    norms = interpret(s)["norms"]
    assert [n["category"] for n in norms] == ["MASH hip-pain criterion met: sum > 5"]
    assert norms[0]["verified"] is True


@pytest.mark.parametrize(
    ("p4_p8", "category"),
    [
        ([1, 1, 1, 1, 1], "MASH hip-pain criterion not met: sum <= 5"),  # 5: not > 5
        ([2, 1, 1, 1, 1], "MASH hip-pain criterion met: sum > 5"),  # 6
        ([0, 0, 0, 0, 0], "MASH hip-pain criterion not met: sum <= 5"),  # 0
        ([4, 4, 4, 4, 4], "MASH hip-pain criterion met: sum > 5"),  # 20
    ],
)
def test_mash_criterion_band_edges(p4_p8: list[int], category: str) -> None:
    s = score("hoos_pain", {"items": [0, 0, 0, *p4_p8, 0, 0]})
    assert s.subscores["p4_p8_sum"] == sum(p4_p8)
    assert [n["category"] for n in interpret(s)["norms"]] == [category]


def test_five_answered_is_scored_over_the_answered_items() -> None:
    # 2013 rule: 5 of 10 answered is enough; mean of 2,2,2,2,2 = 2 → 50.
    # P6-P8 (items[5..7]) are missing, so the MASH sum is left empty with a warning.
    s = score("hoos_pain", {"items": [2, 2, 2, 2, 2, None, None, None, None, None]})
    assert s.value == pytest.approx(50.0)
    assert s.subscores["p4_p8_sum"] is None
    assert s.details["items_answered"] == 5
    assert len(s.warnings) == 1
    assert "items[5] (P6)" in s.warnings[0] and "items[7] (P8)" in s.warnings[0]


def test_one_missing_outside_p4_p8_keeps_the_sum() -> None:
    # P1 missing: 9 answered, sum 9 × 1 = 9, mean 1 → 75; P4-P8 all 1 → 5
    s = score("hoos_pain", {"items": [None, 1, 1, 1, 1, 1, 1, 1, 1, 1]})
    assert s.value == pytest.approx(75.0)
    assert s.subscores["p4_p8_sum"] == 5.0
    assert s.warnings == ()


def test_four_answered_refused_naming_the_missing_items() -> None:
    with pytest.raises(InvalidInput) as err:
        score("hoos_pain", {"items": [1, 1, 1, 1, None, None, None, None, None, None]})
    assert [p.field for p in err.value.problems] == [f"items[{i}]" for i in range(4, 10)]
    assert "at least 5" in err.value.problems[0].message


@pytest.mark.parametrize(("index", "value"), [(0, 5), (2, -1), (9, 4.5)])
def test_out_of_range_names_the_item(index: int, value: float) -> None:
    items: list[float] = [1] * 10
    items[index] = value
    with pytest.raises(InvalidInput) as err:
        score("hoos_pain", {"items": items})
    assert [p.field for p in err.value.problems] == [f"items[{index}]"]


def test_batch_matches_single() -> None:
    rows = [
        [1, 2, 0, 1, 2, 3, 1, 0, 2, 1],
        [2, 2, 2, 2, 2, np.nan, np.nan, np.nan, np.nan, np.nan],
        [1, 1, 1, 1, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan],
    ]
    out = score_batch("hoos_pain", np.array(rows, dtype=np.float64))
    assert out.ok.tolist() == [True, True, False]
    assert out.scores[:2].tolist() == pytest.approx([67.5, 50.0])
    assert out.subscores["p4_p8_sum"][0] == 7.0
    assert np.isnan(out.subscores["p4_p8_sum"][1])


def test_compare_uses_the_mcid_on_the_headline_only() -> None:
    # 50 → 60 needs mean 1.6, i.e. a sum of 16 over 10 items
    before = {"items": [2] * 10}  # 50
    ten = {"items": [2, 2, 2, 2, 2, 2, 1, 1, 1, 1]}  # sum 16, mean 1.6 → 60: +10 ≥ 8.35
    five = {"items": [2, 2, 2, 2, 2, 2, 2, 2, 1, 1]}  # sum 18, mean 1.8 → 55: +5 < 8.35
    result = compare("hoos_pain", before, ten)
    assert [c.name for c in result.changes] == ["score"]  # p4_p8_sum has no threshold
    assert result.primary.improvement == pytest.approx(10.0)
    assert result.primary.verdict == "improved"
    assert compare("hoos_pain", before, five).primary.verdict == "no_meaningful_change"
    assert compare("hoos_pain", ten, before).primary.verdict == "worsened"


def test_unverified_licence_is_marked() -> None:
    spec = get("hoos_pain").spec
    assert spec.licence.confidence is Confidence.UNVERIFIED
    assert spec.scoring_source.confidence is Confidence.VERIFIED
    assert all(item.reverse for item in spec.items)
