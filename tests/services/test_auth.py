"""argon2id passwords, sign-in sessions, throttling (no hard lock), password policy."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import timedelta

import pytest
import sqlalchemy as sa

from hipback.clinic.access import Actor
from hipback.clinic.records import Role
from hipback.core.clock import FixedClock
from hipback.db.tables import UserRow
from hipback.db.uow import UnitOfWork
from hipback.errors import InvalidInput, PermissionDenied
from hipback.services import auth, throttle
from hipback.services.throttle import ThrottlePolicy

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


def test_no_hard_lock_throttle_per_account_and_client(uow: UowFactory, clock: FixedClock) -> None:
    """An attacker who knows the username slows only their own client; the clinician signs
    in from elsewhere at once; back-off doubles after 5 free failures up to the cool-down."""
    uid = _user(uow)
    policy = ThrottlePolicy(free_per_account=5, free_per_address=20, max_wait_s=300)
    waits = []
    for _ in range(14):
        with uow(ADMIN) as u:
            waits.append(throttle.seconds_to_wait(u, policy, "tina", "10.0.0.66"))
        clock.at += timedelta(seconds=waits[-1])  # the attacker waits exactly as told
        with uow(ADMIN) as u, pytest.raises(auth.SignInRefused) as refused:
            auth.sign_in(u, "tina", "not the password", address="10.0.0.66", policy=policy)
        assert refused.value.retry_after == 0  # a real check, counted
    # free for 5 failures, then 1, 2, 4, ... seconds, capped at the 300-s cool-down
    assert waits == [0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256]
    with uow(ADMIN) as u, pytest.raises(auth.SignInRefused) as throttled:
        auth.sign_in(u, "tina", GOOD, address="10.0.0.66", policy=policy)
    assert throttled.value.retry_after == 300
    # the clinician, at her own computer, is not affected
    with uow(ADMIN) as u:
        assert auth.sign_in(u, "tina", GOOD, address="10.0.0.7", policy=policy).actor.user_id
    # the administrator's unlock clears every client's failures for the account
    with uow(ADMIN) as u:
        auth.unlock_account(u, uid)
    with uow(ADMIN) as u:
        assert throttle.seconds_to_wait(u, policy, "tina", "10.0.0.66") == 0
        assert auth.sign_in(u, "tina", GOOD, address="10.0.0.66", policy=policy).token


def test_address_throttle_stops_spraying(uow: UowFactory) -> None:
    _user(uow)
    policy = ThrottlePolicy(free_per_account=5, free_per_address=8, max_wait_s=300)
    for n in range(8):  # one guess each at 8 accounts
        with uow(ADMIN) as u, pytest.raises(auth.SignInRefused):
            auth.sign_in(u, f"user{n}", "Winter2026!!", address="10.0.0.66", policy=policy)
    with uow(ADMIN) as u, pytest.raises(auth.SignInRefused) as err:
        auth.sign_in(u, "tina", GOOD, address="10.0.0.66", policy=policy)
    assert err.value.retry_after == 1


def test_unlock_needs_an_administrator(uow: UowFactory) -> None:
    uid = _user(uow)
    with uow(Actor("t", Role.THERAPIST)) as u, pytest.raises(PermissionDenied):
        auth.unlock_account(u, uid)


def test_one_message_for_every_failure(uow: UowFactory) -> None:
    _user(uow)
    _user(uow, "gone")
    with uow(ADMIN) as u:
        u.session.execute(sa.update(UserRow).where(UserRow.username == "gone").values(active=False))
        u.commit()
    messages = set()
    for name, pw in (("tina", "wrong password!!"), ("nobody", GOOD), ("gone", GOOD)):
        with uow(ADMIN) as u, pytest.raises(PermissionDenied) as err:
            auth.sign_in(u, name, pw)
        messages.add(str(err.value))
    assert messages == {auth.SIGN_IN_FAILED}


@pytest.mark.parametrize(
    ("username", "password", "field"),
    [
        ("tina", "short", "password"),
        ("tina", "tina-is-my-password", "password"),
        ("tina", "aaaaaaaaaaaa", "password"),
        ("tina", "password1234", "password"),
        ("tina", " " * 12, "password"),
        ("tina", "qwertyuiopas", "password"),
        ("tina", "123456789012", "password"),
        ("tina", "x" * 129, "password"),
        ("bad name!", GOOD, "username"),
    ],
)
def test_policy(uow: UowFactory, username: str, password: str, field: str) -> None:
    with uow(ADMIN) as u, pytest.raises(InvalidInput) as err:
        auth.create_user(
            u, username=username, display_name="x", role="therapist", password=password
        )
    assert err.value.problems[0].field == field
    assert password not in str(err.value) or password == "short"


@pytest.mark.parametrize("password", [GOOD, "mary had 3 little lambs", "Ünïcødé pässwörd 2026"])
def test_policy_accepts_long_passphrases(uow: UowFactory, password: str) -> None:
    with uow(ADMIN) as u:
        auth.create_user(u, username="tina", display_name="x", role="therapist", password=password)
        u.commit()
    with uow(ADMIN) as u:
        # NFKC: the same password typed with composed or decomposed accents signs in
        assert auth.sign_in(u, "tina", unicodedata.normalize("NFD", password)).token


def test_only_admin_creates_users(uow: UowFactory) -> None:
    therapist = Actor("t", Role.THERAPIST)
    with uow(therapist) as u, pytest.raises(PermissionDenied):
        auth.create_user(u, username="x", display_name="x", role="therapist", password=GOOD)
