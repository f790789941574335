"""argon2id passwords, sign-in sessions, lockout, password policy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from hipback.clinic.access import Actor
from hipback.clinic.records import Role
from hipback.core.clock import FixedClock
from hipback.db.uow import UnitOfWork
from hipback.errors import InvalidInput, PermissionDenied
from hipback.services import auth

from .conftest import ADMIN

UowFactory = Callable[[Actor], UnitOfWork]
GOOD = "correct horse battery"


def _user(uow: UowFactory, name: str = "tina", role: str = "therapist") -> int:
    with uow(ADMIN) as u:
        uid = auth.create_user(u, username=name, display_name="Tina", role=role, password=GOOD)
        u.commit()
        return uid


def test_hash_is_argon2id() -> None:
    assert auth.hash_password(GOOD).startswith("$argon2id$")


def test_sign_in_and_resolve(uow: UowFactory) -> None:
    _user(uow)
    with uow(ADMIN) as u:
        signed = auth.sign_in(u, "tina", GOOD)
    assert signed.actor.role is Role.THERAPIST
    with uow(ADMIN) as u:
        found = auth.resolve_session(u, signed.token)
    assert found is not None
    assert found[0].username == "tina"
    assert found[1] == signed.csrf_token
    with uow(ADMIN) as u:
        auth.sign_out(u, signed.token)
    with uow(ADMIN) as u:
        assert auth.resolve_session(u, signed.token) is None


def test_session_expires(uow: UowFactory, clock: FixedClock) -> None:
    _user(uow)
    with uow(ADMIN) as u:
        signed = auth.sign_in(u, "tina", GOOD)
    clock.at += auth.SESSION_LIFETIME + timedelta(seconds=1)
    with uow(ADMIN) as u:
        assert auth.resolve_session(u, signed.token) is None


def test_wrong_password_and_unknown_user_look_the_same(uow: UowFactory) -> None:
    _user(uow)
    messages = []
    for name, pw in (("tina", "wrong password!!"), ("nobody", GOOD)):
        with uow(ADMIN) as u, pytest.raises(PermissionDenied) as err:
            auth.sign_in(u, name, pw)
        messages.append(str(err.value))
    assert messages[0] == messages[1]


def test_lockout_after_repeated_failures(uow: UowFactory) -> None:
    _user(uow)
    for _ in range(auth.MAX_FAILED_LOGINS):
        with uow(ADMIN) as u, pytest.raises(PermissionDenied):
            auth.sign_in(u, "tina", "not the password")
    with uow(ADMIN) as u, pytest.raises(PermissionDenied, match="locked"):
        auth.sign_in(u, "tina", GOOD)


@pytest.mark.parametrize(
    ("username", "password", "field"),
    [
        ("tina", "short", "password"),
        ("tina", "tina-is-my-password", "password"),
        ("bad name!", GOOD, "username"),
    ],
)
def test_policy(uow: UowFactory, username: str, password: str, field: str) -> None:
    with uow(ADMIN) as u, pytest.raises(InvalidInput) as err:
        auth.create_user(
            u, username=username, display_name="x", role="therapist", password=password
        )
    assert err.value.problems[0].field == field


def test_only_admin_creates_users(uow: UowFactory) -> None:
    therapist = Actor("t", Role.THERAPIST)
    with uow(therapist) as u, pytest.raises(PermissionDenied):
        auth.create_user(u, username="x", display_name="x", role="therapist", password=GOOD)
