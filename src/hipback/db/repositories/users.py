"""Queries on users and web sessions."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from hipback.db.tables import UserRow, WebSessionRow


def find_by_username(session: Session, username: str) -> UserRow | None:
    return session.scalars(select(UserRow).where(UserRow.username == username)).first()


def session_with_user(session: Session, token_hash: str) -> tuple[WebSessionRow, UserRow] | None:
    row = session.execute(
        select(WebSessionRow, UserRow)
        .join(UserRow, UserRow.id == WebSessionRow.user_id)
        .where(WebSessionRow.token_hash == token_hash)
    ).first()
    return None if row is None else (row[0], row[1])


def delete_session(session: Session, token_hash: str) -> None:
    session.execute(delete(WebSessionRow).where(WebSessionRow.token_hash == token_hash))


def count_users(session: Session) -> int:
    from sqlalchemy import func

    return int(session.scalar(select(func.count()).select_from(UserRow)) or 0)
