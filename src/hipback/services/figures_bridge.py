"""Optional exercise illustrations for handouts, from ``hipback.figures`` when it offers them.

The illustration package is developed separately; a handout must print with or without it. When
``hipback.figures`` exposes one of :data:`PROVIDERS` (a function taking a catalog id and
returning SVG text), its drawing fills the handout's figure slot; otherwise the slot stays empty.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from functools import cache

from hipback.errors import HipbackError

PROVIDERS = ("render_figure", "exercise_svg", "svg_for", "figure_svg")
log = logging.getLogger(__name__)


@cache
def _provider() -> Callable[[str], object] | None:
    try:
        module = importlib.import_module("hipback.figures")
    except ImportError:
        return None
    for name in PROVIDERS:
        found = getattr(module, name, None)
        if callable(found):
            return found  # type: ignore[no-any-return]
    return None


def figure_svg(exercise_id: str) -> str | None:
    """SVG for catalog entry ``exercise_id``, or None when no illustration exists."""
    provider = _provider()
    if provider is None:
        return None
    try:
        drawn = provider(exercise_id)
    except (HipbackError, KeyError, LookupError, ValueError) as exc:
        log.info("no illustration for %s: %s", exercise_id, exc)
        return None
    if isinstance(drawn, str) and "<svg" in drawn:
        return drawn[drawn.index("<svg") :]
    return None
