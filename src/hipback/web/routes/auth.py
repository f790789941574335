"""Sign in and out. In demo mode the sign-in page lists one synthetic account per role."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from hipback.errors import InvalidInput, PermissionDenied
from hipback.services import auth
from hipback.services.demo import DEMO_ACCOUNTS
from hipback.web.deps import (
    COOKIE,
    AnonymousUow,
    Csrf,
    CurrentUser,
    OptionalUser,
    Uow,
    landing_page,
)
from hipback.web.forms import field_errors
from hipback.web.templating import render

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths, so the sign-in page cannot redirect elsewhere."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


@router.get("/login")
def login_page(request: Request, user: OptionalUser, next: str | None = None) -> Response:
    if user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    demo = DEMO_ACCOUNTS if request.app.state.settings.demo else ()
    return render(
        request, "auth/login.html", {"next": next or "/", "demo_accounts": demo, "error": None}
    )


@router.post("/login")
def login(
    request: Request,
    uow: AnonymousUow,
    username: Annotated[str, Form(max_length=80)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
    code: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    name = username.strip().lower()
    address = request.client.host if request.client else "unknown"
    keys = (
        (request.app.state.login_limiter, f"user:{name}"),
        (request.app.state.address_limiter, f"addr:{address}"),
    )
    wait = max(limiter.blocked_for(key) for limiter, key in keys)
    if wait > 0:
        return render(
            request,
            "auth/login.html",
            {
                "next": next,
                "demo_accounts": (),
                "username": username,
                "error": f"Too many failed sign-ins. Try again in {int(wait) + 1} seconds.",
            },
            429,
            headers={"Retry-After": str(int(wait) + 1)},
        )
    try:
        signed = auth.sign_in(
            uow,
            username.strip(),
            password,
            code or None,
            hasher=request.app.state.password_hasher,
        )
    except PermissionDenied as exc:
        for limiter, key in keys:
            limiter.failed(key)
        demo = DEMO_ACCOUNTS if request.app.state.settings.demo else ()
        return render(
            request,
            "auth/login.html",
            {"next": next, "demo_accounts": demo, "error": str(exc), "username": username},
            401,
        )
    keys[0][0].reset(keys[0][1])
    target = _safe_next(next)
    if target == "/":
        target = landing_page(signed.actor)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        COOKIE,
        signed.token,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        max_age=int(auth.SESSION_LIFETIME.total_seconds()),
    )
    return response


@router.post("/logout", dependencies=[Csrf])
def logout(request: Request, uow: Uow) -> Response:
    token = request.cookies.get(COOKIE)
    if token:
        auth.sign_out(uow, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


@router.get("/account")
def account(request: Request, uow: Uow, user: CurrentUser) -> Response:
    return render(
        request,
        "auth/account.html",
        {"user": user, "has_totp": auth.has_totp(uow), "setup": None, "errors": {}},
    )


@router.post("/account/totp", dependencies=[Csrf])
def start_totp(request: Request, uow: Uow, user: CurrentUser) -> Response:
    setup = auth.start_totp(uow)
    return render(
        request,
        "auth/account.html",
        {"user": user, "has_totp": False, "setup": setup, "errors": {}},
    )


@router.post("/account/totp/confirm", dependencies=[Csrf])
def confirm_totp(
    request: Request,
    uow: Uow,
    user: CurrentUser,
    secret: Annotated[str, Form(max_length=64)] = "",
    code: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    try:
        auth.confirm_totp(uow, secret, code)
    except InvalidInput as exc:
        setup = auth.TotpSetup(secret, "")
        return render(
            request,
            "auth/account.html",
            {"user": user, "has_totp": False, "setup": setup, "errors": field_errors(exc)},
            422,
        )
    return RedirectResponse("/account", status_code=303)
