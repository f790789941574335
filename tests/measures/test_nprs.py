"""NPRS 0-10 with movement-evoked pain (measures.md §4): MIC 2 or 30 % (Ostelo 2008),
MDC 2 (Childs 2005), MeP post-sum and deltas (Hicks/Simon group; MASH 6MWT and 30s-CST)."""

from __future__ import annotations

import numpy as np
import pytest

from hipback.errors import InvalidInput
from hipback.measures import compare, get, score, score_batch

MEP = {"pre_6mwt": 3, "post_6mwt": 6, "pre_chair_stand": 4, "post_chair_stand": 3.5}


def test_rating_with_site_and_recall_recorded() -> None:
    s = score("nprs", {"score": 6, "site": "low_back", "recall": "24h_average"})
    assert s.value == 6
    assert s.inputs["site"] == "low_back"
    assert s.inputs["recall"] == "24h_average"
    assert s.subscores == {"mep_post_sum": None}


def test_half_steps_accepted_other_fractions_refused() -> None:
    assert score("nprs", {"score": 3.5}).value == 3.5
    with pytest.raises(InvalidInput) as err:
        score("nprs", {"score": 3.3})
    (problem,) = err.value.problems
    assert problem.field == "score"
    assert "half steps" in problem.allowed


def test_mep_deltas_and_post_sum_hand_computed() -> None:
    # 6MWT: 6 - 3 = +3; chair stand: 3.5 - 4 = -0.5; post-sum 6 + 3.5 = 9.5
    s = score("nprs", {"score": 4, **MEP})
    assert s.details == {"mep_delta_6mwt": 3.0, "mep_delta_chair_stand": -0.5}
    assert s.subscores["mep_post_sum"] == 9.5
    assert s.warnings == ()


def test_mep_partial_gives_none_and_warnings() -> None:
    # only the 6MWT post rating: no delta (no pre), no post-sum (chair stand missing)
    s = score("nprs", {"score": 4, "post_6mwt": 7})
    assert s.details["mep_delta_6mwt"] is None
    assert s.subscores["mep_post_sum"] is None
    assert any("post_6mwt given without pre_6mwt" in w for w in s.warnings)
    assert any("mep_post_sum not computed" in w for w in s.warnings)


@pytest.mark.parametrize(
    ("responses", "field"),
    [
        ({"score": 11}, "score"),
        ({"score": -1}, "score"),
        ({"score": "7"}, "score"),
        ({"score": True}, "score"),
        ({}, "score"),
        ({"score": 5, "site": "knee"}, "site"),
        ({"score": 5, "recall": "month"}, "recall"),
        ({"score": 5, "post_6mwt": 10.5}, "post_6mwt"),
        ({"score": 5, "pain": 3}, "pain"),
    ],
)
def test_bad_inputs_named(responses: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        score("nprs", responses)
    assert [p.field for p in err.value.problems] == [field]


def test_site_error_lists_choices() -> None:
    with pytest.raises(InvalidInput) as err:
        score("nprs", {"score": 5, "site": "knee"})
    assert "'hip_left'" in err.value.problems[0].allowed


def test_batch_columns_with_optional_mep() -> None:
    # row 0: as MEP above → post-sum 9.5; row 1: no MeP → NaN; row 2: 2.25 refused
    nan = np.nan
    columns = {
        "score": np.array([4.0, 7.0, 2.25]),
        "site": np.array(["low_back", None, "hip"], dtype=object),
        "recall": np.array([None, "now", None], dtype=object),
        "pre_6mwt": np.array([3.0, nan, nan]),
        "post_6mwt": np.array([6.0, nan, nan]),
        "pre_chair_stand": np.array([4.0, nan, nan]),
        "post_chair_stand": np.array([3.5, nan, nan]),
    }
    result = score_batch("nprs", columns)
    assert result.scores[:2].tolist() == [4.0, 7.0]
    assert result.subscores["mep_post_sum"][0] == 9.5
    assert np.isnan(result.subscores["mep_post_sum"][1])
    assert result.details["mep_delta_chair_stand"][0] == -0.5
    assert not result.ok[2]
    assert "half steps" in (result.problems[2] or "")


def test_loinc_and_thresholds() -> None:
    spec = get("nprs").spec
    assert spec.loinc is not None and spec.loinc.code == "72514-3"
    mic = spec.primary_threshold(("mcid", "mic"))
    mdc = spec.primary_threshold(("mdc", "sdc"))
    assert mic is not None and (mic.value, mic.relative) == (2, 0.30)
    assert mdc is not None and mdc.value == 2


def test_compare_points_or_percent() -> None:
    # 8 → 6: 2 points (= MIC and MDC) → improved
    assert compare("nprs", {"score": 8}, {"score": 6}).primary.verdict == "improved"
    # 3 → 2: 1 point is 33 % (≥ 30 % MIC) but below the 2-point MDC → no meaningful change
    change = compare("nprs", {"score": 3}, {"score": 2}).primary
    assert change.exceeds_mcid is True
    assert change.exceeds_mdc is False
    assert change.verdict == "no_meaningful_change"
    # MeP post-sum has no threshold, so only the rating is judged
    both = compare("nprs", {"score": 6, **MEP}, {"score": 3, **MEP})
    assert [c.name for c in both.changes] == ["score"]
    assert both.primary.verdict == "improved"
