"""FABQ (Waddell 1993; items per APTA LBP CPG): PA = items 2-5 (0-24), W = items 6, 7, 9-12, 15
(0-42), headline = PA; W only when working; MCID/MDC95 PA 4/3.69, W 7/5.95 (Monticone 2020)."""

from __future__ import annotations

import numpy as np
import pytest

from hipback.core import Confidence
from hipback.errors import InvalidInput
from hipback.measures import compare, get, interpret, score, score_batch

# item k (1-based) answered k mod 7: 1,2,3,4,5,6,0,1,2,3,4,5,6,0,1,2
ANSWERS = [k % 7 for k in range(1, 17)]


def test_subscales_hand_computed() -> None:
    # PA = items 2+3+4+5 = 2+3+4+5 = 14
    # W = items 6+7+9+10+11+12+15 = 6+0+2+3+4+5+1 = 21
    s = score("fabq", {"items": ANSWERS, "working": True})
    assert s.value == 14
    assert s.subscores == {"pa": 14, "w": 21}
    assert s.warnings == ()


def test_unscored_items_do_not_count() -> None:
    # raising items 1, 8, 13, 14, 16 (0-based 0, 7, 12, 13, 15) to 6 changes nothing
    raised = list(ANSWERS)
    for i in (0, 7, 12, 13, 15):
        raised[i] = 6
    s = score("fabq", {"items": raised, "working": 1})
    assert s.subscores == {"pa": 14, "w": 21}


def test_not_working_gives_no_w() -> None:
    s = score("fabq", {"items": ANSWERS, "working": False})
    assert s.value == 14
    assert s.subscores["w"] is None
    assert "FABQ-W not computed" in s.warnings[0]
    # W items may be left null when not working; the warning goes away
    items: list[int | None] = list(ANSWERS)
    for i in (5, 6, 8, 9, 10, 11, 14):
        items[i] = None
    quiet = score("fabq", {"items": items})
    assert quiet.value == 14
    assert quiet.warnings == ()


def test_missing_pa_item_refused_and_named() -> None:
    items: list[int | None] = list(ANSWERS)
    items[2] = None
    items[0] = None  # unscored: not reported
    with pytest.raises(InvalidInput) as err:
        score("fabq", {"items": items})
    (problem,) = err.value.problems
    assert problem.field == "items[2]"
    assert "FABQ-PA needs all" in problem.message


def test_missing_w_item_refused_only_when_working() -> None:
    items: list[int | None] = list(ANSWERS)
    items[14] = None
    assert score("fabq", {"items": items, "working": False}).value == 14
    with pytest.raises(InvalidInput) as err:
        score("fabq", {"items": items, "working": True})
    (problem,) = err.value.problems
    assert problem.field == "items[14]"
    assert "FABQ-W" in problem.message


@pytest.mark.parametrize(
    ("responses", "field"),
    [
        ({"items": [7, *ANSWERS[1:]]}, "items[0]"),
        ({"items": [*ANSWERS[:4], -1, *ANSWERS[5:]]}, "items[4]"),
        ({"items": ANSWERS, "working": "retired"}, "working"),
        ({"items": ANSWERS, "working": 2}, "working"),
        ({"items": ANSWERS[:15]}, "items"),
        ({"items": ANSWERS, "retired": True}, "retired"),
    ],
)
def test_bad_inputs_named(responses: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        score("fabq", responses)
    assert err.value.problems[0].field == field


def test_batch_with_working_column() -> None:
    # row 0 working → W 21; row 1 not working → W NaN; row 2 working, W item missing → refused
    rows = np.array([[*ANSWERS, 1], [*ANSWERS, 0], [*ANSWERS, 1]], dtype=float)
    rows[2, 5] = np.nan
    result = score_batch("fabq", rows)
    assert result.scores[:2].tolist() == [14.0, 14.0]
    assert result.subscores["w"][0] == 21
    assert np.isnan(result.subscores["w"][1])
    assert not result.ok[2]
    assert "FABQ-W" in (result.problems[2] or "")
    objects = score_batch("fabq", [{"items": ANSWERS, "working": True}, {"items": ANSWERS}])
    assert objects.subscores["w"][0] == 21
    assert np.isnan(objects.subscores["w"][1])


@pytest.mark.parametrize(("pa_each", "high"), [(3, False), (4, True)])
def test_pa_cutoff_edge(pa_each: int, high: bool) -> None:
    # PA items all 3 → 12 (not above 14); 3,4,4,4 → 15 (above 14)
    items = [0] * 16
    items[1:5] = [3, 3, 3, 3] if not high else [3, 4, 4, 4]
    findings = interpret(score("fabq", {"items": items}))["norms"]
    tables = {f["table"] for f in findings}
    assert ("FABQ-PA cutoff" in tables) is high
    if high:
        assert findings[0]["verified"] is False  # ✅/⚠️ in the reference


def test_w_cutoff_edges() -> None:
    # W items: seven 5s → 35 (above 34 and above 29); one lowered to 4 → 34: only the W > 29 band
    items = [0] * 16
    for i in (5, 6, 8, 9, 10, 11, 14):
        items[i] = 5
    tables = {f["table"] for f in interpret(score("fabq", {"items": items, "working": 1}))["norms"]}
    assert "FABQ-W cutoff (Fritz & George 2002)" in tables
    items[14] = 4
    tables = {f["table"] for f in interpret(score("fabq", {"items": items, "working": 1}))["norms"]}
    assert "FABQ-W cutoff (Fritz & George 2002)" not in tables
    assert "FABQ-W cutoff, acute occupational LBP" in tables


def test_compare_pa_and_w() -> None:
    before = {"items": ANSWERS, "working": True}  # PA 14, W 21
    lower = list(ANSWERS)
    lower[1:5] = [0, 1, 2, 3]  # PA 6: improvement 8 ≥ MCID 4 and ≥ MDC95 3.69
    lower[5] = 0  # W 21 - 6 = 15: improvement 6 < MCID 7 (≥ MDC95 5.95)
    result = compare("fabq", before, {"items": lower, "working": True})
    pa, w = result.changes
    assert (pa.name, pa.improvement, pa.verdict) == ("pa", 8, "improved")
    assert (w.name, w.improvement, w.exceeds_mcid, w.exceeds_mdc) == ("w", 6, False, True)
    assert w.verdict == "no_meaningful_change"
    # not working: only PA is judged
    assert [c.name for c in compare("fabq", {"items": ANSWERS}, {"items": lower}).changes] == ["pa"]


def test_missing_rule_is_unverified() -> None:
    spec = get("fabq").spec
    assert spec.missing_rule_confidence is Confidence.UNVERIFIED
    assert "missing-item rule" in interpret(score("fabq", {"items": ANSWERS}))["unverified"]
