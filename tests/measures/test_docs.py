"""docs/measures.md is generated from the spec files and must be current."""

from __future__ import annotations

from pathlib import Path

from hipback.measures import ids
from hipback.measures.docs import render

DOC = Path(__file__).resolve().parents[2] / "docs" / "measures.md"


def test_measures_doc_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), "run `make docs` to regenerate"


def test_every_instrument_has_a_section() -> None:
    text = render()
    for instrument in ids():
        assert f"## `{instrument}` —" in text
