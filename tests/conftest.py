from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

import pytest
from argon2 import PasswordHasher
from hypothesis import HealthCheck, settings

# No per-example deadline: tests never assert timings, and Hypothesis's default deadline (200 ms
# per example) fails examples at random when the shared 2-core machine is busy.
settings.register_profile(
    "ci",
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never see a developer's HIPBACK_* settings (the suite's own HIPBACK_TEST_* stay:
    the app's settings ignore them)."""
    for key in list(os.environ):
        if key.startswith("HIPBACK_") and not key.startswith("HIPBACK_TEST_"):
            monkeypatch.delenv(key)


DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _pg_reachable(url: str) -> str | None:
    """None if PostgreSQL answers at ``url``, else the reason."""
    import sqlalchemy as sa

    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
        engine.dispose()
    except Exception as exc:
        return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    return None


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    """URL of the PostgreSQL server; in CI an unreachable server fails the run, never skips."""
    url = os.environ.get("HIPBACK_TEST_PG_URL", DEFAULT_PG)
    reason = _pg_reachable(url)
    if reason is not None:
        message = f"PostgreSQL not reachable at {url}: {reason}"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI must test against PostgreSQL)")
        pytest.skip(message)
    return url


def _pg_database_url(admin_url: str, name: str) -> str:
    base, _, _ = admin_url.rpartition("/")
    return f"{base}/{name}"


def _pg_admin(admin_url: str, sql: str) -> None:
    import sqlalchemy as sa

    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(sql))
    finally:
        admin.dispose()


def _new_pg_name(kind: str) -> str:
    import uuid

    return f"hipback_{kind}_{uuid.uuid4().hex[:12]}"


@pytest.fixture
def pg_url(pg_admin_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    name = _new_pg_name("t")
    _pg_admin(pg_admin_url, f'CREATE DATABASE "{name}"')
    try:
        yield _pg_database_url(pg_admin_url, name)
    finally:
        _pg_admin(pg_admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'hipback.sqlite3'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def backend(request: pytest.FixtureRequest) -> str:
    """Run a persistence test once on SQLite and once on PostgreSQL."""
    return str(request.param)


@pytest.fixture
def db_url(backend: str, request: pytest.FixtureRequest) -> str:
    """A fresh, empty database on each backend."""
    name = "sqlite_url" if backend == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))


# --- databases built once per session, copied for each test ---------------------------------

#: fills an empty database at the given URL
Build = Callable[[str], None]


