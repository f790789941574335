"""Bang blinding index (Bang, Ni & Davis, Control Clin Trials 2004;25:143-156)."""

from __future__ import annotations

import pytest

from hipback.errors import InvalidInput
from hipback.trial.blinding import DONT_KNOW, bang_by_arm, bang_index


def test_hand_calculation_small_table() -> None:
    # 10 assessments in one arm: 6 correct, 2 wrong, 2 "don't know".
    # BI = (6 - 2) / 10 = 0.4
    # p_c = 0.6, p_i = 0.2; var = (0.6*0.4 + 0.2*0.8 + 2*0.6*0.2) / 10 = 0.64 / 10 = 0.064
    # se = sqrt(0.064) = 0.252982; z(0.975) = 1.959964; half-width = 0.495836
    # two-sided 95% CI = (-0.095836, 0.895836); one-sided "greater" lower limit:
    # 0.4 - 1.644854 * 0.252982 = -0.016119, upper fixed at 1.
    result = bang_index(6, 2, 2)
    assert result.estimate == pytest.approx(0.4)
    assert result.se == pytest.approx(0.252982, abs=1e-6)
    assert (result.ci_low, result.ci_high) == pytest.approx((-0.095836, 0.895836), abs=1e-6)
    greater = bang_index(6, 2, 2, alternative="greater")
    assert (greater.ci_low, greater.ci_high) == pytest.approx((-0.016119, 1.0), abs=1e-6)


def test_crisp_example_counts() -> None:
    # CRISP trial counts from Bang 2004 Table 7 as given in the R package BI examples
    # (marcschwartz/BI man/BI.Rd): treatment arm 82 correct, 25 wrong, 170 don't know.
    # BI = 57/277 = 0.205776; p_c = 82/277 = 0.296029, p_i = 25/277 = 0.090253;
    # var = (p_c + p_i - (p_c - p_i)^2) / 277 = (0.386282 - 0.042344) / 277 = 0.00124165
    # se = 0.035237. Placebo arm: 29 correct, 27 wrong, 83 don't know: BI = 2/139 = 0.014388.
    treatment = bang_index(82, 25, 170)
    assert treatment.estimate == pytest.approx(0.205776, abs=1e-6)
    assert treatment.se == pytest.approx(0.035237, abs=1e-6)
    assert bang_index(29, 27, 83).estimate == pytest.approx(0.014388, abs=1e-6)


def test_by_arm_from_guess_pairs() -> None:
    guesses = (
        [("hip", "hip")] * 6
        + [("hip", "spine")] * 2
        + [("hip", DONT_KNOW)] * 2
        + [("spine", "spine")] * 1
        + [("spine", "hip")] * 3
        + [("spine", DONT_KNOW)] * 4
    )
    result = bang_by_arm(guesses, ["hip", "spine"])
    assert result["hip"].estimate == pytest.approx(0.4)
    # spine: (1 - 3) / 8 = -0.25 (more wrong than right: "opposite guessing")
    assert result["spine"].estimate == pytest.approx(-0.25)
    assert (result["spine"].correct, result["spine"].incorrect, result["spine"].dont_know) == (
        1,
        3,
        4,
    )


def test_all_dont_know_is_zero_with_zero_se() -> None:
    result = bang_index(0, 0, 5)
    assert (result.estimate, result.se, result.ci_low, result.ci_high) == (0.0, 0.0, 0.0, 0.0)


def test_bad_input_names_field() -> None:
    with pytest.raises(InvalidInput) as info:
        bang_by_arm([("hip", "knee")], ["hip", "spine"])
    assert info.value.problems[0].field == "guesses[0].guess"
    assert "dont_know" in info.value.problems[0].allowed
    with pytest.raises(InvalidInput, match="no guesses"):
        bang_index(0, 0, 0)
    with pytest.raises(InvalidInput, match="confidence"):
        bang_index(1, 1, 1, confidence=1.5)


def test_guesses_recorded_and_joined_per_visit() -> None:
    from datetime import UTC, datetime

    from hipback.trial.blinding import bang_for_visit, record_guess

    when = datetime(2026, 3, 1, tzinfo=UTC)
    arms = ["hip", "spine"]
    guesses = [
        record_guess(participant_id=p, visit="week8", guess=g, assessor="A", at=when, arms=arms)
        for p, g in [("P1", "hip"), ("P2", "spine"), ("P3", DONT_KNOW), ("P4", "hip")]
    ]
    guesses.append(
        record_guess(
            participant_id="P1", visit="month6", guess="spine", assessor="A", at=when, arms=arms
        )
    )
    arm_of = {"P1": "hip", "P2": "hip", "P3": "spine", "P4": "spine"}
    result = bang_for_visit(guesses, arm_of, arms, "week8")
    # hip: P1 right, P2 wrong -> (1 - 1) / 2 = 0; spine: P3 don't know, P4 wrong -> -1/2
    assert result["hip"].estimate == 0.0
    assert result["spine"].estimate == -0.5
    with pytest.raises(InvalidInput) as info:
        record_guess(
            participant_id="P1", visit="week8", guess="knee", assessor="A", at=when, arms=arms
        )
    assert info.value.problems[0].allowed == "hip, spine, dont_know"
