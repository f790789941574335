"""Exercise figures in the web app: the SVG route, the CSS hook, and the plan pages (issue 8)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from importlib import resources

from fastapi.testclient import TestClient

from hipback.figures.style import ANIMATION_CSS
from hipback.protocol.catalog import load_catalog

from .test_plan_pages import _plan


def test_figure_route_serves_svg(client: TestClient) -> None:
    r = client.get("/figures/bridge.svg")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(r.text)
    assert root.get("class") == "hb-figure"
    animated = client.get("/figures/bridge.svg?animate=1").text
    assert 'class="hb-figure hb-animate"' in animated


def test_unknown_figure_is_404(client: TestClient) -> None:
    assert client.get("/figures/no_such_exercise.svg").status_code == 404


def test_figures_are_not_in_the_api_schema(client: TestClient) -> None:
    assert "/figures/" not in client.get("/openapi.json").text


def test_stylesheet_carries_the_same_animation_css() -> None:
    css = (resources.files("hipback.web") / "static" / "hipback.css").read_text(encoding="utf-8")
    assert ANIMATION_CSS in css


def test_plan_view_and_home_programme_embed_figures_with_alt_text(demo_app: TestClient) -> None:
    url = _plan(demo_app)
    catalog = load_catalog()
    for page in (demo_app.get(url).text, demo_app.get(f"{url}/home-program").text):
        images = re.findall(
            r'<img class="hb-figure-\w+" src="/figures/(\w+)\.svg" alt="([^"]+)"', page
        )
        assert images, "no figures embedded"
        for catalog_id, alt in images:
            assert alt.startswith("Drawing of ")
            # alt text is built from the patient instructions (HTML-escaped in the page)
            assert catalog.get(catalog_id).patient_name.replace("'", "&#39;") in alt
            assert demo_app.get(f"/figures/{catalog_id}.svg").status_code == 200
