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


def _section(text: str, instrument: str) -> str:
    start = text.index(f"## `{instrument}` —")
    end = text.find("\n## `", start + 1)
    return text[start : end if end > 0 else None]


def test_reverse_marks_are_printed_once_and_only_where_items_run_against_the_rest() -> None:
    """RTF ISS: the 4 physical-function items run against the pain items (reversed, once
    each). HOOS Pain: all 10 items run the same way (0 none … 4 extreme); the whole score is
    turned round, but no single item is reverse-scored."""
    text = render()
    assert "(reversed) (reversed)" not in text
    rtf = _section(text, "rtf_iss")
    assert rtf.count("(reversed)") == 4 + rtf.split("| # |")[0].count("(reversed)")
    hoos = _section(text, "hoos_pain")
    table = hoos.split("| # | item (topic only) | range |")[1]
    assert "revers" not in table.split("\n\n")[0]
    assert "a higher answer lowers the headline score); no item is reverse-scored" in hoos
    assert "| 1 | straightening the hip fully | 0-4 |" in hoos
    assert "| 2 | bending the hip fully | 0-4 |" in hoos


def test_band_edges_do_not_overlap() -> None:
    """MASH hip weakness: < 0.26 weak, ≥ 0.26 not weak (the later band takes 0.26 itself)."""
    hip = _section(render(), "hip_strength")
    assert "| all | < 0.26 | weak:" in hip
    assert "| all | ≥ 0.26 | not weak:" in hip
    assert "≤ 0.26" not in hip
