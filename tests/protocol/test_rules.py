"""The tailoring rule file: schema and cross-references to findings and the catalog."""

from __future__ import annotations

import pytest

from hipback.errors import ConfigurationError
from hipback.protocol.catalog import load_catalog
from hipback.protocol.rules import load_rules, parse_rules

HEAD = """
schema_version = 1
version = "t"
limits_basis = { source = "hipback default", citation = "c", confidence = "unverified" }
home_limits = { hip = 8 }
[limits.hip]
hip_strengthening = 5
"""
CRIT = """
[[criteria]]
id = "weak"
finding = "hip.ir_bw"
op = "<"
value = 0.26
source = "MASH"
citation = "c"
confidence = "uncertain"
"""
RULE = """
[[rules]]
id = "H-X"
arm = "hip"
title = "t"
when = "any"
criteria = ["weak"]
interventions = ["seated_hip_ir_band"]
basis = { source = "MASH", citation = "c", confidence = "uncertain" }
"""


def test_shipped_rules_load_and_cover_both_arms() -> None:
    rules = load_rules()
    assert {r.arm for r in rules.rules} == {"hip", "spine", "both"}
    assert len(rules.rules) >= 20


def test_minimal_file_parses() -> None:
    parsed = parse_rules(HEAD + CRIT + RULE, load_catalog())
    assert parsed.criterion("weak").threshold() == "< 0.26 × body weight"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace('"hip.ir_bw"', '"hip.nope"'), "unknown finding"),
        (lambda t: t.replace("value = 0.26", 'value = "low"'), "needs a number"),
        (lambda t: t.replace('["seated_hip_ir_band"]', '["moonwalk"]'), "unknown intervention"),
        (lambda t: t.replace('arm = "hip"', 'arm = "spine"'), "not in the spine arm"),
        (lambda t: t.replace('when = "any"', 'when = "always"'), "'always' rules take no"),
        (lambda t: t.replace('criteria = ["weak"]', 'criteria = ["strong"]'), "unknown criterion"),
        (lambda t: t + "colour = 3\n", "Extra inputs"),
        (lambda t: t + CRIT.replace('"weak"', '"spare"'), "used by no rule"),
    ],
)
def test_bad_rule_files_are_rejected_with_the_reason(edit: object, message: str) -> None:
    text = edit(HEAD + CRIT + RULE)  # type: ignore[operator]
    with pytest.raises(ConfigurationError, match=message):
        parse_rules(text, load_catalog())
