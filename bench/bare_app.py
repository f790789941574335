"""The peer for bench/web.py: a bare FastAPI endpoint served the same way (uvicorn, 2 workers)."""

from __future__ import annotations

from fastapi import FastAPI


def create_app() -> FastAPI:
    app = FastAPI()

    @app.get("/ping")
    def ping() -> dict[str, bool]:
        return {"ok": True}

    return app
