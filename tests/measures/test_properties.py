"""Properties every registered instrument must have (Hypothesis).

* the batch path gives the same scores, validity and categories as one-at-a-time scoring;
* valid scores stay within the instrument's declared range;
* questionnaire totals move in the instrument's direction when one item goes up.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hipback.errors import InvalidInput
from hipback.measures import get, ids, score_batch
from hipback.measures.base import FieldSpec, Measure
from hipback.measures.questionnaire import Questionnaire


def _value(spec: FieldSpec) -> st.SearchStrategy[Any]:
    if spec.choices is not None:
        return st.sampled_from(spec.choices)
    lo = spec.min if spec.min is not None else -10.0
    hi = spec.max if spec.max is not None else lo + 500.0
    if spec.integer:
        inner: st.SearchStrategy[Any] = st.integers(math.ceil(lo), int(hi))
    else:
        inner = st.floats(lo, hi, allow_nan=False).map(lambda x: round(x, 2))
    # occasionally out of range, to check that both paths refuse the same rows
    wild = st.integers(int(lo) - 3, int(hi) + 3)
    return st.one_of(inner, inner, inner, wild)


def rows(measure: Measure) -> st.SearchStrategy[dict[str, Any]]:
    fields = measure.fields()
    parts = []
    for f in fields:
        strategy = _value(f)
        parts.append(st.one_of(strategy, st.none()) if not f.required else strategy)
    return st.tuples(*parts).map(
        lambda vals: dict(zip([f.name for f in fields], vals, strict=True))
    )


def as_responses(measure: Measure, row: dict[str, Any]) -> dict[str, Any]:
    if isinstance(measure, Questionnaire):
        # columns besides the items (e.g. FABQ "working") are keys of their own
        item_ids = [item.id for item in measure.spec.items]
        extra = {c: row[c] for c in measure.columns() if c not in item_ids and row[c] is not None}
        return {"items": [row[c] for c in item_ids], **extra}
    return {k: v for k, v in row.items() if v is not None}


@pytest.mark.parametrize("instrument", ids())
@given(data=st.data())
def test_batch_equals_single(instrument: str, data: st.DataObject) -> None:
    measure = get(instrument)
    batch_rows = data.draw(st.lists(rows(measure), min_size=1, max_size=8))
    responses = [as_responses(measure, r) for r in batch_rows]
    result = score_batch(instrument, responses)
    frame = {c: np.array([r[c] for r in batch_rows], dtype=object) for c in measure.columns()}
    columns = {
        f.name: frame[f.name]
        if f.choices
        else np.array([np.nan if v is None else float(v) for v in frame[f.name]])
        for f in measure.fields()
    }
    by_columns = score_batch(instrument, columns)
    for i, resp in enumerate(responses):
        try:
            single = measure.score(resp)
        except InvalidInput:
            assert not result.ok[i]
            assert not by_columns.ok[i]
            continue
        assert result.ok[i] and by_columns.ok[i], result.problems[i]
        for batch in (result, by_columns):
            if single.value is None:
                assert np.isnan(batch.scores[i])
            else:
                assert batch.scores[i] == pytest.approx(single.value, abs=1e-9)
            for name, value in single.subscores.items():
                got = batch.subscores[name][i]
                assert (value is None and np.isnan(got)) or got == pytest.approx(value)
            if batch.category is not None:
                assert batch.category[i] == single.category


@pytest.mark.parametrize("instrument", ids())
@given(data=st.data())
def test_scores_within_declared_range(instrument: str, data: st.DataObject) -> None:
    measure = get(instrument)
    resp = as_responses(measure, data.draw(rows(measure)))
    try:
        s = measure.score(resp)
    except InvalidInput:
        return
    if s.value is not None:
        assert measure.spec.score_min <= s.value <= measure.spec.score_max


QUESTIONNAIRES = [i for i in ids() if isinstance(get(i), Questionnaire)]


@pytest.mark.parametrize("instrument", QUESTIONNAIRES)
@given(data=st.data())
def test_total_is_monotone_in_each_item(instrument: str, data: st.DataObject) -> None:
    """Raising one scored item never moves the headline score against the direction."""
    measure = get(instrument)
    assert isinstance(measure, Questionnaire)
    items = measure.spec.items
    answers = [data.draw(st.integers(int(it.min), int(it.max))) for it in items]
    j = data.draw(st.integers(0, len(items) - 1))
    if answers[j] == items[j].max:
        return
    try:
        low = measure.score({"items": answers})
        answers[j] += 1
        high = measure.score({"items": answers})
    except InvalidInput:
        return
    if low.value is None or high.value is None or not items[j].scored:
        return
    if items[j].reverse:
        assert high.value <= low.value + 1e-9
    else:
        assert high.value >= low.value - 1e-9
