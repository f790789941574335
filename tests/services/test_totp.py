"""Optional TOTP second factor (RFC 6238) for staff."""

from __future__ import annotations

from collections.abc import Callable

import pyotp
import pytest

from hipback.clinic.access import Actor
from hipback.clinic.records import Role
from hipback.db.uow import UnitOfWork
from hipback.errors import InvalidInput, PermissionDenied
from hipback.services import auth

from .conftest import ADMIN

UowFactory = Callable[[Actor], UnitOfWork]
GOOD = "correct horse battery"


def test_totp_required_once_confirmed(uow: UowFactory) -> None:
    with uow(ADMIN) as u:
        uid = auth.create_user(
            u, username="tina", display_name="T", role="therapist", password=GOOD
        )
        u.commit()
    me = Actor("tina", Role.THERAPIST, user_id=uid)
    with uow(me) as u:
        setup = auth.start_totp(u)
        with pytest.raises(InvalidInput, match="code"):
            auth.confirm_totp(
                u,
                setup.secret,
                "000000" if pyotp.TOTP(setup.secret).now() != "000000" else "111111",
            )
    with uow(me) as u:
        auth.confirm_totp(u, setup.secret, pyotp.TOTP(setup.secret).now())
    with uow(ADMIN) as u, pytest.raises(PermissionDenied, match="6-digit code"):
        auth.sign_in(u, "tina", GOOD)
    with uow(ADMIN) as u:
        signed = auth.sign_in(u, "tina", GOOD, pyotp.TOTP(setup.secret).now())
    assert signed.actor.user_id == uid
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
