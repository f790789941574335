"""FHIR export → import benchmark: a 100-patient synthetic clinic into an empty database.

    .venv/bin/python bench/fhir.py [--patients 100] [--repeat 3] [--pg ADMIN_URL]

Loads ``hipback.services.demo.load_demo`` (n_patients) into a temporary SQLite database (not
timed), then times, best of ``--repeat``: ``export_all`` (rows → Bundle dict), JSON encoding to
bytes and decoding back, ``import_bundle`` into a fresh empty database (SQLite, or PostgreSQL
with ``--pg``; fhir.resources validation of every resource, rescoring, one transaction), and a
second export from the new database, which must be identical to the first (canonical JSON).
Target (issue 6): export + import < 10 s for 100 patients.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

# This file is bench/fhir.py: run as a script, its folder comes first on sys.path and would
# shadow the ``fhir`` namespace package of fhir.resources. Drop the folder before importing.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from hipback.clinic.access import Actor  # noqa: E402
from hipback.clinic.records import Role  # noqa: E402
from hipback.config import Settings  # noqa: E402
from hipback.core.clock import FixedClock  # noqa: E402
from hipback.db import make_engine, upgrade  # noqa: E402
from hipback.db.uow import UnitOfWork, session_factory  # noqa: E402
from hipback.services import interop  # noqa: E402
from hipback.services.demo import load_demo  # noqa: E402

NOW = datetime(2026, 11, 29, 10, tzinfo=UTC)
ADMIN = Actor("bench", Role.ADMIN)
THERAPIST = Actor("bench", Role.THERAPIST)


def database(url: str) -> tuple[Any, Callable[[Actor], UnitOfWork]]:
    engine = make_engine(Settings(database_url=url))
    upgrade(engine)
    factory = session_factory(engine)
    clock = FixedClock(NOW)
    return engine, lambda actor: UnitOfWork(factory, actor, clock)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--pg",
        metavar="ADMIN_URL",
        help="import into fresh PostgreSQL databases created (and dropped) via this server URL",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hipback-fhir-bench-"))
    engine, source = database(f"sqlite:///{work / 'source.sqlite3'}")
    load_s, _ = timed(
        lambda: load_demo(source, today=NOW.date(), n_patients=args.patients, seed=2026)
    )
    best: dict[str, float] = {}
    identical = True
    entries = size = 0
    for run in range(args.repeat):
        t_export, bundle = timed(partial(_export, source))
        t_dump, raw = timed(partial(_dump, bundle))
        t_load, parsed = timed(partial(json.loads, raw))
        url, drop = _target(args.pg, work, run)
        target_engine, target = database(url)
        t_import, summary = timed(partial(_import, target, parsed))
        t_again, again = timed(partial(_export, target))
        target_engine.dispose()
        drop()
        identical &= _canonical(again) == _canonical(bundle)
        entries, size = len(bundle["entry"]), len(raw)
        for name, value in (
            ("export", t_export),
            ("json encode", t_dump),
            ("json decode", t_load),
            ("import", t_import),
            ("re-export", t_again),
        ):
            best[name] = min(best.get(name, value), value)
        created = summary.created
    engine.dispose()
    total = best["export"] + best["json encode"] + best["json decode"] + best["import"]
    target_kind = "PostgreSQL" if args.pg else "SQLite"
    print(f"# FHIR bench, {date.today()}, Python {platform.python_version()}, into {target_kind}")
    print(f"demo load ({args.patients} patients, not timed in total): {load_s:.1f} s")
    print(f"bundle: {entries} entries, {size / 1e6:.1f} MB JSON; created {dict(created)}")
    print(f"| step | best of {args.repeat} (s) |")
    print("|---|---|")
    for name, value in best.items():
        print(f"| {name} | {value:.2f} |")
    print(f"| **export + JSON + import** | **{total:.2f}** |")
    print(f"round trip identical: {identical}; target < 10 s: {total < 10}")


def _export(uow_for: Callable[[Actor], UnitOfWork]) -> dict[str, Any]:
    with uow_for(ADMIN) as uow:
        return interop.export_all(uow)


def _import(uow_for: Callable[[Actor], UnitOfWork], bundle: dict[str, Any]) -> Any:
    with uow_for(THERAPIST) as uow:
        return interop.import_bundle(uow, bundle)


def _target(pg: str | None, work: Path, run: int) -> tuple[str, Callable[[], None]]:
    """A fresh empty database URL for one import, and how to drop it afterwards."""
    if pg is None:
        return f"sqlite:///{work / f'target-{run}.sqlite3'}", lambda: None
    import sqlalchemy as sa

    name = f"hipback_fhir_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(pg, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return f"{pg.rpartition('/')[0]}/{name}", drop


def _dump(bundle: dict[str, Any]) -> bytes:
    return json.dumps(bundle).encode("utf-8")


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


if __name__ == "__main__":
    main()