class DatabaseTemplates:
    """Databases built once per test session and copied for every test that asks for one.

    SQLite: the template is one file (no write-ahead log), copied. PostgreSQL: the template is a
    database of its own and each copy is ``CREATE DATABASE … TEMPLATE``. Each test gets its own
    copy, so no test sees another's writes. ``key`` must name everything the build depends on.
    """

    def __init__(self, root: Path) -> None:
        self._root = root
        self._sqlite: dict[str, Path] = {}
        self._pg: dict[str, tuple[str, str]] = {}  # key -> (admin url, template database)

    def sqlite_copy(self, key: str, build: Build, dest: Path) -> str:
        import shutil
        import sqlite3
        from contextlib import closing

        template = self._sqlite.get(key)
        if template is None:
            template = self._root / f"{len(self._sqlite)}.sqlite3"
            build(f"sqlite:///{template}")
            # one self-contained file (the write-ahead log folded in), so a plain file copy is a
            # complete database; the app's engine turns WAL back on when it connects
            with closing(sqlite3.connect(template)) as conn:
                conn.execute("PRAGMA journal_mode=DELETE")
            assert not template.with_name(template.name + "-wal").exists()
            self._sqlite[key] = template
        shutil.copyfile(template, dest)
        return f"sqlite:///{dest}"

    def pg_copy(self, key: str, build: Build, admin_url: str) -> str:
        """A new database copied from the template ``key``; the caller drops it."""
        found = self._pg.get(key)
        if found is None or found[0] != admin_url:
            template = _new_pg_name("tpl")
            _pg_admin(admin_url, f'CREATE DATABASE "{template}"')
            try:
                build(_pg_database_url(admin_url, template))  # disposes its engine: no sessions
            except BaseException:
                _pg_admin(admin_url, f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
                raise
            self._pg[key] = found = (admin_url, template)
        name = _new_pg_name("t")
        _pg_admin(admin_url, f'CREATE DATABASE "{name}" TEMPLATE "{found[1]}"')
        return _pg_database_url(admin_url, name)

    def drop_all(self) -> None:
        for admin_url, template in self._pg.values():
            _pg_admin(admin_url, f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
        self._pg.clear()


@pytest.fixture(scope="session")
def db_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseTemplates]:
    templates = DatabaseTemplates(tmp_path_factory.mktemp("templates"))
    yield templates
    templates.drop_all()


@pytest.fixture
def template_db(
    backend: str, db_templates: DatabaseTemplates, tmp_path: Path, request: pytest.FixtureRequest
) -> Callable[[str, Build], str]:
    """``template_db(key, build)``: this test's own copy of the template ``key`` on ``backend``."""

    def copy(key: str, build: Build) -> str:
        if backend == "sqlite":
            return db_templates.sqlite_copy(key, build, tmp_path / "hipback.sqlite3")
        admin_url = str(request.getfixturevalue("pg_admin_url"))
        url = db_templates.pg_copy(key, build, admin_url)
        name = url.rpartition("/")[2]
        request.addfinalizer(
            lambda: _pg_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        )
        return url

    return copy


def _migrate(url: str) -> None:
    from hipback.config import Settings
    from hipback.db import make_engine, upgrade

    engine = make_engine(Settings(database_url=url))
    upgrade(engine)
    engine.dispose()


@pytest.fixture
def migrated_db_url(template_db: Callable[[str, Build], str]) -> str:
    """A fresh database migrated to head (a copy of one built once per session)."""
    return template_db("migrated", _migrate)


#: argon2id at minimal cost, for tests only: the suite signs in hundreds of times, and one
#: production hash takes about 0.3 s here. Production parameters: tests/services/test_passwords.py
TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(scope="session")
def password_hasher() -> PasswordHasher:
    return TEST_HASHER


class DemoDatabase(Protocol):
    def __call__(
        self,
        *,
        n_patients: int,
        today: date | None = None,
        fixed_now: datetime | None = None,
        hasher: PasswordHasher = TEST_HASHER,
    ) -> str: ...


@pytest.fixture
def demo_db(template_db: Callable[[str, Build], str]) -> DemoDatabase:
    """``demo_db(n_patients=…)``: this test's own copy of the synthetic demo clinic.

    ``fixed_now`` fixes the services' clock (default: the system clock) and ``today`` the
    demo's reference date (default: the clock's date); the demo accounts' passwords are hashed
    with ``hasher`` (cheap unless given).
    """

    def make(
        *,
        n_patients: int,
        today: date | None = None,
        fixed_now: datetime | None = None,
        hasher: PasswordHasher = TEST_HASHER,
    ) -> str:
        on = today or (fixed_now.date() if fixed_now else date.today())
        cost = f"t{hasher.time_cost}m{hasher.memory_cost}p{hasher.parallelism}"
        key = f"demo n={n_patients} today={on} now={fixed_now} hash={cost}"

        def build(url: str) -> None:
            from hipback.config import Settings
            from hipback.core.clock import Clock, FixedClock, SystemClock
            from hipback.db import make_engine, upgrade
            from hipback.db.uow import UnitOfWork, session_factory
            from hipback.services.demo import load_demo

            engine = make_engine(Settings(database_url=url))
            upgrade(engine)
            factory = session_factory(engine)
            clock: Clock = SystemClock() if fixed_now is None else FixedClock(fixed_now)
            load_demo(
                lambda actor: UnitOfWork(factory, actor, clock),
                today=on,
                n_patients=n_patients,
                hasher=hasher,
            )
            engine.dispose()

        return template_db(key, build)

    return make
