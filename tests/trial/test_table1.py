"""Table 1 (baseline characteristics by arm), checked against hand calculations."""

from __future__ import annotations

import math

import pytest

from hipback.errors import InvalidInput
from hipback.trial.table1 import CategoricalCell, ContinuousCell, Variable, table1

ROWS = [
    {"arm": "hip", "age": 60, "sex": "female"},
    {"arm": "hip", "age": 70, "sex": "female"},
    {"arm": "hip", "age": 80, "sex": "male"},
    {"arm": "spine", "age": 65, "sex": "female"},
    {"arm": "spine", "age": 75, "sex": "male"},
    {"arm": "spine", "age": None, "sex": "male"},
]
VARIABLES = [
    Variable("age", "Age, years", "continuous"),
    Variable("sex", "Sex", "categorical", levels=("female", "male")),
]


def test_hand_calculated_cells() -> None:
    table = table1(ROWS, ["hip", "spine"], VARIABLES)
    age, female, male = table.rows
    # hip ages 60, 70, 80: mean 70, SD sqrt((100 + 0 + 100) / 2) = 10
    hip = age.cells["hip"]
    assert isinstance(hip, ContinuousCell)
    assert (hip.mean, hip.sd, hip.text) == (70.0, 10.0, "70.0 (10.0)")
    # spine ages 65, 75 (one missing): mean 70, SD sqrt((25 + 25) / 1) = 7.071
    spine = age.cells["spine"]
    assert isinstance(spine, ContinuousCell)
    assert spine.sd == pytest.approx(math.sqrt(50)) and spine.missing == 1
    assert spine.text == "70.0 (7.1)"
    # total 60, 70, 80, 65, 75: mean 70, SD sqrt(250 / 4) = 7.906
    assert age.cells["Total"].text == "70.0 (7.9)"
    # sex: hip 2/3 female = 66.7%, spine 1/3 = 33.3%, total 3/6 = 50.0%
    assert [female.cells[c].text for c in ("hip", "spine", "Total")] == [
        "2 (66.7%)",
        "1 (33.3%)",
        "3 (50.0%)",
    ]
    assert male.cells["spine"] == CategoricalCell(2, 3)
    assert table.n == {"hip": 3, "spine": 3, "Total": 6}


def test_as_dict_and_text_rows() -> None:
    table = table1(ROWS, ["hip", "spine"], VARIABLES)
    data = table.as_dict()
    assert data["columns"] == ["hip", "spine", "Total"]
    assert "no p-values" in str(data["note"])
    text = table.as_text_rows()
    assert text[0] == ["Characteristic", "hip (n=3)", "spine (n=3)", "Total (n=6)"]
    assert text[2] == ["Sex, n (%)", "", "", ""]
    assert text[3][0] == "  female"


def test_single_value_has_no_sd_and_empty_arm_is_dashed() -> None:
    table = table1([{"arm": "hip", "age": 71.5}], ["hip", "spine"], VARIABLES[:1])
    assert table.rows[0].cells["hip"].text == "71.5 (–)"
    assert table.rows[0].cells["spine"].text == "–"


def test_bad_values_are_named() -> None:
    rows = [{"arm": "knee", "age": "old", "sex": "other"}]
    with pytest.raises(InvalidInput) as info:
        table1(rows, ["hip", "spine"], VARIABLES)
    assert {p.field for p in info.value.problems} == {"rows[0].arm", "rows[0].age", "rows[0].sex"}
