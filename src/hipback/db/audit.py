"""Hash-chained, append-only audit entries.

Each entry's hash is SHA-256 over a canonical JSON of its content and the previous entry's hash,
so editing, deleting or reordering any entry breaks every hash after it (:func:`verify_chain`).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, Engine, bindparam, insert, select, text, update
from sqlalchemy.orm import Session

from hipback.db.tables.audit import AuditHeadRow, AuditRow

GENESIS = "0" * 64


def canonical_payload(
    prev_hash: str,
    at: datetime,
    actor: str,
    action: str,
    subject: str,
    detail: Mapping[str, object],
) -> str:
    """The exact text an entry's hash covers: sorted-key, compact, ASCII-only JSON."""
    return json.dumps(
        {
            "prev": prev_hash,
            "at": at.astimezone(UTC).isoformat(),
            "actor": actor,
            "action": action,
            "subject": subject,
            "detail": detail,
        },
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )


def entry_hash(
    prev_hash: str,
    at: datetime,
    actor: str,
    action: str,
    subject: str,
    detail: Mapping[str, object],
) -> str:
    payload = canonical_payload(prev_hash, at, actor, action, subject, detail)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def split_payload(
    at: datetime, actor: str, action: str, subject: str, detail: Mapping[str, object]
) -> tuple[str, str]:
    """The canonical payload as the text before and after the previous entry's hash.

    Lets PostgreSQL finish the hash inside the statement that takes the chain lock
    (``pre || prev_hash || post``), without another round trip while holding the lock.
    """
    marker = secrets.token_hex(32)  # random, so it cannot occur in the entry's own content
    payload = canonical_payload(marker, at, actor, action, subject, detail)
    pre, found, post = payload.partition(f'"prev":"{marker}"')
    if not found or marker in post:
        raise RuntimeError("audit payload could not be split around the previous hash")
    return pre + '"prev":"', '"' + post


# One statement on PostgreSQL: lock the head row, chain the entry to it, insert it and move the
# head. A waiting appender's FOR UPDATE re-reads the head once the holder commits (READ
# COMMITTED), so it chains onto the newest entry; the lock is held from here until COMMIT.
_PG_APPEND = text(
    """
    WITH head AS (
        SELECT hash AS prev FROM audit_head WHERE id = 1 FOR UPDATE
    ), entry AS (
        SELECT prev, encode(sha256(convert_to(:pre || prev || :post, 'UTF8')), 'hex') AS hash
        FROM head
    ), inserted AS (
        INSERT INTO audit_log (at, actor, action, subject, detail, prev_hash, hash)
        SELECT :at, :actor, :action, :subject, :detail, entry.prev, entry.hash FROM entry
        RETURNING hash
    )
    UPDATE audit_head SET seq = audit_head.seq + 1, hash = inserted.hash
    FROM inserted WHERE audit_head.id = 1
    RETURNING audit_head.hash
    """
).bindparams(
    bindparam("at", type_=DateTime(timezone=True)),
    bindparam("detail", type_=JSON()),
)


def append(
    session: Session,
    *,
    at: datetime,
    actor: str,
    action: str,
    subject: str,
    detail: Mapping[str, object],
) -> str:
    """Add an entry in the caller's transaction (it commits or rolls back with the change).

    Returns the new entry's hash. Appends serialise on the single ``audit_head`` row: a row
    lock on PostgreSQL (taken, used and released by one statement plus COMMIT), the database
    write lock on SQLite, so concurrent appends queue up instead of chaining onto the same
    previous entry.
    """
    at = at.astimezone(UTC)  # SQLite keeps no offset: store the instant in UTC on both
    values = {"at": at, "actor": actor, "action": action, "subject": subject}
    if session.get_bind().dialect.name == "postgresql":
        pre, post = split_payload(at, actor, action, subject, detail)
        new_hash = session.scalar(
            _PG_APPEND, {**values, "detail": dict(detail), "pre": pre, "post": post}
        )
        if new_hash is None:
            raise RuntimeError("audit_head is missing; run `hipback db upgrade`")
        return str(new_hash)
    prev = session.scalar(
        update(AuditHeadRow)
        .where(AuditHeadRow.id == 1)
        .values(seq=AuditHeadRow.seq + 1)
        .returning(AuditHeadRow.hash)
    )
    if prev is None:
        raise RuntimeError("audit_head is missing; run `hipback db upgrade`")
    new_hash = entry_hash(prev, at, actor, action, subject, detail)
    session.execute(
        insert(AuditRow).values(**values, detail=dict(detail), prev_hash=prev, hash=new_hash)
    )
    session.execute(update(AuditHeadRow).where(AuditHeadRow.id == 1).values(hash=new_hash))
    return new_hash


@dataclass(frozen=True)
class ChainReport:
    entries: int
    first_bad_id: int | None
    reason: str | None

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None


def verify_chain(rows: Iterable[AuditRow]) -> ChainReport:
    prev = GENESIS
    n = 0
    for row in rows:
        n += 1
        if row.prev_hash != prev:
            return ChainReport(n, row.id, "previous-hash link broken (entry deleted or reordered)")
        at = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)
        if entry_hash(prev, at, row.actor, row.action, row.subject, row.detail) != row.hash:
            return ChainReport(n, row.id, "content does not match its hash (entry edited)")
        prev = row.hash
    return ChainReport(n, None, None)


def verify_database(engine: Engine) -> ChainReport:
    """Verify the whole chain, streaming rows in id order, and check the head row agrees."""
    with Session(engine) as session:
        rows = session.scalars(
            select(AuditRow).order_by(AuditRow.id).execution_options(yield_per=1000)
        )
        try:
            report = verify_chain(rows)
        finally:
            rows.close()  # a broken chain stops early: release the server-side cursor now
        if not report.ok:
            return report
        head = session.get(AuditHeadRow, 1)
        last = session.scalar(select(AuditRow.hash).order_by(AuditRow.id.desc()).limit(1))
        if head is not None and head.hash != (last or GENESIS):
            return ChainReport(
                report.entries,
                -1,
                "audit_head does not match the last entry (entries deleted from the end)",
            )
        return report
