"""docs/protocol.md is generated from the data files and must be up to date."""

from __future__ import annotations

from pathlib import Path

from hipback.protocol.catalog import load_catalog
from hipback.protocol.docs import render
from hipback.protocol.rules import load_rules

DOC = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"


def test_protocol_doc_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/protocol.md is stale: run `python -m hipback.protocol.docs > docs/protocol.md`"
    )


def test_doc_lists_every_intervention_criterion_and_rule() -> None:
    text = render()
    assert all(f"`{i.id}`" in text for i in load_catalog())
    rules = load_rules()
    assert all(f"`{c.id}`" in text for c in rules.criteria)
    assert all(f"**{r.id}**" in text for r in rules.rules)
    assert "Not the MASH protocol" in text


def test_doc_describes_progression_irritability_time_education_and_calendar() -> None:
    text = render()
    for heading in ("## Progression", "### Planned progression",
                    "### Documented response (planned vs adjusted)",
                    "## Severity and irritability", "## Session time budget", "## Education",
                    "## Schedule and calendar", "### Age- and sex-specific norms"):  # fmt: skip
        assert f"\n{heading}\n" in text, heading
    assert "HIPBACK_SESSION_MINUTES" in text
    assert "--no-holidays" in text
    assert "public holidays" in text
    assert "| hip_strengthening | 5 | 4 sessions |" in text
    assert "Jung H, Yamasaki M" in text
