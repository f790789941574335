"""The long CSV contract of `hipback trial analyse`: pivoting, missing values, and errors that
name the line, column and value."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from hipback.errors import InvalidInput
from hipback.trial.analysis import from_rows, read_long_csv

HEADER = ["participant_id", "arm", "site", "sex", "visit", "baseline", "outcome"]


def rows(*lines: str) -> list[dict[str, str]]:
    return [dict(zip(HEADER, line.split(","), strict=True)) for line in lines]


def test_pivots_in_order_of_first_appearance_with_missing_outcomes() -> None:
    data = from_rows(
        rows(
            "p1,hip,a,F,8wk,30,20",
            "p1,hip,a,F,6mo,30,",
            "p2,spine,b,M,6mo,40,NA",
            "p2,spine,b,M,8wk,40,35",
        )
    )
    assert data.visits == ("8wk", "6mo")
    assert data.participant_ids == ("p1", "p2")
    np.testing.assert_array_equal(data.baseline, [30.0, 40.0])
    # change = outcome - baseline: p1 8wk 20-30 = -10, p2 8wk 35-40 = -5; blanks and NA missing
    np.testing.assert_array_equal(data.change, [[-10.0, np.nan], [-5.0, np.nan]])


def test_visits_option_orders_and_restricts() -> None:
    data = from_rows(rows("p1,hip,a,F,8wk,30,20", "p1,hip,a,F,6mo,30,25"), visits=["6mo", "8wk"])
    assert data.visits == ("6mo", "8wk")
    np.testing.assert_array_equal(data.change, [[-5.0, -10.0]])
    with pytest.raises(InvalidInput) as err:
        from_rows(rows("p1,hip,a,F,12mo,30,20"), visits=["8wk", "6mo"])
    assert err.value.problems[0].field == "line 2: visit"
    assert err.value.problems[0].value == "12mo"
    assert "8wk, 6mo" in err.value.problems[0].allowed


def test_bad_numbers_name_line_column_and_value() -> None:
    with pytest.raises(InvalidInput) as err:
        from_rows(rows("p1,hip,a,F,8wk,thirty,20", "p1,hip,a,F,6mo,30,inf"))
    fields = [(p.field, p.value) for p in err.value.problems]
    assert ("line 2: baseline", "thirty") in fields
    assert ("line 3: outcome", "inf") in fields


def test_duplicate_visit_and_inconsistent_participant_values() -> None:
    with pytest.raises(InvalidInput) as err:
        from_rows(rows("p1,hip,a,F,8wk,30,20", "p1,hip,a,F,8wk,30,21", "p1,spine,a,F,6mo,30,2"))
    text = str(err.value)
    assert "line 3: visit" in text
    assert "already has this visit on line 2" in text
    assert "line 4: arm: got 'spine'" in text


def test_empty_required_value() -> None:
    with pytest.raises(InvalidInput) as err:
        from_rows(rows("p1,,a,F,8wk,30,20"))
    assert err.value.problems[0].field == "line 2: arm"


def test_missing_baseline_excludes_participant_with_a_note() -> None:
    data = from_rows(rows("p1,hip,a,F,8wk,,20", "p2,spine,a,F,8wk,30,20"))
    assert data.participant_ids == ("p2",)
    assert "baseline missing: p1" in data.notes[0]


def test_missing_columns_and_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("participant_id,arm,visit,baseline,outcome\np1,hip,8wk,1,2\n")
    with pytest.raises(InvalidInput) as err:
        read_long_csv(path)
    assert err.value.problems[0].field == "columns"
    assert "site, sex" in err.value.problems[0].message
    with pytest.raises(InvalidInput):
        read_long_csv(tmp_path / "absent.csv")
