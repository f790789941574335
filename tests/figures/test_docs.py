"""docs/exercises.md and docs/figures/*.svg are generated and must be current."""

from __future__ import annotations

from pathlib import Path

from hipback.figures.docs import render_docs
from hipback.protocol.catalog import load_catalog

DOCS = Path(__file__).resolve().parents[2] / "docs"
STALE = "stale: run `python -m hipback.figures.docs`"


def test_contact_sheet_is_current() -> None:
    text, svgs = render_docs()
    assert (DOCS / "exercises.md").read_text(encoding="utf-8") == text, STALE
    on_disk = {p.name for p in (DOCS / "figures").glob("*.svg")}
    assert on_disk == set(svgs), STALE
    for name, svg in svgs.items():
        assert (DOCS / "figures" / name).read_text(encoding="utf-8") == svg, f"{name} {STALE}"


def test_contact_sheet_shows_every_entry() -> None:
    text, _ = render_docs()
    for item in load_catalog():
        drawn = f"](figures/{item.id}.svg)" in text
        assert drawn is not item.is_education, item.id  # talks are not drawn
    assert "not** MASH material" in text
