"""NIH RTF Impact Stratification Score.

Structure (BMC Musculoskelet Disord 2022, doi:10.1186/s12891-022-05834-4; Deyo et al. 2014):
ISS = Σ(6 − PF answer) over 4 PF items + Σ PI answers over 4 items + pain intensity 0-10,
range 8-50, higher = greater impact. Expected values below are hand calculations of that sum.
"""

from __future__ import annotations

import numpy as np
import pytest

from hipback.core import Confidence
from hipback.errors import InvalidInput
from hipback.measures import compare, get, interpret, score, score_batch
from hipback.measures.promis_tables import load_tables
from hipback.measures.rtf_iss import items_from_promis29


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        # best state: PF all 5 → 4 × (6 − 5) = 4; PI all 1 → 4; intensity 0 → 8 (minimum)
        ([5, 5, 5, 5, 1, 1, 1, 1, 0], 8),
        # worst state: PF all 1 → 4 × 5 = 20; PI all 5 → 20; intensity 10 → 50 (maximum)
        ([1, 1, 1, 1, 5, 5, 5, 5, 10], 50),
        # PF 5,4,3,2 → 1+2+3+4 = 10; PI 2,3,4,5 → 14; intensity 6 → 30
        ([5, 4, 3, 2, 2, 3, 4, 5, 6], 30),
        # PF 4,4,4,4 → 8; PI 2,2,2,2 → 8; intensity 3 → 19
        ([4, 4, 4, 4, 2, 2, 2, 2, 3], 19),
    ],
)
def test_hand_calculated_iss(items: list[int], expected: float) -> None:
    assert score("rtf_iss", {"items": items}).value == expected


def test_details_show_the_three_parts() -> None:
    # PF 5,4,3,2 reversed → 10; PI 2,3,4,5 → 14; intensity 6
    s = score("rtf_iss", {"items": [5, 4, 3, 2, 2, 3, 4, 5, 6]})
    assert s.details == {
        "physical_function_reversed_sum": 10.0,
        "pain_interference_sum": 14.0,
        "pain_intensity": 6.0,
    }


def test_higher_pf_answer_lowers_the_score() -> None:
    # PF is reversed: raising PFA11 from 3 to 4 lowers ISS by 1 (24 → 23)
    low = score("rtf_iss", {"items": [3, 3, 3, 3, 2, 2, 2, 2, 4]}).value
    high = score("rtf_iss", {"items": [4, 3, 3, 3, 2, 2, 2, 2, 4]}).value
    assert (low, high) == (24.0, 23.0)
    assert all(get("rtf_iss").spec.items[j].reverse for j in range(4))


@pytest.mark.parametrize("missing", [0, 4, 8])
def test_every_item_required(missing: int) -> None:
    items: list[int | None] = [3, 3, 3, 3, 2, 2, 2, 2, 4]
    items[missing] = None
    with pytest.raises(InvalidInput) as err:
        score("rtf_iss", {"items": items})
    assert [p.field for p in err.value.problems] == [f"items[{missing}]"]
    assert "all 9 items" in err.value.problems[0].message


@pytest.mark.parametrize(("index", "value"), [(0, 0), (3, 6), (7, 6), (8, 11)])
def test_out_of_range_names_the_item(index: int, value: int) -> None:
    items = [3, 3, 3, 3, 2, 2, 2, 2, 4]
    items[index] = value
    with pytest.raises(InvalidInput) as err:
        score("rtf_iss", {"items": items})
    assert [p.field for p in err.value.problems] == [f"items[{index}]"]


def test_from_promis29_picks_the_same_items() -> None:
    # PROMIS-29 order: PF 0-3, …, PI 24-27, pain intensity 28 (data/tables/promis29.toml)
    promis = [9] * 29
    promis[0:4] = [5, 4, 3, 2]
    promis[24:28] = [2, 3, 4, 5]
    promis[28] = 6
    items = items_from_promis29(promis)
    assert items == [5, 4, 3, 2, 2, 3, 4, 5, 6]
    assert score("rtf_iss", {"items": items}).value == 30.0


def test_from_promis29_wrong_length() -> None:
    with pytest.raises(InvalidInput) as err:
        items_from_promis29([1] * 9)
    assert err.value.problems[0].field == "items"


def test_item_ids_are_shared_with_promis29() -> None:
    tables = load_tables()
    ids = [i.id for i in get("rtf_iss").spec.items]
    assert ids[:4] == list(tables.domain("physical_function").items)
    assert ids[4:8] == list(tables.domain("pain_interference").items)
    assert ids[8] == tables.pain_intensity.item


@pytest.mark.parametrize(
    ("total_items", "band"),
    [
        ([4, 4, 4, 4, 3, 3, 3, 3, 7], "mild impact"),  # PF 4s reversed 8 + PI 12 + 7 = 27
        ([4, 4, 4, 4, 3, 3, 3, 3, 8], "moderate impact"),  # 8 + 12 + 8 = 28
        ([3, 3, 3, 3, 4, 4, 4, 4, 2], "moderate impact"),  # 12 + 16 + 2 = 30
        ([3, 3, 3, 3, 4, 4, 4, 4, 6], "moderate impact"),  # 12 + 16 + 6 = 34
        ([3, 3, 3, 3, 4, 4, 4, 4, 7], "severe impact"),  # 12 + 16 + 7 = 35
    ],
)
def test_rtf_categories_are_unverified_bands(total_items: list[int], band: str) -> None:
    out = interpret(score("rtf_iss", {"items": total_items}))
    assert [n["category"] for n in out["norms"]] == [band]
    assert out["norms"][0]["confidence"] == Confidence.UNVERIFIED.value


def test_compare_mid_3_points() -> None:
    # 30 → 27: 3-point improvement meets the MID (⚠️); 30 → 28: 2 points does not
    before = {"items": [5, 4, 3, 2, 2, 3, 4, 5, 6]}
    three = compare("rtf_iss", before, {"items": [5, 4, 3, 2, 2, 3, 4, 5, 3]}).primary
    two = compare("rtf_iss", before, {"items": [5, 4, 3, 2, 2, 3, 4, 5, 4]}).primary
    assert three.improvement == 3.0 and three.verdict == "improved"
    assert three.mcid is not None and three.mcid.confidence is Confidence.UNCERTAIN
    assert two.verdict == "no_meaningful_change"


def test_batch_refuses_incomplete_rows() -> None:
    matrix = np.array(
        [[5, 4, 3, 2, 2, 3, 4, 5, 6], [5, 4, 3, np.nan, 2, 3, 4, 5, 6]], dtype=np.float64
    )
    out = score_batch("rtf_iss", matrix)
    assert out.ok.tolist() == [True, False]
    assert out.scores[0] == 30.0
    assert "all 9 items" in (out.problems[1] or "")


def test_missing_rule_is_marked_unverified() -> None:
    spec = get("rtf_iss").spec
    assert spec.missing_rule_confidence is Confidence.UNVERIFIED
    assert spec.scoring_source.confidence is Confidence.VERIFIED
