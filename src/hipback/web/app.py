"""``create_app(settings)``: builds the FastAPI app; nothing is created at import time."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from hipback import __version__
from hipback.config import Settings, load_settings
from hipback.web import errors
from hipback.web.routes import measures
from hipback.web.templating import make_templates


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
    app = FastAPI(
        title="hipback",
        version=__version__,
        description="Outcome measures, care plans, clinic records and trial mode for hip-focused "
        "physical therapy in older adults with chronic low back pain.",
    )
    app.state.settings = settings
    app.state.templates = make_templates(settings)
    static = resources.files("hipback.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    errors.install(app)
    app.include_router(measures.router)
    app.include_router(measures.api)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    return app
