"""The production hasher keeps RFC 9106's argon2id parameters; a hasher passed in is used, and
a hash made with other parameters is upgraded to the production ones on the next sign-in."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from argon2 import PasswordHasher

from hipback.clinic.access import Actor
from hipback.db.tables import UserRow
from hipback.db.uow import UnitOfWork
from hipback.services import auth
from hipback.services.passwords import DEFAULT_HASHER

from .conftest import ADMIN

UowFactory = Callable[[Actor], UnitOfWork]
GOOD = "correct horse battery"
#: RFC 9106 §4, second recommended option: argon2id, t = 3, m = 2^16 KiB (64 MiB), p = 4
PRODUCTION_PREFIX = "$argon2id$v=19$m=65536,t=3,p=4$"


def _stored_hash(uow: UowFactory) -> str:
    with uow(ADMIN) as u:
        return str(u.session.scalar(sa.select(UserRow.password_hash)))


def test_default_hasher_uses_the_rfc_9106_parameters() -> None:
    encoded = DEFAULT_HASHER.hash(GOOD)
    assert encoded.startswith(PRODUCTION_PREFIX)
    assert auth.hash_password(GOOD).startswith(PRODUCTION_PREFIX)
    assert DEFAULT_HASHER.verify(encoded, GOOD)


def test_given_hasher_is_used_and_sign_in_upgrades_to_production(
    uow: UowFactory, password_hasher: PasswordHasher
) -> None:
    with uow(ADMIN) as u:
        auth.create_user(
            u,
            username="tina",
            display_name="Tina",
            role="therapist",
            password=GOOD,
            hasher=password_hasher,
        )
        u.commit()
    assert _stored_hash(uow).startswith("$argon2id$v=19$m=8,t=1,p=1$")
    with uow(ADMIN) as u:  # the same cheap hasher: verified, nothing to upgrade
        auth.sign_in(u, "tina", GOOD, hasher=password_hasher)
    assert _stored_hash(uow).startswith("$argon2id$v=19$m=8,t=1,p=1$")
    with uow(ADMIN) as u:  # production: verified, then rehashed with its parameters
        auth.sign_in(u, "tina", GOOD)
    assert _stored_hash(uow).startswith(PRODUCTION_PREFIX)
    with uow(ADMIN) as u:
        assert auth.sign_in(u, "tina", GOOD).actor.username == "tina"
