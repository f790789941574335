"""Helpers around poppler-utils (pdftoppm, pdfinfo, pdfimages, pdftotext) for PDF checks."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} not installed (make browser-deps installs poppler-utils)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def info(pdf: Path) -> dict[str, str]:
    out = subprocess.run([need("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True)
    return {
        k.strip(): v.strip()
        for k, _, v in (line.partition(":") for line in out.stdout.splitlines())
    }


def text(pdf: Path) -> str:
    out = subprocess.run(
        [need("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return out.stdout


def raster_images(pdf: Path) -> int:
    out = subprocess.run(
        [need("pdfimages"), "-list", str(pdf)], capture_output=True, text=True, check=True
    )
    return max(0, len(out.stdout.splitlines()) - 2)  # two header lines


def pages_as_png(pdf: Path, dpi: int = 40) -> list[Path]:
    prefix = pdf.with_suffix("")
    subprocess.run([need("pdftoppm"), "-r", str(dpi), "-png", str(pdf), str(prefix)], check=True)
    return sorted(pdf.parent.glob(prefix.name + "-*.png"))


def ink_share(png: Path) -> float:
    """Share of pixels that are not near-white: 0 for a blank page."""
    with Image.open(png) as im:
        grey = im.convert("L")
        histogram = grey.histogram()
    return sum(histogram[:240]) / sum(histogram)


def assert_pages_not_blank(pdf: Path, expected_pages: int) -> None:
    pngs = pages_as_png(pdf)
    assert len(pngs) == expected_pages
    for png in pngs:
        assert ink_share(png) > 0.005, f"{png.name} looks blank"


def attachments(pdf: Path) -> list[str]:
    """Names of the files embedded in ``pdf`` (``pdfdetach -list``)."""
    out = subprocess.run(
        [need("pdfdetach"), "-list", str(pdf)], capture_output=True, text=True, check=True
    )
    lines = out.stdout.splitlines()
    return [line.partition(": ")[2] for line in lines[1:]]
