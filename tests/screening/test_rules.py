"""The shipped rulesets pass their schema and match mash.md §2; the schema rejects bad files."""

from __future__ import annotations

import pytest

from hipback.errors import ConfigurationError
from hipback.screening.evaluation import load_evaluation
from hipback.screening.outcomes import outcome
from hipback.screening.quantities import expand, known_derived, read
from hipback.screening.rules import (
    Criterion,
    load_eligibility,
    load_red_flags,
    parse_eligibility,
    parse_red_flags,
)


def test_mash_ruleset_lists_i1_to_i5_and_e1_to_e10() -> None:
    rules = load_eligibility()
    ids = [c.id for c in rules.criteria]
    assert ids == ["I1", "I2", "I3", "I4", "I5a", "I5b"] + [f"E{i}" for i in range(1, 11)]
    assert all(
        c.kind == ("inclusion" if c.id.startswith("I") else "exclusion") for c in rules.criteria
    )


def test_thresholds_as_mash_md_states_them() -> None:
    by_id = {c.id: c for c in load_eligibility().criteria}
    assert (by_id["I1"].operator, by_id["I1"].threshold) == ("between", [60, 85])
    assert (by_id["I2"].operator, by_id["I2"].threshold) == (">=", 3)
    assert (by_id["I4"].operator, by_id["I4"].threshold) == (">", 3)
    assert (by_id["I5a"].operator, by_id["I5a"].threshold, by_id["I5a"].combine) == (
        "<",
        0.26,
        "any",
    )
    assert (by_id["I5b"].operator, by_id["I5b"].threshold) == (">", 5)
    assert (by_id["E2"].operator, by_id["E2"].threshold) == ("<=", 15)
    assert (by_id["E6"].operator, by_id["E6"].threshold) == ("<", 24)


def test_every_rule_field_resolves(base: dict[str, object]) -> None:
    ev = load_evaluation(base)
    conditions = [*load_eligibility().criteria, *load_red_flags().flags]
    for condition in conditions:
        for field in expand(condition.fields):
            assert read(ev, field).assessed, field


def test_derived_quantities_used_by_the_ruleset_exist() -> None:
    used = {f for c in load_eligibility().criteria for f in expand(c.fields)}
    derived = {f.removeprefix("derived:") for f in used if f.startswith("derived:")}
    assert derived <= set(known_derived())
    assert len(derived) == 6  # IR ratio left and right, HOOS sum, two fracture rules, red flags


_GOOD = """
schema_version = 1
id = "t"
title = "t"
version = "1"
[[criteria]]
id = "I1"
kind = "inclusion"
text = "Age"
fields = ["patient.age_years"]
operator = "between"
threshold = [60, 85]
source = "s"
confidence = "verified"
[subgroups]
weak = "I1"
painful = "I1"
source = "s"
confidence = "uncertain"
"""


def test_minimal_ruleset_parses() -> None:
    assert parse_eligibility(_GOOD).criteria[0].threshold == [60, 85]


@pytest.mark.parametrize(
    ("old", "new", "complaint"),
    [
        ("threshold = [60, 85]", "threshold = 60", "does not suit operator"),
        ('operator = "between"', 'operator = "approximately"', "operator"),
        ('confidence = "verified"', 'confidence = "sure"', "confidence"),
        (
            'source = "s"\nconfidence = "verified"',
            'source = "s"\nconfidence = "verified"\nx = 1',
            "x",
        ),
        ('weak = "I1"', 'weak = "I9"', "unknown criterion"),
        ("schema_version = 1", "schema_version = 2", "schema_version"),
        ("[[criteria]]", "[[criteria", "not valid TOML"),
    ],
)
def test_schema_rejects(old: str, new: str, complaint: str) -> None:
    with pytest.raises(ConfigurationError, match=complaint):
        parse_eligibility(_GOOD.replace(old, new, 1), "t.toml")


def test_red_flag_ids_unique() -> None:
    text = """
schema_version = 1
id = "r"
title = "r"
version = "1"
[[flags]]
id = "RF1"
text = "Fever"
fields = ["red_flags.fever"]
operator = "is_true"
source = "s"
confidence = "verified"
"""
    assert len(parse_red_flags(text).flags) == 1
    doubled = text + text[text.index("[[flags]]") :]
    with pytest.raises(ConfigurationError, match="unique"):
        parse_red_flags(doubled)


def test_rule_on_unknown_field_is_a_configuration_error(base: dict[str, object]) -> None:
    rule = Criterion(
        id="X1",
        kind="inclusion",
        text="bad",
        fields=["patient.shoe_size"],
        operator=">",
        threshold=1,
        source="s",
        confidence="verified",  # type: ignore[arg-type]
    )
    with pytest.raises(ConfigurationError, match="shoe_size"):
        outcome(rule, "inclusion", load_evaluation(base))
    with pytest.raises(ConfigurationError, match="derived"):
        read(load_evaluation(base), "derived:nope")
