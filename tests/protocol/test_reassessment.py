"""The 4-week 'not responding' flag: no measure improved beyond its MDC (hipback default).

QBPDS: 20 items 0-5, total = sum (0-100, higher = worse); primary MDC 15 points (Davidson &
Keating 2002, in measures/data/qbpds.toml). All items 2 → 40; all items 1 → 20 (improvement
20 ≥ 15); ten items 1 and ten items 2 → 30 (improvement 10 < 15).
"""

from __future__ import annotations

import pytest

from hipback.errors import InvalidInput
from hipback.protocol.reassessment import reassess

BASE = {"qbpds": {"items": [2] * 20}}


def test_improvement_beyond_mdc_is_responding() -> None:
    result = reassess(BASE, {"qbpds": {"items": [1] * 20}})
    (change,) = result.changes
    assert (change.before, change.after, change.improvement) == (40.0, 20.0, 20.0)
    assert change.mdc == 15
    assert change.beyond_mdc is True
    assert result.not_responding is False
    assert "responding (qbpds" in result.summary


def test_improvement_within_mdc_flags_not_responding() -> None:
    result = reassess(BASE, {"qbpds": {"items": [1] * 10 + [2] * 10}})
    (change,) = result.changes
    assert change.improvement == 10.0
    assert change.beyond_mdc is False
    assert result.not_responding is True
    assert "NOT RESPONDING" in result.summary


def test_worsening_beyond_mdc_is_not_responding() -> None:
    result = reassess(BASE, {"qbpds": {"items": [3] * 20}})  # 60: worse by 20
    assert result.not_responding is True


def test_one_measure_beyond_mdc_is_enough() -> None:
    before = {**BASE, "nprs": {"score": 6}}
    after = {"qbpds": {"items": [1] * 20}, "nprs": {"score": 5}}
    result = reassess(before, after)
    assert [c.responding for c in result.changes] == [True, False]
    assert result.not_responding is False


def test_measures_without_a_threshold_are_listed_not_judged() -> None:
    before = {"five_sts": {"time_s": 14.0, "age": 70}}
    after = {"five_sts": {"time_s": 12.0, "age": 70}}
    result = reassess(before, after)
    assert result.not_responding is None
    assert result.not_judged == ("five_sts: no published change threshold",)


def test_no_shared_measure_is_an_error() -> None:
    with pytest.raises(InvalidInput, match="follow_up"):
        reassess(BASE, {"nprs": {"score": 3}})
