"""Sign in and out. In demo mode the sign-in page lists one synthetic account per role."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from hipback.errors import InvalidInput
from hipback.services import auth
from hipback.services.demo import DEMO_ACCOUNTS
from hipback.web.deps import (
    COOKIE,
    AnonymousUow,
    Csrf,
    CurrentUser,
    OptionalUser,
    Uow,
    demo_data,
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


#: the pre-session token that ties a sign-in form to the browser that loaded it (login CSRF)
LOGIN_COOKIE = "hipback_login"


def _login_page(
    request: Request,
    next_url: str,
    *,
    username: str = "",
    error: str | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    token = secrets.token_urlsafe(32)
    demo = DEMO_ACCOUNTS if demo_data(request) else ()
    response = render(
        request,
        "auth/login.html",
        {
            "next": next_url,
            "demo_accounts": demo,
            "username": username,
            "error": error,
            "login_token": token,
        },
        status,
        headers=headers,
    )
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        max_age=3600,
        path="/login",
    )
    return response


@router.get("/login")
def login_page(request: Request, user: OptionalUser, next: str | None = None) -> Response:
    if user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return _login_page(request, next or "/")


@router.post("/login")
def login(
    request: Request,
    uow: AnonymousUow,
    username: Annotated[str, Form(max_length=80)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
    code: Annotated[str, Form(max_length=12)] = "",
    login_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not secrets.compare_digest(expected, login_token):
        return _login_page(
            request,
            next,
            username=username,
            error="This sign-in form has expired. Please enter your details again.",
            status=403,
        )
    address = request.client.host if request.client else "unknown"
    try:
        signed = auth.sign_in(
            uow,
            username,
            password,
            code or None,
            address=address,
            policy=request.app.state.throttle,
            hasher=request.app.state.password_hasher,
        )
    except auth.SignInRefused as exc:
        wait = int(exc.retry_after + 0.999)
        return _login_page(
            request,
            next,
            username=username,
            error=str(exc),
            status=429 if wait > 0 else 401,
            headers={"Retry-After": str(wait)} if wait > 0 else None,
        )
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
    response.delete_cookie(LOGIN_COOKIE, path="/login")
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
