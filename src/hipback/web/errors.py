"""Map the HipbackError tree to HTTP once: JSON for /api, a page otherwise. Never a bare 500."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from hipback.errors import (
    Conflict,
    HipbackError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    Problem,
)
from hipback.web.deps import LoginRequired
from hipback.web.templating import render

log = logging.getLogger("hipback.web")

STATUS = {InvalidInput: 422, NotFound: 404, Conflict: 409, PermissionDenied: 403}


def status_for(exc: HipbackError) -> int:
    for cls, status in STATUS.items():
        if isinstance(exc, cls):
            return status
    return 400


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    )


def _problems(exc: HipbackError) -> list[dict[str, object]]:
    if isinstance(exc, InvalidInput):
        return [p.as_dict() for p in exc.problems]
    return []


def respond(
    request: Request, status: int, code: str, message: str, problems: list[dict[str, object]]
) -> Response:
    if _wants_json(request):
        return JSONResponse(
            {"error": code, "message": message, "problems": problems}, status_code=status
        )
    return render(
        request, "error.html", {"status": status, "message": message, "problems": problems}, status
    )


def install(app: FastAPI) -> None:
    @app.exception_handler(HipbackError)
    async def _hipback(request: Request, exc: HipbackError) -> Response:
        if isinstance(exc, LoginRequired):
            if _wants_json(request):
                return JSONResponse(
                    {"error": exc.code, "message": str(exc), "problems": []}, status_code=401
                )
            target = quote(str(request.url.path), safe="/")
            return RedirectResponse(f"/login?next={target}", status_code=303)
        return respond(request, status_for(exc), exc.code, str(exc), _problems(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            Problem(
                ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body",
                err.get("input"),
                str(err.get("msg", "")),
            ).as_dict()
            for err in exc.errors()
        ]
        return respond(request, 422, "invalid_input", "invalid request", problems)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        return respond(request, exc.status_code, "http_error", str(exc.detail), [])

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        if _wants_json(request):
            return JSONResponse(
                {"error": "internal", "message": "unexpected error", "problems": []},
                status_code=500,
            )
        return HTMLResponse("<h1>Something went wrong</h1>", status_code=500)
