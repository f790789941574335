"""Planned level steps and the education schedule (progression.toml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hipback.errors import ConfigurationError
from hipback.protocol.catalog import load_catalog
from hipback.protocol.course import Steps, load_course, parse_course, planned_level

CAT = load_catalog()
COURSE = load_course()
FILE = Path(__file__).resolve().parents[2] / "src/hipback/protocol/data/progression.toml"


def test_steps_every_two_weeks_from_week_3() -> None:
    steps = Steps(first=5, every=4, why="w")
    assert [steps.steps_by(s) for s in (1, 4, 5, 8, 9, 13, 16)] == [0, 0, 1, 1, 2, 3, 3]
    # delayed by a week (irritable start): 7, 11, 15
    assert [steps.steps_by(s, delay=2) for s in (6, 7, 10, 11, 15)] == [0, 1, 1, 2, 3]


def test_planned_level_stops_at_the_top_of_the_ladder() -> None:
    ir = CAT.get("seated_hip_ir_band")  # 3 levels
    assert [planned_level(ir, 1, s, COURSE) for s in (1, 5, 9, 13, 16)] == [1, 2, 3, 3, 3]
    start_two = CAT.get("hip_long_axis_distraction")  # 3 levels, tailored start 2
    assert [planned_level(start_two, 2, s, COURSE) for s in (1, 5, 9)] == [2, 3, 3]


def test_education_is_given_only_at_its_sessions() -> None:
    pacing = CAT.get("edu_pain_pacing")  # sessions 1 (introduce) and 9 (review)
    assert [planned_level(pacing, 1, s, COURSE) for s in (1, 2, 9, 10)] == [1, 0, 2, 0]
    once = CAT.get("edu_flare_plan")  # one level only: never a review level it lacks
    assert [planned_level(once, 1, s, COURSE) for s in (5, 6, 7)] == [0, 1, 0]


def test_every_education_item_is_scheduled_and_exists() -> None:
    text = FILE.read_text(encoding="utf-8")
    with pytest.raises(ConfigurationError, match="edu_flare_plan' has no sessions"):
        parse_course(text.replace('item = "edu_flare_plan"', 'item = "edu_pain_pacing"'), CAT)
    with pytest.raises(ConfigurationError, match="'edu_nothing' is not in the catalog"):
        parse_course(text.replace('item = "edu_flare_plan"', 'item = "edu_nothing"'), CAT)
