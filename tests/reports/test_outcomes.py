"""Outcome view models: reference lines for the patient's age and sex, unverified notes.

Expected values are rows of measures/data/ten_mwt.toml (Bohannon & Andrews 2011 means, Cesari
2005 threshold 1.0 m/s, Perry 1995 bands "uncertain") and modi.toml (MCID 6, "uncertain").
"""

from __future__ import annotations

from datetime import date

from hipback import measures
from hipback.reports.models import SeriesPoint
from hipback.reports.outcomes import outcome_view, reference_lines


def test_gait_speed_lines_for_a_woman_of_75() -> None:
    lines = reference_lines(measures.get("ten_mwt").spec, 75, "female")
    assert [(line.value, line.verified) for line in lines] == [(1.13, True), (1.0, True)]
    assert lines[0].label == (
        "Bohannon & Andrews 2011 comfortable gait speed, female 70-79 y: 1.13 m/s"
    )


def test_gait_speed_lines_for_a_man_of_82() -> None:
    values = [line.value for line in reference_lines(measures.get("ten_mwt").spec, 82, "male")]
    assert values == [0.97, 1.0]


def test_unverified_mcid_is_noted() -> None:
    before = {"items": [2] * 10}
    after = {"items": [1] * 10}
    change = measures.compare("modi", before, after).as_dict()
    points = [
        SeriesPoint("baseline", date(2026, 1, 5), change["changes"][0]["before"]),
        SeriesPoint("4wk", date(2026, 2, 2), change["changes"][0]["after"]),
    ]
    view = outcome_view("modi", points, change, age=70, sex="male")
    assert view.mcid == 6.0 and not view.mcid_verified
    assert any("not verified" in note for note in view.notes)
    assert "(threshold not verified)" in view.summary


def test_single_result_summary() -> None:
    view = outcome_view(
        "qbpds", [SeriesPoint("baseline", date(2026, 1, 5), 32.0)], None, age=70, sex="male"
    )
    assert view.verdict is None
    assert view.summary == (
        "Back-related disability (Quebec scale): 32 points at Baseline; no follow-up result yet "
        "to compare."
    )
