"""Plain-language change sentences.

Thresholds come from the instrument data files: QBPDS primary MIC 5 points or 18.1 % (Demoulin
2010) and MDC 15 points (Davidson & Keating 2002), both verified (measures/data/qbpds.toml);
MODI primary MCID 6 points, confidence "uncertain" (measures/data/modi.toml).
"""

from __future__ import annotations

from hipback import measures
from hipback.reports.summary import amount, change_sentence, number, threshold_text


def _qbpds(total_items: list[int]) -> dict[str, list[int]]:
    return {"items": total_items}


def test_improvement_beyond_mcid_but_within_mdc() -> None:
    # before: 20 items x 2 = 40; after: 14 x 1 + 6 x 2 = 26; improvement 40 - 26 = 14 points
    # 14 >= 5 (MIC met); 14 < 15 (MDC not met)
    change = measures.compare("qbpds", _qbpds([2] * 20), _qbpds([1] * 14 + [2] * 6)).as_dict()
    text = change_sentence("Disability", "points", change["changes"][0])
    assert text == (
        "Disability improved by 14 points, more than the 5-point (or 18%) minimal important "
        "change. The change is within the 15-point minimal detectable change, so it cannot be "
        "told apart from measurement error."
    )


def test_worsening_less_than_mcid() -> None:
    # before 20 (20 x 1), after 23 (17 x 1 + 3 x 2): worse by 3 points; 3 < 5 and 3/20 = 15 %
    # < 18.1 %, so the MIC is not met
    change = measures.compare("qbpds", _qbpds([1] * 20), _qbpds([1] * 17 + [2] * 3)).as_dict()
    text = change_sentence("Disability", "points", change["changes"][0])
    assert text.startswith("Disability worsened by 3 points, less than the 5-point")


def test_large_improvement_has_no_measurement_error_caveat() -> None:
    # 60 -> 20: improvement 40 >= MDC 15, so no "cannot be told apart" sentence
    change = measures.compare("qbpds", _qbpds([3] * 20), _qbpds([1] * 20)).as_dict()
    text = change_sentence("Disability", "points", change["changes"][0])
    assert text == (
        "Disability improved by 40 points, more than the 5-point (or 18%) minimal important change."
    )


def test_exactly_at_threshold_reads_reaching() -> None:
    primary = {
        "improvement": 5.0,
        "mcid": {"kind": "mic", "value": 5.0, "relative": None, "verified": True},
        "exceeds_mcid": True,
        "mdc": None,
        "exceeds_mdc": None,
    }
    assert change_sentence("Pain", "points", primary) == (
        "Pain improved by 5 points, reaching the 5-point minimal important change."
    )


def test_unverified_threshold_is_labelled() -> None:
    t = {"kind": "mcid", "value": 6.0, "relative": None, "verified": False}
    assert threshold_text(t, "%") == (
        "the 6 percentage points minimal important change (threshold not verified)"
    )


def test_no_change() -> None:
    change = measures.compare("qbpds", _qbpds([1] * 20), _qbpds([1] * 20)).as_dict()
    text = change_sentence("Disability", "points", change["changes"][0])
    assert text.startswith("Disability did not change, less than the 5-point")
    assert "measurement error" not in text


def test_number_formatting() -> None:
    assert [number(14.0), number(0.149999), number(1.26), number(-0.0)] == [
        "14",
        "0.15",
        "1.26",
        "0",
    ]
    assert amount(1, "points") == "1 point"
    assert amount(0.05, "m/s") == "0.05 m/s"
