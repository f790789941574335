"""Request-scoped dependencies: the unit of work, the signed-in actor, CSRF checks.

The only web module that touches ``hipback.db``; routes go through services.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Path, Request
from starlette.concurrency import run_in_threadpool

from hipback.clinic.access import Actor, can
from hipback.clinic.records import Role
from hipback.core.clock import Clock, SystemClock
from hipback.db.uow import UnitOfWork
from hipback.errors import HipbackError, PermissionDenied
from hipback.services import auth, installation

COOKIE = "hipback_session"
ANONYMOUS = Actor("anonymous", Role.PATIENT)


class LoginRequired(HipbackError):
    code = "login_required"


@dataclass(frozen=True)
class Current:
    actor: Actor
    csrf_token: str
    token: str


def _factory(request: Request) -> Callable[[], Any]:
    factory: Callable[[], Any] = request.app.state.session_factory
    return factory


def clock(request: Request) -> Clock:
    value: Clock = getattr(request.app.state, "clock", None) or SystemClock()
    return value


async def request_uow(request: Request) -> AsyncIterator[UnitOfWork]:
    """The request's one unit of work (one transaction, rolled back unless a service commits).

    It starts as the anonymous actor; the session cookie is checked inside it, and a route that
    declares ``Uow`` goes on in the same transaction as the signed-in actor. Opening it makes no
    database call, so it runs on the event loop; ending a transaction still open (a failed or
    read-only request) does, so that runs in the thread pool.
    """
    uow = UnitOfWork(_factory(request), ANONYMOUS, clock(request))
    uow.__enter__()
    try:
        yield uow
    finally:
        if uow.session.in_transaction():
            await run_in_threadpool(uow.__exit__, None, None, None)
        else:
            uow.__exit__(None, None, None)


def database_holds_demo_data(factory: Callable[[], Any]) -> bool:
    """Whether the database is marked as holding the synthetic demo clinic (read at start-up)."""
    with UnitOfWork(factory, ANONYMOUS, SystemClock()) as uow:
        return installation.holds_demo_data(uow)


def demo_data(request: Request) -> bool:
    """Label every page "synthetic demo data"? (settings or the database's mark)."""
    return bool(getattr(request.app.state, "demo_data", False))


def optional_user(
    request: Request, uow: Annotated[UnitOfWork, Depends(request_uow)]
) -> Current | None:
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    found = auth.resolve_session(uow, token)
    if found is None:
        return None
    return Current(found[0], found[1], token)


async def current_user(user: Annotated[Current | None, Depends(optional_user)]) -> Current:
    if user is None:
        raise LoginRequired("please sign in")
    return user


async def unit_of_work(
    uow: Annotated[UnitOfWork, Depends(request_uow)],
    user: Annotated[Current, Depends(current_user)],
) -> UnitOfWork:
    """The request's unit of work, acting as the signed-in user."""
    uow.actor = user.actor
    return uow


async def csrf_protect(request: Request, user: Annotated[Current, Depends(current_user)]) -> None:
    """State-changing requests must echo the session's CSRF token (form field or header)."""
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    if not sent or not secrets.compare_digest(sent, user.csrf_token):
        raise PermissionDenied("missing or wrong CSRF token; reload the page and try again")


CurrentUser = Annotated[Current, Depends(current_user)]
OptionalUser = Annotated[Current | None, Depends(optional_user)]
Uow = Annotated[UnitOfWork, Depends(unit_of_work)]
AnonymousUow = Annotated[UnitOfWork, Depends(request_uow)]
Csrf = Depends(csrf_protect)


def landing_page(actor: Actor) -> str:
    """Where each role starts after signing in."""
    if actor.patient_id is not None:
        return "/portal"
    if can(actor, "patient.list"):
        return "/patients"
    return "/measures"


#: a record id in a URL: 1 to 2**31 - 1 (32-bit integers on PostgreSQL)
Id = Annotated[int, Path(ge=1, le=2_147_483_647)]
#: a session number within a plan
SessionNumber = Annotated[int, Path(ge=1, le=40)]
