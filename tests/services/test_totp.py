"""Optional TOTP second factor (RFC 6238) for staff."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pyotp
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


def test_totp_required_once_confirmed(uow: UowFactory, clock: FixedClock) -> None:
    with uow(ADMIN) as u:
        uid = auth.create_user(
            u, username="tina", display_name="T", role="therapist", password=GOOD
        )
        u.commit()
    me = Actor("tina", Role.THERAPIST, user_id=uid)
    with uow(me) as u:
        setup = auth.start_totp(u)
        totp = pyotp.TOTP(setup.secret)
        with pytest.raises(InvalidInput, match="code"):
            auth.confirm_totp(
                u, setup.secret, "000000" if totp.at(clock.now()) != "000000" else "111111"
            )
    with uow(me) as u:
        auth.confirm_totp(u, setup.secret, totp.at(clock.now()))
    # the confirming code cannot sign in; the password without a code gets the generic message
    for code in (totp.at(clock.now()), None):
        with uow(ADMIN) as u, pytest.raises(PermissionDenied) as err:
            auth.sign_in(u, "tina", GOOD, code)
        assert str(err.value) == auth.SIGN_IN_FAILED
    clock.at += timedelta(seconds=30)
    code = totp.at(clock.now())
    # a wrong password with the right code: the same message, and the code is not spent
    with uow(ADMIN) as u, pytest.raises(PermissionDenied) as err:
        auth.sign_in(u, "tina", "wrong password!!", code)
    assert str(err.value) == auth.SIGN_IN_FAILED
    with uow(ADMIN) as u:
        signed = auth.sign_in(u, "tina", GOOD, code)
    assert signed.actor.user_id == uid
    # replay of the same code within its window is refused
    with uow(ADMIN) as u, pytest.raises(PermissionDenied):
        auth.sign_in(u, "tina", GOOD, code)
    with uow(ADMIN) as u:
        auth.disable_totp(u, uid)
    with uow(ADMIN) as u:
        assert auth.sign_in(u, "tina", GOOD).actor.user_id == uid


def test_patients_are_not_offered_totp(uow: UowFactory) -> None:
    with (
        uow(Actor("p", Role.PATIENT, user_id=5, patient_id=1)) as u,
        pytest.raises(PermissionDenied),
    ):
        auth.start_totp(u)
