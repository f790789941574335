"""Red flags: any one present means refer, never a plan (mash.md §2.2 E9; red_flags.toml)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hipback.screening import check_red_flags, load_evaluation, must_refer, screen
from hipback.screening.rules import load_red_flags

YES_NO_FLAGS = [
    ("RF2", "red_flags.fever"),
    ("RF3", "red_flags.night_pain"),
    ("RF4", "red_flags.history_of_cancer"),
    ("RF5", "red_flags.bowel_or_bladder_change"),
    ("RF6", "red_flags.saddle_anaesthesia"),
    ("RF7", "red_flags.recent_trauma"),
    ("RF8", "red_flags.progressive_neurological_deficit"),
]

Edit = Callable[[str, Any], None]  # the `edit` fixture in conftest.py


@pytest.mark.parametrize(("flag", "path"), YES_NO_FLAGS)
def test_each_flag_refers(base: dict[str, Any], edit: Edit, flag: str, path: str) -> None:
    edit(path, True)
    result = screen(base)
    assert result.decision == "refer"
    assert result.criterion(flag).status == "met"
    assert "do not start a treatment plan" in result.criterion(flag).explanation
    assert flag in result.summary
    assert must_refer(load_evaluation(base))


@pytest.mark.parametrize(("pounds", "decision"), [(10, "eligible"), (10.5, "refer"), (25, "refer")])
def test_weight_loss_above_10_lb_refers(
    base: dict[str, Any], edit: Edit, pounds: float, decision: str
) -> None:
    # MASH E9 example: unintentional weight loss > 10 lb, so exactly 10 lb is not a red flag.
    edit("red_flags.unexplained_weight_loss_lb", pounds)
    assert screen(base).decision == decision


def test_refer_outranks_ineligible(base: dict[str, Any], edit: Edit) -> None:
    edit("patient.age_years", 90)
    edit("red_flags.saddle_anaesthesia", True)
    result = screen(base)
    assert result.criterion("I1").status == "not_met"
    assert result.decision == "refer"


def test_unasked_red_flag_blocks_eligible(base: dict[str, Any], edit: Edit) -> None:
    edit("red_flags.night_pain", ...)
    result = screen(base)
    assert result.decision == "incomplete"
    assert result.criterion("RF3").status == "not_assessed"
    assert result.criterion("E9").status == "not_assessed"
    assert "red_flags.night_pain" in result.not_assessed


def test_every_flag_in_the_ruleset_is_checked(base: dict[str, Any]) -> None:
    ids = [f.id for f in load_red_flags().flags]
    assert [r.id for r in check_red_flags(load_evaluation(base))] == ids
    assert len(ids) == 8


def test_mash_examples_verified_others_marked_unverified() -> None:
    confidence = {f.id: f.confidence.value for f in load_red_flags().flags}
    # mash.md §2.2 E9 names fever, weight loss > 10 lb and night pain; the rest are our defaults.
    assert {k for k, v in confidence.items() if v == "verified"} == {"RF1", "RF2", "RF3"}
    assert all(v == "unverified" for k, v in confidence.items() if k not in {"RF1", "RF2", "RF3"})
