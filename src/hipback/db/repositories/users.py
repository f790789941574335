"""Queries on users and web sessions."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from hipback.db.tables import UserRow, WebSessionRow


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
