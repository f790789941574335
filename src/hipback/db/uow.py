"""UnitOfWork: one transaction, its audit entries, and typed access to the rows.

Only ``commit()`` commits; leaving the ``with`` block without it rolls back, so a failure
anywhere leaves nothing half-written. Audit entries are appended inside the same transaction.
A stale optimistic-lock write becomes :class:`hipback.errors.Conflict`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from types import TracebackType
from typing import Any, Self, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from hipback.clinic.access import Actor
from hipback.core.clock import Clock
from hipback.db import audit
from hipback.db.base import Base
from hipback.errors import Conflict, NotFound

R = TypeVar("R", bound=Base)
MAX_ID = 2_147_483_647  # ids are 32-bit integers on PostgreSQL


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


class UnitOfWork:
    def __init__(self, factory: Callable[[], Session], actor: Actor, clock: Clock) -> None:
        self._factory = factory
        self.actor = actor
        self.clock = clock
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside its `with` block")
        return self._session

    def __enter__(self) -> Self:
        self._session = self._factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        try:
            self._session.rollback()
        finally:
            self._session.close()
            self._session = None

    def commit(self) -> None:
        with self._conflicts():
            self.session.commit()

    def flush(self) -> None:
        with self._conflicts():
            self.session.flush()

    @contextmanager
    def _conflicts(self) -> Iterator[None]:
        """A stale optimistic-lock write or a uniqueness clash becomes :class:`Conflict`."""
        try:
            yield
        except StaleDataError:
            self.session.rollback()
            raise Conflict(
                "this record was changed by someone else since you opened it; reload and retry"
            ) from None
        except IntegrityError as exc:
            self.session.rollback()
            raise Conflict(f"the change clashes with an existing record ({exc.orig})") from None

    def audit(self, action: str, subject: str, detail: Mapping[str, Any] | None = None) -> None:
        """Append an audit entry after flushing the change it records (a stale write fails
        here as a Conflict, before the chain lock is taken)."""
        self.flush()
        audit.append(
            self.session,
            at=self.clock.now(),
            actor=self.actor.label,
            action=action,
            subject=subject,
            detail=dict(detail or {}),
        )

    def get(self, row_type: type[R], row_id: int, what: str) -> R:
        if not isinstance(row_id, int) or not 1 <= row_id <= MAX_ID:
            raise NotFound(f"{what} {row_id} not found")
        row = self.session.get(row_type, row_id)
        if row is None:
            raise NotFound(f"{what} {row_id} not found")
        return row

    def add(self, row: Base) -> None:
        self.session.add(row)
