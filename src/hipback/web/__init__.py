"""The web app (FastAPI + Jinja2 + HTMX): thin routes over the domain and services."""

from hipback.web.app import create_app

__all__ = ["create_app"]
