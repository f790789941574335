"""``create_app(settings)``: builds the FastAPI app; nothing is created at import time."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from hipback import __version__
from hipback.config import Settings, load_settings
from hipback.db.engine import make_engine
from hipback.db.uow import session_factory
from hipback.services.passwords import DEFAULT_HASHER, PasswordHasher
from hipback.services.throttle import ThrottlePolicy
from hipback.web import errors
from hipback.web.deps import database_holds_demo_data
from hipback.web.inputguard import InputGuard
from hipback.web.routes import (
    auth,
    evaluations,
    fhir,
    figures,
    measures,
    patients,
    plans,
    portal,
    reports,
    trial,
    trial_api,
)
from hipback.web.security import SecurityHeaders
from hipback.web.templating import make_templates


def create_app(
    settings: Settings | None = None,
    *,
    password_hasher: PasswordHasher = DEFAULT_HASHER,
    freeze_gc: bool = True,
) -> FastAPI:
    """The app for ``settings``; ``password_hasher`` is production argon2id unless a test
    passes a cheap one (:mod:`hipback.services.passwords`). ``freeze_gc=False`` leaves the
    process's garbage collector alone: for a process that starts many apps (the test suite),
    where the full collection before each freeze walks everything the process holds."""
    settings = settings or load_settings()
    engine = make_engine(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # a database loaded by `hipback demo` is labelled synthetic whatever HIPBACK_DEMO says
        app.state.demo_data = settings.demo or database_holds_demo_data(app.state.session_factory)
        # The objects made at start-up (measure specs, catalogs, FHIR models, templates) live
        # as long as the process. Frozen, the cyclic collector stops walking them: a full
        # collection over them took ~135 ms with every request of the worker stopped, the
        # cause of the p99 spikes in bench/web.py (docs/performance.md).
        if freeze_gc:
            gc.collect()
            gc.freeze()
        try:
            yield
        finally:
            if freeze_gc:
                gc.unfreeze()
            engine.dispose()

    app = FastAPI(
        title="hipback",
        version=__version__,
        description="Outcome measures, care plans, clinic records and trial mode for hip-focused "
        "physical therapy in older adults with chronic low back pain.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.demo_data = settings.demo
    app.state.engine = engine
    app.state.session_factory = session_factory(engine)
    app.state.password_hasher = password_hasher
    app.state.templates = make_templates(settings)
    app.state.throttle = ThrottlePolicy(
        free_per_account=settings.login_free_failures,
        free_per_address=settings.login_free_failures * 4,
        max_wait_s=settings.login_max_wait_s,
    )
    # the last added runs first: security headers wrap every answer, the input guard's too
    app.add_middleware(InputGuard)
    app.add_middleware(SecurityHeaders)
    if settings.trusted_proxies.strip():
        # client address and scheme from X-Forwarded-* only when a configured proxy sent them
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    static = resources.files("hipback.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    errors.install(app)
    for module in (
        auth,
        measures,
        patients,
        evaluations,
        plans,
        portal,
        fhir,
        reports,
        figures,
        trial,
    ):
        app.include_router(module.router)
    app.include_router(measures.api)
    app.include_router(patients.api)
    app.include_router(evaluations.api)
    app.include_router(plans.api)
    app.include_router(fhir.api)
    app.include_router(trial_api.api)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    return app
