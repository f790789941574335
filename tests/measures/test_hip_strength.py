"""Hip HHD strength ÷ body weight (measures.md §13a; MASH 0.26 criterion, mash.md §2.1)."""

from __future__ import annotations

import numpy as np
import pytest

from hipback.core import Confidence
from hipback.errors import InvalidInput
from hipback.measures import compare, get, interpret, score, score_batch

WEAK = "weak: below 0.26 × body weight (MASH criterion; unit uncertain)"
NOT_WEAK = "not weak: 0.26 × body weight or more (MASH criterion; unit uncertain)"


def test_newtons_hand_calculation() -> None:
    # 200 N, 80 kg: body weight 80 × 9.80665 = 784.532 N; 200 / 784.532 = 0.25493 N/N
    # N/kg: 200 / 80 = 2.5
    s = score("hip_strength", {"force_n": 200, "weight_kg": 80, "action": "internal_rotation"})
    assert s.value == pytest.approx(200 / 784.532)
    assert s.details["n_per_kg"] == pytest.approx(2.5)
    assert s.details["force_n"] == pytest.approx(200.0)
    assert s.unit == "N/N"
    assert s.category == WEAK


def test_kilograms_force_is_kgf_per_kg() -> None:
    # 20 kgf, 80 kg: 20 / 80 = 0.25 (= N/N); 20 kgf = 196.133 N; 196.133 / 80 = 2.4517 N/kg
    s = score("hip_strength", {"force_kg": 20, "weight_kg": 80})
    assert s.value == pytest.approx(0.25)
    assert s.details["force_n"] == pytest.approx(196.133)
    assert s.details["n_per_kg"] == pytest.approx(2.4516625)


@pytest.mark.parametrize(
    ("force_kg", "band"),
    # 80 kg: 20.8 / 80 = 0.26 exactly → "< 0.26" is false → not weak; 20.79 / 80 = 0.2599 → weak
    [(20.8, NOT_WEAK), (20.79, WEAK), (40, NOT_WEAK)],
)
def test_mash_edge(force_kg: float, band: str) -> None:
    s = score(
        "hip_strength", {"force_kg": force_kg, "weight_kg": 80, "action": "internal_rotation"}
    )
    assert s.category == band


def test_mash_edge_in_newtons() -> None:
    # 0.26 × 80 kg × 9.80665 = 203.97832 N → exactly on the edge → not weak
    s = score(
        "hip_strength", {"force_n": 203.97832, "weight_kg": 80, "action": "internal_rotation"}
    )
    assert s.category == NOT_WEAK


def test_mash_band_is_flagged_uncertain() -> None:
    s = score("hip_strength", {"force_kg": 15, "weight_kg": 75, "action": "internal_rotation"})
    (finding,) = interpret(s)["norms"]
    assert finding["confidence"] == Confidence.UNCERTAIN.value and finding["verified"] is False
    assert s.confidence == Confidence.UNCERTAIN
    assert any("OPEN QUESTION" in note for note in get("hip_strength").spec.notes)


@pytest.mark.parametrize("action", [None, "abduction", "external_rotation"])
def test_mash_band_only_for_internal_rotation(action: str | None) -> None:
    responses: dict[str, object] = {"force_kg": 15, "weight_kg": 75, "side": "left"}
    if action is not None:
        responses["action"] = action
    s = score("hip_strength", responses)
    assert s.category is None
    assert interpret(s)["norms"] == []


@pytest.mark.parametrize(
    ("responses", "fields"),
    [
        ({"weight_kg": 80}, ["force_n"]),
        ({"force_n": 200, "force_kg": 20, "weight_kg": 80}, ["force_kg"]),
        ({"force_n": 200}, ["weight_kg"]),
        ({"force_n": 0, "weight_kg": 80}, ["force_n"]),
        ({"force_kg": 200, "weight_kg": 80}, ["force_kg"]),
        ({"force_n": 200, "weight_kg": 10}, ["weight_kg"]),
        ({"force_n": 200, "weight_kg": 80, "action": "adduction"}, ["action"]),
        ({"force_n": 200, "weight_kg": 80, "side": "both"}, ["side"]),
        ({"force_n": 200, "weight_kg": 80, "torque_nm": 30}, ["torque_nm"]),
        ({"force_n": -5, "force_kg": 20, "weight_kg": 80}, ["force_n", "force_kg"]),
    ],
)
def test_bad_input_names_the_fields(responses: dict[str, object], fields: list[str]) -> None:
    with pytest.raises(InvalidInput) as err:
        score("hip_strength", responses)
    assert [p.field for p in err.value.problems] == fields


def test_both_forces_message_states_the_rule() -> None:
    with pytest.raises(InvalidInput) as err:
        score("hip_strength", {"force_n": 200, "force_kg": 20, "weight_kg": 80})
    (problem,) = err.value.problems
    assert problem.allowed.startswith("exactly one of force_n")


def test_batch_enforces_exactly_one_force() -> None:
    nan = np.nan
    out = score_batch(
        "hip_strength",
        {
            "force_n": np.array([200.0, nan, 200.0, nan]),
            "force_kg": np.array([nan, 20.0, 20.0, nan]),
            "weight_kg": np.array([80.0, 80.0, 80.0, 80.0]),
            "action": np.array(["internal_rotation", None, None, None], dtype=object),
            "side": np.array([None, None, None, None], dtype=object),
        },
    )
    assert out.ok.tolist() == [True, True, False, False]
    assert out.scores[:2] == pytest.approx([200 / 784.532, 0.25])
    assert out.problems[2] is not None and "exactly one" in out.problems[2]
    assert out.category is not None and out.category[0] == WEAK and out.category[1] is None


def test_compare_refuses_without_a_change_threshold() -> None:
    with pytest.raises(InvalidInput) as err:
        compare(
            "hip_strength", {"force_n": 150, "weight_kg": 80}, {"force_n": 200, "weight_kg": 80}
        )
    assert "no MCID or MDC" in err.value.problems[0].message
