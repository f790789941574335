"""score_batch input shapes and refusals (values checked against the single path elsewhere)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hipback.errors import InvalidInput
from hipback.measures import score_batch


def test_array_rows_with_bad_values_are_refused_not_fatal() -> None:
    data = np.array([[1.0] * 20, [1.0] * 19 + [6.0], [1.0] * 19 + [np.nan], [1.0] * 19 + [0.5]])
    result = score_batch("qbpds", data)
    assert result.ok.tolist() == [True, False, False, False]
    assert result.scores[0] == 20
    assert np.isnan(result.scores[1:]).all()
    assert result.problems[0] is None
    assert "pro-rating" in (result.problems[2] or "")


def test_dataframe_by_column_name_any_order() -> None:
    frame = pd.DataFrame({f"s{i}": [i % 6, 0] for i in range(10, 0, -1)})
    result = score_batch("odi", frame)
    # row 0: sections 1..10 hold i % 6 = 1,2,3,4,5,0,1,2,3,4 → 25 of 50 → 50 %
    assert result.scores[0] == pytest.approx(50.0)
    assert result.scores[1] == 0.0
    assert result.category is not None
    assert list(result.category) == ["severe disability", "minimal disability"]


def test_dataframe_missing_column_named() -> None:
    with pytest.raises(InvalidInput, match="missing columns"):
        score_batch("odi", pd.DataFrame({"s1": [1]}))


def test_wrong_array_shape() -> None:
    with pytest.raises(InvalidInput, match="2-D array with 20 columns"):
        score_batch("qbpds", np.zeros((3, 19)))


def test_objects_path_reports_each_problem() -> None:
    result = score_batch("qbpds", [{"items": [1] * 20}, {"items": [1] * 3}, "junk"])
    assert result.ok.tolist() == [True, False, False]
    assert "exactly 20 answers" in (result.problems[1] or "")
    assert "a JSON object" in (result.problems[2] or "")


def test_records_round_trip() -> None:
    rec = score_batch("odi", np.array([[1.0] * 10])).to_records()[0]
    assert rec["score"] == 20.0
    assert rec["ok"] is True
    assert rec["category"] == "minimal disability"
    assert rec["sections_answered"] == 10
