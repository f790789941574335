"""Modified ODI (Fritz & Irrgang 2001): ODI arithmetic, section 8 = employment/homemaking."""

from __future__ import annotations

import pytest

from hipback.core import Confidence
from hipback.errors import InvalidInput
from hipback.measures import compare, get, interpret, score


def test_all_sections_hand_computed() -> None:
    # 3+2+1+0+5+4+3+2+1+0 = 21 of a possible 50 → 21 / 50 × 100 = 42 %
    s = score("modi", {"items": [3, 2, 1, 0, 5, 4, 3, 2, 1, 0]})
    assert s.value == pytest.approx(42.0)
    assert s.category == "severe disability"


def test_section_8_is_employment_not_sex_life() -> None:
    topics = [item.topic for item in get("modi").spec.items]
    assert topics[7] == "employment / homemaking"
    assert not any("sex" in t for t in topics)


def test_missing_section_rebases_like_odi() -> None:
    # 9 answered, sum 9 × 3 = 27 → 27 / 45 × 100 = 60 %
    s = score("modi", {"items": [3, 3, 3, 3, None, 3, 3, 3, 3, 3]})
    assert s.value == pytest.approx(60.0)
    assert s.warnings == ()


def test_eight_answered_warns_seven_refused() -> None:
    # 8 answered, sum 8 → 8 / 40 × 100 = 20 %
    s = score("modi", {"items": [1, 1, 1, 1, 1, 1, 1, 1, None, None]})
    assert s.value == pytest.approx(20.0)
    assert "8 of 10" in s.warnings[0]
    with pytest.raises(InvalidInput) as err:
        score("modi", {"items": [1, 1, 1, 1, 1, 1, 1, None, None, None]})
    assert [p.field for p in err.value.problems] == ["items[7]", "items[8]", "items[9]"]
    assert "employment" in err.value.problems[0].allowed


def test_out_of_range_section_named() -> None:
    with pytest.raises(InvalidInput) as err:
        score("modi", {"items": [1, 1, 6, 1, 1, 1, 1, 1, 1, 1]})
    assert err.value.problems[0].field == "items[2]"
    assert "0 to 5" in err.value.problems[0].allowed


def test_band_edges_use_displayed_score_and_are_unverified() -> None:
    # sum 20 → 40 % → moderate (21-40); sum 21 → 42 % → severe (41-60)
    assert score("modi", {"items": [2] * 10}).category == "moderate disability"
    assert score("modi", {"items": [3] + [2] * 9}).category == "severe disability"
    findings = interpret(score("modi", {"items": [2] * 10}))["norms"]
    assert findings[0]["category"] == "moderate disability"
    assert findings[0]["verified"] is False


def test_thresholds_are_marked_uncertain() -> None:
    spec = get("modi").spec
    mcid = spec.primary_threshold(("mcid", "mic"))
    mdc = spec.primary_threshold(("mdc", "sdc"))
    assert mcid is not None and mcid.value == 6 and mcid.confidence is Confidence.UNCERTAIN
    assert mdc is not None and mdc.value == 12.7 and mdc.confidence is Confidence.UNCERTAIN
    assert spec.licence.confidence is not Confidence.VERIFIED


def test_compare_needs_mdc_as_well_as_mcid() -> None:
    # 40 % → 30 % (sum 20 → 15): 10 points ≥ MCID 6 but < MDC 12.7 → no meaningful change
    change = compare("modi", {"items": [2] * 10}, {"items": [2] * 5 + [1] * 5}).primary
    assert change.improvement == pytest.approx(10.0)
    assert change.exceeds_mcid is True
    assert change.exceeds_mdc is False
    assert change.verdict == "no_meaningful_change"
    assert "unverified" in change.explanation
    # 40 % → 26 % (sum 20 → 13): 14 points ≥ 12.7 → improved
    after = {"items": [2, 2, 2, 1, 1, 1, 1, 1, 1, 1]}
    assert compare("modi", {"items": [2] * 10}, after).primary.verdict == "improved"
