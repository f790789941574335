"""Jinja2 environment shared by every page."""

from __future__ import annotations

from importlib import resources
from typing import Any, cast

from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from hipback import __version__
from hipback.config import Settings
from hipback.figures import figure_alt
from hipback.web.deps import demo_data


def make_templates(settings: Settings) -> Jinja2Templates:
    """Autoescaping is on for every template and include, whatever its file extension;
    templates ship with the package, so there is no per-render modification-time check."""
    directory = str(resources.files("hipback.web") / "templates")
    env = Environment(loader=FileSystemLoader(directory), autoescape=True, auto_reload=False)
    templates = Jinja2Templates(env=env)
    templates.env.globals.update(version=__version__, figure_alt=figure_alt)
    return templates


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    templates = cast(Jinja2Templates, request.app.state.templates)
    context = {"demo": demo_data(request), **context}
    return templates.TemplateResponse(
        request, name, context, status_code=status_code, headers=headers
    )
