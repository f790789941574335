"""Users, passwords (argon2id), sign-in with an optional second factor, and server-side
sessions.

Every failed sign-in gets the same answer, whatever failed: unknown username, wrong password,
missing or wrong or reused authenticator code, a deactivated account or a throttled client
(:data:`SIGN_IN_FAILED`; throttling is in :mod:`hipback.services.throttle`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2.exceptions import InvalidHashError, VerificationError

from hipback.clinic.access import Actor, require
from hipback.clinic.records import Role
from hipback.db.repositories import users as user_repo
from hipback.db.tables import UserRow, WebSessionRow
from hipback.db.uow import UnitOfWork
from hipback.errors import InvalidInput, NotFound, PermissionDenied, Problem
from hipback.services import throttle
from hipback.services.password_policy import check_password_policy, normalise
from hipback.services.passwords import DEFAULT_HASHER, PasswordHasher

SESSION_LIFETIME = timedelta(hours=8)
SIGN_IN_FAILED = (
    "Sign-in failed. Check your username, password and authenticator code (if you use one), "
    "or wait a minute and try again."
)


class SignInRefused(PermissionDenied):
    """Any failed sign-in; ``retry_after`` > 0 when the client is being throttled."""

    def __init__(self, retry_after: float = 0.0) -> None:
        super().__init__(SIGN_IN_FAILED)
        self.retry_after = retry_after


def hash_password(password: str, hasher: PasswordHasher = DEFAULT_HASHER) -> str:
    return hasher.hash(normalise(password))


def _password_matches(hasher: PasswordHasher, stored_hash: str, password: str) -> bool:
    try:
        return bool(hasher.verify(stored_hash, normalise(password)))
    except (VerificationError, InvalidHashError):
        return False


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
    check_password_policy(password, username, display_name)
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
    """The actor for these credentials, checked together: the password, and the current
    authenticator code for users with a second factor (each code is accepted once). Any failure
    raises :class:`SignInRefused` with the one generic message, after the same hashing work.
    """
    row = user_repo.find_by_username(uow.session, username)
    if row is None:
        hasher.hash(password)  # same work either way, so timing does not reveal usernames
        raise SignInRefused()
    password_ok = _password_matches(hasher, row.password_hash, password)
    step = totp_step(row.totp_secret, code, uow.clock.now()) if row.totp_secret else None
    code_ok = row.totp_secret is None or (
        step is not None and (row.totp_last_step is None or step > row.totp_last_step)
    )
    if not (password_ok and code_ok and row.active):
        row.failed_logins += 1
        uow.audit(
            "auth.failed",
            f"user:{row.id}",
            {
                "failed_logins": row.failed_logins,
                "password": password_ok,
                "second_factor": None if row.totp_secret is None else code_ok,
                "active": row.active,
            },
        )
        raise SignInRefused()
    if step is not None:
        row.totp_last_step = step
    if hasher.check_needs_rehash(row.password_hash):
        row.password_hash = hash_password(password, hasher)
    row.failed_logins = 0
    return actor_for(row)


def unlock_account(uow: UnitOfWork, user: int | str) -> None:
    """Clear an account's failed sign-ins from every client (administrators only); ``user`` is
    the id or the username."""
    require(uow.actor, "user.manage")
    if isinstance(user, str):
        found = user_repo.find_by_username(uow.session, user)
        if found is None:
            raise NotFound(f"no user named {user!r}")
        row = found
    else:
        row = uow.get(UserRow, user, "user")
    row.failed_logins = 0
    throttle.clear_account(uow, row.username)
    uow.audit("auth.unlocked", f"user:{row.id}")
    uow.commit()


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
    address: str = "unknown",
    policy: throttle.ThrottlePolicy | None = None,
    hasher: PasswordHasher = DEFAULT_HASHER,
) -> SignedIn:
    """Sign in from client ``address``; throttled clients are refused before any check."""
    policy = policy or throttle.ThrottlePolicy()
    name = username.strip()
    wait = throttle.seconds_to_wait(uow, policy, name, address)
    if wait > 0:
        raise SignInRefused(retry_after=wait)
    try:
        actor = authenticate(uow, name, password, code, hasher=hasher)
    except SignInRefused:
        throttle.record_failure(uow, policy, name, address)
        uow.commit()
        raise
    throttle.record_success(uow, name, address)
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


def totp_step(secret: str, code: str | None, now: datetime) -> int | None:
    """The RFC 6238 time step (30 s) that ``code`` belongs to, accepting the previous and next
    step for clock drift; None when it matches none of them."""
    import pyotp

    cleaned = (code or "").replace(" ", "")
    if not (cleaned.isdigit() and len(cleaned) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for offset in (-1, 0, 1):
        if hmac.compare_digest(totp.generate_otp(current + offset), cleaned):
            return current + offset
    return None


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
    step = totp_step(secret, code, uow.clock.now())
    if step is None:
        raise InvalidInput.one("code", code, "the current 6-digit code from your app")
    row = uow.get(UserRow, uow.actor.user_id, "user")
    row.totp_secret = secret
    row.totp_last_step = step  # the confirming code cannot also sign in
    uow.audit("auth.totp_enabled", f"user:{row.id}")
    uow.commit()


def disable_totp(uow: UnitOfWork, user_id: int) -> None:
    """Remove a user's second factor (admins only, e.g. after a lost phone)."""
    require(uow.actor, "user.manage")
    row = uow.get(UserRow, user_id, "user")
    row.totp_secret = None
    row.totp_last_step = None
    uow.audit("auth.totp_disabled", f"user:{row.id}")
    uow.commit()


def has_totp(uow: UnitOfWork) -> bool:
    if uow.actor.user_id is None:
        return False
    return uow.get(UserRow, uow.actor.user_id, "user").totp_secret is not None
