"""Handout illustrations come from ``hipback.figures`` when it offers them, else the slot stays
empty; a missing figure or package never breaks a handout."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator

import pytest

from hipback.errors import NotFound
from hipback.services import figures_bridge


@pytest.fixture(autouse=True)
def _fresh_provider() -> Iterator[None]:
    figures_bridge._provider.cache_clear()
    yield
    figures_bridge._provider.cache_clear()


def _fake(monkeypatch: pytest.MonkeyPatch, **functions: object) -> None:
    module = types.ModuleType("hipback.figures")
    for name, fn in functions.items():
        setattr(module, name, fn)
    monkeypatch.setitem(sys.modules, "hipback.figures", module)


def test_svg_from_the_figures_package(monkeypatch: pytest.MonkeyPatch) -> None:
    def render_figure(catalog_id: str) -> str:
        if catalog_id != "bridge":
            raise NotFound(f"no figure for {catalog_id!r}")
        return '<?xml version="1.0"?>\n<svg viewBox="0 0 1 1"><title>bridge</title></svg>'

    _fake(monkeypatch, render_figure=render_figure)
    assert figures_bridge.figure_svg("bridge") == (
        '<svg viewBox="0 0 1 1"><title>bridge</title></svg>'
    )
    assert figures_bridge.figure_svg("clamshell") is None


def test_package_without_a_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake(monkeypatch)
    assert figures_bridge.figure_svg("bridge") is None


def test_package_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "hipback.figures", None)  # import raises ImportError
    assert figures_bridge.figure_svg("bridge") is None
