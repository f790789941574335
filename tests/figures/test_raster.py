"""Rasterise every figure with Debian's Chromium and check it is not blank (issue 8).

One headless screenshot of a grid page holding all figures as <img> (so each is drawn exactly
as the web app draws it); each grid cell must show body, target colour and arrow pixels.
Skips when /usr/bin/chromium or Pillow is missing.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from hipback.figures import render_figure
from hipback.figures.poses import drawn_ids

CHROMIUM = Path("/usr/bin/chromium")
CELL_W, CELL_H, COLUMNS = 420, 180, 5


def _screenshot(tmp_path: Path, ids: list[str]) -> Path:
    cells = []
    for n, catalog_id in enumerate(ids):
        (tmp_path / f"{catalog_id}.svg").write_text(render_figure(catalog_id), encoding="utf-8")
        left, top = (n % COLUMNS) * CELL_W, (n // COLUMNS) * CELL_H
        cells.append(
            f'<img src="{catalog_id}.svg" style="position:absolute;left:{left}px;top:{top}px;'
            f'width:{CELL_W}px;height:{CELL_H}px;object-fit:contain">'
        )
    page = tmp_path / "grid.html"
    page.write_text(f"<html><body style='margin:0'>{''.join(cells)}</body></html>")
    shot = tmp_path / "grid.png"
    rows = -(-len(ids) // COLUMNS)
    subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--screenshot={shot}", f"--window-size={COLUMNS * CELL_W},{rows * CELL_H}",
         page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return shot


def test_every_figure_rasterises_to_a_non_blank_image(tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} not installed (make browser-deps installs it)")
        pytest.skip(f"{CHROMIUM} not installed")
    image_mod = pytest.importorskip("PIL.Image")
    ids = drawn_ids()
    image = image_mod.open(_screenshot(tmp_path, ids)).convert("RGB")
    for n, catalog_id in enumerate(ids):
        left, top = (n % COLUMNS) * CELL_W, (n // COLUMNS) * CELL_H
        cell = image.crop((left, top, left + CELL_W, top + CELL_H))
        raw = cell.tobytes()
        pixels = list(zip(raw[0::3], raw[1::3], raw[2::3], strict=True))
        inked = sum(1 for r, g, b in pixels if r + g + b < 600)
        # highlight #d9480f = (217, 72, 15); arrow #0b3d91 = (11, 61, 145); allow anti-aliasing
        orange = sum(1 for r, g, b in pixels if r > 170 and 40 < g < 120 and b < 70)
        blue = sum(1 for r, g, b in pixels if r < 60 and 30 < g < 100 and b > 110)
        assert inked > 0.03 * len(pixels), (catalog_id, inked)
        assert orange > 10, (catalog_id, "target colour missing", orange)
        assert blue > 10, (catalog_id, "arrow missing", blue)
