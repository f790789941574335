"""Users, passwords (argon2id) and server-side sign-in sessions."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2.exceptions import InvalidHashError, VerificationError

from hipback.clinic.access import Actor, require
from hipback.clinic.records import Role
from hipback.db.repositories import users as user_repo
from hipback.db.tables import UserRow, WebSessionRow
from hipback.db.uow import UnitOfWork
from hipback.errors import InvalidInput, PermissionDenied, Problem
from hipback.services.passwords import DEFAULT_HASHER, PasswordHasher

SESSION_LIFETIME = timedelta(hours=8)
MIN_PASSWORD = 12
MAX_FAILED_LOGINS = 10


def check_password_policy(password: str, username: str) -> None:
    problems = []
    if len(password) < MIN_PASSWORD:
        problems.append(Problem("password", "(hidden)", f"at least {MIN_PASSWORD} characters"))
    if username and username.lower() in password.lower():
        problems.append(Problem("password", "(hidden)", "a password not containing the username"))
    if problems:
        raise InvalidInput(problems)


def hash_password(password: str, hasher: PasswordHasher = DEFAULT_HASHER) -> str:
    return hasher.hash(password)


def create_user(
    uow: UnitOfWork,
    *,
    username: str,
    display_name: str,
    role: Role | str,
    password: str,
    patient_id: int | None = None,
    site_id: int | None = None,
    bootstrap: bool = False,
    hasher: PasswordHasher = DEFAULT_HASHER,
) -> int:
    """Create a user; only an admin may, except the very first (bootstrap) account."""
    problems = []
    if (
        not username
        or len(username) > 80
        or not username.replace(".", "").replace("_", "").isalnum()
    ):
        problems.append(Problem("username", username, "1-80 letters, digits, '.' or '_'"))
    try:
        role = Role(role)
    except ValueError:
        problems.append(Problem("role", role, "one of " + ", ".join(r.value for r in Role)))
    if role == Role.PATIENT and patient_id is None:
        problems.append(Problem("patient_id", None, "the patient's id (patient accounts)"))
    if problems:
        raise InvalidInput(problems)
    check_password_policy(password, username)
    if not bootstrap:
        require(uow.actor, "user.manage")
    row = UserRow(
        username=username,
        display_name=display_name or username,
        role=Role(role).value,
        password_hash=hash_password(password, hasher),
        patient_id=patient_id,
        site_id=site_id,
        active=True,
        failed_logins=0,
        created_at=uow.clock.now(),
    )
    uow.add(row)
    uow.flush()
    uow.audit("user.created", f"user:{row.id}", {"username": username, "role": row.role})
    return row.id


def actor_for(row: UserRow) -> Actor:
    return Actor(
        username=row.username, role=Role(row.role), user_id=row.id, patient_id=row.patient_id
    )


def authenticate(
    uow: UnitOfWork,
    username: str,
    password: str,
    code: str | None = None,
    *,
    hasher: PasswordHasher = DEFAULT_HASHER,
) -> Actor:
    """The actor for these credentials; one vague message for every failure (no user probing).

    Users with a second factor must also give the current TOTP code.
    """
    row = user_repo.find_by_username(uow.session, username)
    refused = PermissionDenied("unknown username or wrong password")
    if row is None:
        hasher.hash(password)  # same work either way, so timing does not reveal usernames
        raise refused
    if not row.active or row.failed_logins >= MAX_FAILED_LOGINS:
        raise PermissionDenied("this account is locked; ask an administrator")
    try:
        hasher.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        row.failed_logins += 1
        uow.audit("auth.failed", f"user:{row.id}", {"failed_logins": row.failed_logins})
        uow.commit()
        raise refused from None
    if row.totp_secret and not totp_matches(row.totp_secret, code):
        row.failed_logins += 1
        uow.audit("auth.failed", f"user:{row.id}", {"second_factor": True})
        uow.commit()
        raise PermissionDenied("enter the current 6-digit code from your authenticator app")
    if hasher.check_needs_rehash(row.password_hash):
        row.password_hash = hash_password(password, hasher)
    row.failed_logins = 0
    return actor_for(row)


@dataclass(frozen=True)
class SignedIn:
    token: str
    csrf_token: str
    actor: Actor


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in(
    uow: UnitOfWork,
    username: str,
    password: str,
    code: str | None = None,
    *,
    hasher: PasswordHasher = DEFAULT_HASHER,
) -> SignedIn:
    actor = authenticate(uow, username, password, code, hasher=hasher)
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = uow.clock.now()
    assert actor.user_id is not None
    uow.add(
        WebSessionRow(
            token_hash=_digest(token),
            user_id=actor.user_id,
            csrf_token=csrf,
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    uow.audit("auth.signed_in", f"user:{actor.user_id}")
    uow.commit()
    return SignedIn(token, csrf, actor)


def resolve_session(uow: UnitOfWork, token: str) -> tuple[Actor, str] | None:
    """The actor and CSRF token of a live session, or None (unknown or expired)."""
    found = user_repo.signed_in(uow.session, _digest(token))
    if found is None:
        return None
    expires = found.expires_at
    if expires.tzinfo is None:  # SQLite returns naive datetimes
        expires = expires.replace(tzinfo=uow.clock.now().tzinfo)
    if expires <= uow.clock.now() or not found.active:
        return None
    actor = Actor(
        username=found.username,
        role=Role(found.role),
        user_id=found.user_id,
        patient_id=found.patient_id,
    )
    return actor, found.csrf_token


def sign_out(uow: UnitOfWork, token: str) -> None:
    user_repo.delete_session(uow.session, _digest(token))
    uow.commit()


TOTP_ISSUER = "hipback"


def totp_matches(secret: str, code: str | None) -> bool:
    """RFC 6238 check, accepting the previous and next 30-s step for clock drift."""
    import pyotp

    cleaned = (code or "").replace(" ", "")
    return (
        cleaned.isdigit()
        and len(cleaned) == 6
        and pyotp.TOTP(secret).verify(cleaned, valid_window=1)
    )


@dataclass(frozen=True)
class TotpSetup:
    secret: str
    uri: str


def start_totp(uow: UnitOfWork) -> TotpSetup:
    """A new secret for the signed-in staff member; stored only once a code confirms it."""
    import pyotp

    require(uow.actor, "account.second_factor")
    if uow.actor.user_id is None:
        raise PermissionDenied("a second factor needs a user account")
    secret = pyotp.random_base32()
    uri = pyotp.TOTP(secret).provisioning_uri(name=uow.actor.username, issuer_name=TOTP_ISSUER)
    return TotpSetup(secret, uri)


def confirm_totp(uow: UnitOfWork, secret: str, code: str) -> None:
    require(uow.actor, "account.second_factor")
    if uow.actor.user_id is None:
        raise PermissionDenied("a second factor needs a user account")
    if len(secret) != 32 or not secret.isalnum():
        raise InvalidInput.one("secret", "(hidden)", "the 32-character secret shown on the page")
    if not totp_matches(secret, code):
        raise InvalidInput.one("code", code, "the current 6-digit code from your app")
    row = uow.get(UserRow, uow.actor.user_id, "user")
    row.totp_secret = secret
    uow.audit("auth.totp_enabled", f"user:{row.id}")
    uow.commit()


def disable_totp(uow: UnitOfWork, user_id: int) -> None:
    """Remove a user's second factor (admins only, e.g. after a lost phone)."""
    require(uow.actor, "user.manage")
    row = uow.get(UserRow, user_id, "user")
    row.totp_secret = None
    uow.audit("auth.totp_disabled", f"user:{row.id}")
    uow.commit()


def has_totp(uow: UnitOfWork) -> bool:
    if uow.actor.user_id is None:
        return False
    return uow.get(UserRow, uow.actor.user_id, "user").totp_secret is not None
