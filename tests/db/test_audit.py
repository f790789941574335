"""The audit hash chain detects edited, deleted and reordered entries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hipback.config import Settings
from hipback.db import make_engine, upgrade
from hipback.db.audit import (
    GENESIS,
    append,
    canonical_payload,
    entry_hash,
    split_payload,
    verify_chain,
)
from hipback.db.tables import AuditRow

T0 = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


def _rows(session: Session) -> list[AuditRow]:
    return list(session.scalars(sa.select(AuditRow).order_by(AuditRow.id)))


def test_chain_verifies_and_names_first_bad_entry(db_url: str) -> None:
    engine = make_engine(Settings(database_url=db_url))
    upgrade(engine)
    with Session(engine) as session, session.begin():
        for i in range(4):
            append(
                session,
                at=T0 + timedelta(minutes=i),
                actor="therapist:1",
                action="session.recorded",
                subject=f"patient:{i}",
                detail={"n": i},
            )
    with Session(engine) as session:
        rows = _rows(session)
        assert rows[0].prev_hash == GENESIS
        assert rows[1].prev_hash == rows[0].hash
        assert verify_chain(rows).ok
        # edit entry 3's detail in place
        rows[2].detail = {"n": 99}
        report = verify_chain(rows)
        assert report.first_bad_id == rows[2].id
        assert "edited" in (report.reason or "")
        session.rollback()
    with Session(engine) as session:
        rows = _rows(session)
        report = verify_chain([rows[0], rows[2], rows[3]])  # entry 2 deleted
        assert report.first_bad_id == rows[2].id
        assert "deleted or reordered" in (report.reason or "")
    engine.dispose()


def test_hash_is_sha256_of_canonical_json() -> None:
    import hashlib

    expected = hashlib.sha256(
        b'{"action":"a","actor":"u","at":"2026-11-29T09:00:00+00:00","detail":{"k":1},'
        b'"prev":"' + GENESIS.encode() + b'","subject":"s"}'
    ).hexdigest()
    assert entry_hash(GENESIS, T0, "u", "a", "s", {"k": 1}) == expected


def test_concurrent_appends_never_fork_the_chain(db_url: str) -> None:
    """8 threads × 10 audited transactions: one unbroken chain of 80 entries."""
    from concurrent.futures import ThreadPoolExecutor

    engine = make_engine(Settings(database_url=db_url))
    upgrade(engine)

    def work(worker: int) -> None:
        for i in range(10):
            with Session(engine) as session, session.begin():
                append(
                    session,
                    at=T0 + timedelta(seconds=i),
                    actor=f"w{worker}",
                    action="x",
                    subject=f"s{i}",
                    detail={"i": i},
                )

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(work, range(8)))
    with Session(engine) as session:
        rows = _rows(session)
        assert len(rows) == 80
        assert verify_chain(rows).ok
        assert len({r.prev_hash for r in rows}) == 80
    engine.dispose()


AWKWARD_DETAILS: list[dict[str, object]] = [
    {},
    {"note": 'quotes " and \\ backslashes, "prev":"x" lookalike', "n": -1.5},
    {"name": "Zoë Ångström – 東京 🙂", "nested": {"list": [1, None, True, "b"]}},
    {"prev": "0" * 64, "subject": "inner keys named like the envelope"},
]


def test_database_side_hash_equals_python_hash(db_url: str) -> None:
    """PostgreSQL finishes each hash in SQL; it must be exactly the Python canonical hash,
    including non-ASCII text, quotes and keys that look like the envelope's own."""
    engine = make_engine(Settings(database_url=db_url))
    upgrade(engine)
    at = datetime(2026, 11, 29, 10, 30, 15, 123456, tzinfo=timezone(timedelta(hours=-5)))
    with Session(engine) as session, session.begin():
        hashes = [
            append(session, at=at, actor="ä:1", action="a", subject=f"s{i}", detail=d)
            for i, d in enumerate(AWKWARD_DETAILS)
        ]
    with Session(engine) as session:
        rows = _rows(session)
    prev = GENESIS
    for row, detail, returned in zip(rows, AWKWARD_DETAILS, hashes, strict=True):
        expected = entry_hash(prev, at, "ä:1", "a", row.subject, detail)
        assert row.prev_hash == prev
        assert row.hash == returned == expected
        assert row.detail == detail
        prev = expected
    assert verify_chain(rows).ok
    engine.dispose()


def test_split_payload_brackets_the_previous_hash() -> None:
    detail = {"text": '"prev":"', "k": 1}
    pre, post = split_payload(T0, "u", "a", "s", detail)
    assert pre + GENESIS + post == canonical_payload(GENESIS, T0, "u", "a", "s", detail)
