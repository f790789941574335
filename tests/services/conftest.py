from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from hipback.clinic.access import Actor
from hipback.clinic.records import Role
from hipback.config import Settings
from hipback.core.clock import FixedClock
from hipback.db import make_engine
from hipback.db.uow import UnitOfWork, session_factory

NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
THERAPIST = Actor("tina", Role.THERAPIST, user_id=None)
ADMIN = Actor("ada", Role.ADMIN, user_id=None)


@pytest.fixture
def engine(migrated_db_url: str) -> Iterator[Engine]:
    engine = make_engine(Settings(database_url=migrated_db_url))
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def uow(engine: Engine, clock: FixedClock) -> Callable[[Actor], UnitOfWork]:
    factory = session_factory(engine)
    return lambda actor: UnitOfWork(factory, actor, clock)
