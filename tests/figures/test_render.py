"""Every figure is a clean, deterministic SVG that parses, has alt text and stays in bounds."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from hipback.errors import NotFound
from hipback.figures import alt_text, render_figure
from hipback.figures.poses import drawn_ids
from hipback.figures.style import ANIMATION_CSS, ARROW, HIGHLIGHT
from hipback.protocol.catalog import load_catalog

NS = "{http://www.w3.org/2000/svg}"
IDS = drawn_ids()
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _extent(el: ET.Element) -> list[tuple[float, float, float]]:
    """(x, y, half stroke width) of every coordinate an element draws."""
    half = float(el.get("stroke-width", "0")) / 2 if el.get("stroke", "none") != "none" else 0.0
    tag = el.tag.removeprefix(NS)
    if tag == "path":
        values = [float(v) for v in NUMBER.findall(el.get("d", ""))]
        return [(x, y, half) for x, y in zip(values[::2], values[1::2], strict=True)]
    if tag == "circle":
        cx, cy, r = (float(el.get(k, "0")) for k in ("cx", "cy", "r"))
        return [(cx - r, cy - r, half), (cx + r, cy + r, half)]
    if tag == "line":
        return [(float(el.get("x1", "0")), float(el.get("y1", "0")), half),
                (float(el.get("x2", "0")), float(el.get("y2", "0")), half)]  # fmt: skip
    if tag == "rect":
        x, y, w, h = (float(el.get(k, "0")) for k in ("x", "y", "width", "height"))
        return [(x, y, half), (x + w, y + h, half)]
    if tag == "text":
        return [(float(el.get("x", "0")), float(el.get("y", "0")), 0.0)]
    return []


@pytest.mark.parametrize("catalog_id", IDS)
def test_svg_parses_has_alt_text_and_stays_in_its_viewbox(catalog_id: str) -> None:
    item = load_catalog().get(catalog_id)
    svg = render_figure(catalog_id)
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert title is not None and title.text == item.patient_name
    assert desc is not None and desc.text is not None
    assert all(step in desc.text for step in item.instructions)
    _, _, width, height = (float(v) for v in root.get("viewBox", "").split())
    drawn = [pt for el in root.iter() for pt in _extent(el)]
    assert len(drawn) > 50  # not blank: a body alone is 23 parts
    for x, y, half in drawn:
        assert x - half >= -0.5 and x + half <= width + 0.5, (catalog_id, x, half, width)
        assert y - half >= -0.5 and y + half <= height + 0.5, (catalog_id, y, half, height)
    assert HIGHLIGHT in svg and ARROW in svg
    assert 'class="hb-pose hb-pose-start"' in svg and 'class="hb-pose hb-pose-end"' in svg


def test_rendering_is_deterministic() -> None:
    assert render_figure("bridge") == render_figure("bridge")


def test_no_script_and_no_external_references() -> None:
    svg = render_figure("hip_lateral_glide")
    assert "<script" not in svg and "href" not in svg


def test_animated_variant_respects_reduced_motion() -> None:
    svg = render_figure("bridge", animate=True)
    ET.fromstring(svg)
    assert 'class="hb-figure hb-animate"' in svg
    assert ANIMATION_CSS in svg
    assert "@media (prefers-reduced-motion: no-preference)" in ANIMATION_CSS
    assert "<style>" not in render_figure("bridge")
    for hook in ("hb-pose-end", "hb-ghost", "hb-arrow"):  # every animated class is drawn
        assert f".hb-figure.hb-animate .{hook}" in ANIMATION_CSS and hook in svg


def test_alt_text_comes_from_the_patient_instructions() -> None:
    item = load_catalog().get("clamshell")
    text = alt_text(item)
    assert text.startswith(f"Drawing of {item.patient_name}")
    assert item.instructions[1] in text


def test_unknown_id_is_not_found() -> None:
    with pytest.raises(NotFound):
        render_figure("no_such_exercise")
