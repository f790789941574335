"""Responder analysis. Interval values are Newcombe's published examples (Stat Med 1998;17:873,
Table II, method 10): 56/70 - 48/80 -> 0.0524 to 0.3339; 9/10 - 3/10 -> 0.1705 to 0.8090."""

from __future__ import annotations

import numpy as np
import pytest

from hipback.errors import InvalidInput
from hipback.trial.analysis import from_rows
from hipback.trial.analysis.responder import newcombe_difference, responder_analysis, wilson

HEADER = ["participant_id", "arm", "site", "sex", "visit", "baseline", "outcome"]


@pytest.mark.parametrize(
    ("counts", "expected"),
    [((56, 70, 48, 80), (0.2, 0.0524, 0.3339)), ((9, 10, 3, 10), (0.6, 0.1705, 0.8090))],
)
def test_newcombe_published_examples(
    counts: tuple[int, int, int, int], expected: tuple[float, float, float]
) -> None:
    got = newcombe_difference(*counts)
    np.testing.assert_allclose(got, expected, atol=5e-5)


def test_wilson_published_example() -> None:
    # Newcombe 1998 (Stat Med 17:857) Table I: 81/263 -> 0.2553 to 0.3662 (method 3, Wilson)
    np.testing.assert_allclose(wilson(81, 263), (0.2553, 0.3662), atol=5e-5)


def test_counts_direction_and_missing() -> None:
    lines = [
        "a,hip,s,F,8wk,40,30",  # change -10: responder at MCID 10 (decrease is better)
        "b,hip,s,F,8wk,40,35",  # change -5: not
        "c,hip,s,F,8wk,40,",  # missing: not counted
        "d,spine,s,F,8wk,40,41",  # +1: not
        "e,spine,s,F,8wk,40,20",  # -20: responder
        "f,spine,s,F,8wk,40,39",  # -1: not
    ]
    data = from_rows([dict(zip(HEADER, x.split(","), strict=True)) for x in lines])
    res = responder_analysis(data, mcid=10, improvement="decrease", reference="spine")
    by = {a.arm: a for a in res.arms}
    assert (by["hip"].responders, by["hip"].n, by["hip"].missing) == (1, 2, 1)
    assert (by["spine"].responders, by["spine"].n) == (1, 3)
    (d,) = res.differences
    assert d.difference == pytest.approx(1 / 2 - 1 / 3)
    assert d.ci_low < d.difference < d.ci_high
    up = responder_analysis(data, mcid=1, improvement="increase", reference="spine")
    assert {a.arm: a.responders for a in up.arms} == {"hip": 0, "spine": 1}
    with pytest.raises(InvalidInput):
        responder_analysis(data, mcid=-1, improvement="decrease", reference="spine")
