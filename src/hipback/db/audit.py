"""Hash-chained, append-only audit entries.

Each entry's hash is SHA-256 over a canonical JSON of its content and the previous entry's hash,
so editing, deleting or reordering any entry breaks every hash after it (:func:`verify_chain`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from hipback.db.tables.audit import AuditHeadRow, AuditRow

GENESIS = "0" * 64


def entry_hash(
    prev_hash: str,
    at: datetime,
    actor: str,
    action: str,
    subject: str,
    detail: Mapping[str, object],
) -> str:
    payload = json.dumps(
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
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(
    session: Session,
    *,
    at: datetime,
    actor: str,
    action: str,
    subject: str,
    detail: Mapping[str, object],
) -> AuditRow:
    """Add an entry in the caller's transaction (it commits or rolls back with the change).

    The first statement is an UPDATE of the single ``audit_head`` row: it takes the row lock
    (PostgreSQL) or the database write lock (SQLite) until the transaction ends, so concurrent
    appends queue up instead of both chaining onto the same previous entry.
    """
    prev = session.scalar(
        update(AuditHeadRow)
        .where(AuditHeadRow.id == 1)
        .values(seq=AuditHeadRow.seq + 1)
        .returning(AuditHeadRow.hash)
    )
    if prev is None:
        raise RuntimeError("audit_head is missing; run `hipback db upgrade`")
    row = AuditRow(
        at=at,
        actor=actor,
        action=action,
        subject=subject,
        detail=dict(detail),
        prev_hash=prev,
        hash=entry_hash(prev, at, actor, action, subject, detail),
    )
    session.add(row)
    session.execute(update(AuditHeadRow).where(AuditHeadRow.id == 1).values(hash=row.hash))
    session.flush()
    return row


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
        report = verify_chain(rows)
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
