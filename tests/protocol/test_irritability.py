"""Severity and irritability ratings (irritability.toml) and what a phase does to a dose."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hipback.errors import ConfigurationError
from hipback.protocol.catalog import load_catalog
from hipback.protocol.irritability import Phase, assess, load_irritability, parse_irritability
from hipback.screening import load_evaluation

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "evaluation.json"
CAT = load_catalog()


def _evaluation(**changes: Any) -> Any:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data.pop("symptom_behaviour")
    data["hip_pain"]["hoos_pain"] = {f"p{i}": 0 for i in range(1, 11)}
    data["low_back_pain"]["intensity_nprs"] = changes.pop("nprs", 0)
    if "hoos" in changes:
        items = changes.pop("hoos")
        data["hip_pain"]["hoos_pain"] = {f"p{i}": v for i, v in enumerate(items, 1)}
    if changes:
        data["symptom_behaviour"] = changes
    return load_evaluation(data)


@pytest.mark.parametrize(("nprs", "level"), [(3, "low"), (4, "moderate"), (6, "moderate"),
                                             (7, "high")])  # fmt: skip
def test_back_pain_bands(nprs: int, level: str) -> None:
    assert assess(_evaluation(nprs=nprs)).level == level


@pytest.mark.parametrize(
    ("items", "level"),
    [
        ([1] * 5 + [2] * 4 + [1], "low"),  # mean 1.4: mild on average
        ([1] * 5 + [2] * 5, "moderate"),  # mean 1.5 rounds to moderate
        ([2] * 5 + [3] * 5, "high"),  # mean 2.5 rounds to severe
    ],
)
def test_hoos_item_mean_bands(items: list[int], level: str) -> None:
    assert assess(_evaluation(hoos=items)).level == level


def test_the_highest_indicator_sets_the_presentation() -> None:
    """Mild pain (2/10, HOOS 0) but symptoms lasting into the next day: high, and the summary
    names each indicator with its rating."""
    p = assess(_evaluation(nprs=2, provoked_by="sustained_or_strenuous_activity",
                           settles_within="next_day_or_longer"))  # fmt: skip
    assert p.level == "high"
    assert [i.rating for i in p.indicators] == ["low", "low", "low", "high"]
    assert "settles next day or longer (high)" in p.summary
    assert p.profile.step_delay == 2


def test_nothing_recorded_uses_the_moderate_profile_and_says_so() -> None:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data.pop("symptom_behaviour")
    data["low_back_pain"].pop("intensity_nprs")
    data["hip_pain"].pop("hoos_pain")
    p = assess(load_evaluation(data))
    assert (p.level, p.assessed) == ("moderate", False)
    assert "not recorded" in p.summary


def test_a_phase_caps_the_grade_and_lowers_the_volume() -> None:
    phase = Phase(until_session=4, max_grade="II", sets_less=1, bouts_less=1, minutes_factor=0.5)
    distraction = CAT.get("hip_long_axis_distraction")  # L1 I-II ×3, L2 III, L3 IV
    level, dose, notes = phase.adjust(distraction, 3, distraction.level(3).dose)
    assert (level, dose.grade, dose.bouts) == (1, "I-II", 2)
    assert notes == ["grade IV capped at II: level 1 instead of 3", "2 bouts instead of 3"]
    thrust = CAT.get("hip_distraction_thrust")  # grade V only: held back
    assert phase.adjust(thrust, 1, thrust.level(1).dose)[0] == 0
    bridge = CAT.get("bridge")
    assert phase.adjust(bridge, 1, bridge.level(1).dose)[1].sets == 1  # 2 → 1
    tilt = CAT.get("pelvic_tilt")  # 1 set stays 1 set
    assert phase.adjust(tilt, 1, tilt.level(1).dose) == (1, tilt.level(1).dose, [])
    soft = CAT.get("hip_soft_tissue_mobilisation")  # 6 min → 3 min
    assert phase.adjust(soft, 1, soft.level(1).dose)[1].minutes == 3
    talk = CAT.get("edu_pain_pacing")  # a talk is not shortened
    assert phase.adjust(talk, 1, talk.level(1).dose)[2] == []
    # a documented response may take the grade above the cap; the volume still comes down
    level, dose, _ = phase.adjust(distraction, 2, distraction.level(2).dose, cap_grade=False)
    assert (level, dose.grade, dose.bouts) == (2, "III", 2)


def test_profiles_and_answers_are_checked() -> None:
    text = Path(__file__).resolve().parents[2] / "src/hipback/protocol/data/irritability.toml"
    good = text.read_text(encoding="utf-8")
    assert parse_irritability(good) == load_irritability()
    with pytest.raises(ConfigurationError, match="provocation"):
        parse_irritability(good.replace('little_activity = "high"', ""))
    with pytest.raises(ConfigurationError, match="max_grade 'VI'"):
        parse_irritability(good.replace('max_grade = "II"', 'max_grade = "VI"'))
