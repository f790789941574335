"""Doses in plain words (examples written out by hand from the Dose fields)."""

from __future__ import annotations

from hipback.protocol import load_catalog
from hipback.protocol.catalog import Dose
from hipback.reports.dose import plain_dose


def test_sets_reps_and_hold() -> None:
    dose = Dose(sets=2, reps=10, hold_s=5, per_week=3)
    assert plain_dose(dose) == "2 sets of 10 repetitions, hold each for 5 seconds, 3 days a week"


def test_hold_only_and_every_day() -> None:
    assert (
        plain_dose(Dose(sets=3, hold_s=30, per_week=7)) == "hold for 30 seconds, 3 times, every day"
    )


def test_minutes_load_and_effort() -> None:
    dose = Dose(minutes=20, per_week=5, load="brisk walk", effort="effort 5-6/10")
    assert plain_dose(dose) == "20 minutes, brisk walk, effort 5-6 out of 10, 5 days a week"


def test_body_weight_is_not_repeated() -> None:
    assert plain_dose(Dose(sets=1, reps=1, per_week=1, load="body weight")) == (
        "1 set of 1 repetition, 1 day a week"
    )


def test_every_catalog_home_dose_reads_as_words() -> None:
    for item in load_catalog():
        if "home" not in item.delivery:
            continue
        for level in item.ladder:
            text = plain_dose(level.dose)
            assert "×" not in text and "/week" not in text, (item.id, text)
