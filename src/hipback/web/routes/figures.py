"""Exercise figures: ``GET /figures/{catalog_id}.svg`` (``?animate=1`` for the cross-fade).

The drawings hold no patient data, so they need no sign-in and may be cached.
"""

from __future__ import annotations

from functools import cache

from fastapi import APIRouter
from fastapi.responses import Response

from hipback.figures import render_figure

router = APIRouter(include_in_schema=False)


@cache
def _svg(catalog_id: str, animate: bool) -> str:
    return render_figure(catalog_id, animate=animate)  # NotFound (404) is not cached


@router.get("/figures/{catalog_id}.svg")
def figure(catalog_id: str, animate: bool = False) -> Response:
    return Response(
        _svg(catalog_id, animate),
        media_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=3600"},
    )
