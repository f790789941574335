"""ODI v2.1a: sum ÷ (5 × answered) × 100 (Fairbank & Pynsent 2000)."""

from __future__ import annotations

import pytest

from hipback.errors import InvalidInput
from hipback.measures import compare, score


def test_all_sections_hand_computed() -> None:
    # sum 25 of a possible 50 → 50 %
    s = score("odi", {"items": [0, 1, 2, 3, 4, 5, 4, 3, 2, 1]})
    assert s.value == pytest.approx(50.0)
    assert s.category == "severe disability"


def test_one_section_missing_rebases() -> None:
    # Fairbank's rule: 9 sections answered, sum 16 → 16 / 45 × 100 = 35.56 %
    s = score("odi", {"items": [2, 2, 2, 2, 2, 2, 2, None, 2, 0]})
    assert s.value == pytest.approx(16 / 45 * 100)
    assert s.category == "moderate disability"
    assert s.warnings == ()


def test_eight_answered_scores_with_warning() -> None:
    s = score("odi", {"items": [1, 1, 1, 1, 1, 1, 1, None, None, 1]})
    assert s.value == pytest.approx(20.0)
    assert s.warnings and "8 of 10" in s.warnings[0]


def test_seven_answered_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        score("odi", {"items": [1, 1, 1, 1, 1, 1, 1, None, None, None]})
    assert [p.field for p in err.value.problems] == ["items[7]", "items[8]", "items[9]"]


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (10, "minimal disability"),
        (20, "moderate disability"),
        (30, "severe disability"),
        (40, "crippled"),
        (41, "bed-bound, or exaggerating symptoms"),
    ],
)
def test_fairbank_bands_on_displayed_score(total: int, band: str) -> None:
    # 10 sections: percent = 2 × total; 20 → 40 % (moderate), 41 → 82 % (bed-bound)
    items = [min(5, max(0, total - 5 * i)) for i in range(10)]
    assert sum(items) == total
    assert score("odi", {"items": items}).category == band


def test_eight_answered_half_point_score() -> None:
    # 8 answered, sum 9 → 9 / 40 × 100 = 22.5 % (stored unrounded) → moderate band
    s = score("odi", {"items": [2, 2, 2, 1, 1, 1, None, None, 0, 0]})
    assert s.value == pytest.approx(22.5)
    assert s.category == "moderate disability"


def test_mic_is_10_points_or_30_percent() -> None:
    # 20 % → 14 %: 6 points but 30 % relative → meets MIC; MDC90 10 not met → no meaningful change
    change = compare("odi", {"items": [1] * 10}, {"items": [1, 1, 1, 1, 1, 1, 1, 0, 0, 0]}).primary
    assert change.improvement == pytest.approx(6.0)
    assert change.exceeds_mcid is True
    assert change.exceeds_mdc is False
    assert change.verdict == "no_meaningful_change"
