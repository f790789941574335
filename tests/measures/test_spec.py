"""Every shipped spec file passes the schema, and the schema rejects malformed files."""

from __future__ import annotations

import pytest

from hipback.core import Confidence
from hipback.errors import ConfigurationError
from hipback.measures import all_measures
from hipback.measures.spec import parse_spec

MINIMAL = """
schema_version = 1
id = "x"
name = "X"
short_name = "X"
version = "1"
kind = "rating"
unit = "points"
score_min = 0
score_max = 10
direction = "higher_is_worse"
summary = "s"
missing_rule = "m"
missing_rule_confidence = "verified"
[scoring_source]
citation = "c"
confidence = "verified"
[licence]
holder = "h"
status = "public_domain"
terms = "t"
confidence = "verified"
"""


def test_every_registered_spec_is_valid_and_sourced() -> None:
    for m in all_measures():
        spec = m.spec
        assert spec.scoring_source.citation
        assert spec.licence.terms
        for t in spec.thresholds:
            assert t.citation
            assert isinstance(t.confidence, Confidence)


def test_minimal_spec_parses() -> None:
    assert parse_spec(MINIMAL, "mem").id == "x"


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        ("\nunknown_key = 1", "unknown_key"),
        (
            '\n[[thresholds]]\nkind = "mcid"\npopulation = "p"\ncitation = "c"\n'
            'confidence = "verified"',
            "thresholds.0",
        ),
        (
            '\n[[norms]]\ntable = "t"\nkind = "band"\ncategory = "c"\ncitation = "c"\n'
            'confidence = "verified"',
            "norms.0",
        ),
        (
            '\n[[thresholds]]\nkind = "mcid"\nvalue = 2\npopulation = "p"\ncitation = "c"\n'
            'confidence = "sure"',
            "confidence",
        ),
    ],
)
def test_malformed_spec_names_file_and_field(extra: str, needle: str) -> None:
    with pytest.raises(ConfigurationError) as err:
        parse_spec(MINIMAL + extra, "data/x.toml")
    assert "data/x.toml" in str(err.value)
    assert needle in str(err.value)


def test_not_toml() -> None:
    with pytest.raises(ConfigurationError, match="not valid TOML"):
        parse_spec("= nope", "data/x.toml")
