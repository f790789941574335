"""Queries on users and web sessions."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import ColumnElement, bindparam, delete, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from hipback.db.tables import SignInFailureRow, UserRow, WebSessionRow


def find_by_username(session: Session, username: str) -> UserRow | None:
    return session.scalars(select(UserRow).where(UserRow.username == username)).first()


class SignedInView(NamedTuple):
    """What every signed-in request needs: the session's expiry and CSRF token and who it is.

    Read as columns, so no password hash or TOTP secret is loaded on each request."""

    expires_at: datetime
    csrf_token: str
    user_id: int
    username: str
    role: str
    patient_id: int | None
    active: bool


_SIGNED_IN = (
    select(
        WebSessionRow.expires_at,
        WebSessionRow.csrf_token,
        UserRow.id,
        UserRow.username,
        UserRow.role,
        UserRow.patient_id,
        UserRow.active,
    )
    .join(UserRow, UserRow.id == WebSessionRow.user_id)
    .where(WebSessionRow.token_hash == bindparam("token_hash"))
)


def signed_in(session: Session, token_hash: str) -> SignedInView | None:
    row = session.connection().execute(_SIGNED_IN, {"token_hash": token_hash}).first()
    return None if row is None else SignedInView._make(row)


def delete_session(session: Session, token_hash: str) -> None:
    session.execute(delete(WebSessionRow).where(WebSessionRow.token_hash == token_hash))


def count_users(session: Session) -> int:
    from sqlalchemy import func

    return int(session.scalar(select(func.count()).select_from(UserRow)) or 0)


def failures(session: Session, keys: list[str]) -> dict[str, tuple[int, datetime]]:
    """Failed sign-ins and the time of the last one, for each key that has any."""
    rows = session.execute(
        select(SignInFailureRow.key, SignInFailureRow.failures, SignInFailureRow.last_at).where(
            SignInFailureRow.key.in_(keys)
        )
    ).all()
    return {key: (count, at) for key, count, at in rows}


def record_failure(session: Session, key: str, at: datetime) -> None:
    """Count one more failed sign-in for ``key`` (an atomic upsert on both databases)."""
    values = {"key": key, "failures": 1, "last_at": at}
    update = {"failures": SignInFailureRow.failures + 1, "last_at": at}
    if session.get_bind().dialect.name == "postgresql":
        pg = postgresql.insert(SignInFailureRow).values(values)
        session.execute(pg.on_conflict_do_update(index_elements=["key"], set_=update))
    else:
        lite = sqlite.insert(SignInFailureRow).values(values)
        session.execute(lite.on_conflict_do_update(index_elements=["key"], set_=update))


def clear_failures(session: Session, keys: list[str], prefix: str | None = None) -> None:
    """Forget failures for ``keys`` and, with ``prefix``, every key starting with it."""
    condition: ColumnElement[bool] = SignInFailureRow.key.in_(keys)
    if prefix is not None:
        condition = or_(condition, SignInFailureRow.key.startswith(prefix, autoescape=True))
    session.execute(delete(SignInFailureRow).where(condition))


def forget_old_failures(session: Session, before: datetime) -> None:
    session.execute(delete(SignInFailureRow).where(SignInFailureRow.last_at < before))
