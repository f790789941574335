"""Audit checkpoints: the head of the chain written down outside the database.

A hash chain shows edits, deletions and reordering *inside* the log, but someone with database
access can delete the newest entries and move ``audit_head`` back, or wipe the whole log, and
the rest still verifies. A checkpoint (entry id, hash, entry time, number of entries) kept
elsewhere, on paper, in another system or a write-once store, closes that gap: if the log no
longer contains that entry with that hash, entries were cut. With ``HIPBACK_AUDIT_KEY`` set the
checkpoint is signed (HMAC-SHA256), so the file itself cannot be forged to match a cut log.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from hipback.db.audit import GENESIS
from hipback.db.tables.audit import AuditRow
from hipback.errors import InvalidInput

FORMAT = "hipback-audit-checkpoint/1"


@dataclass(frozen=True)
class Checkpoint:
    entry_id: int
    hash: str
    entry_at: str | None
    entries: int
    written_at: str
    format: str = FORMAT
    signature: str | None = None

    def payload(self) -> bytes:
        """The canonical bytes the signature covers (every field but the signature)."""
        fields = asdict(self)
        fields.pop("signature")
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def signed(self, key: bytes) -> Checkpoint:
        digest = hmac.new(key, self.payload(), hashlib.sha256).hexdigest()
        return replace(self, signature=digest)

    def signature_matches(self, key: bytes) -> bool:
        expected = hmac.new(key, self.payload(), hashlib.sha256).hexdigest()
        return self.signature is not None and hmac.compare_digest(expected, self.signature)

    def dumps(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"


def read(path: Path) -> Checkpoint:
    try:
        data = json.loads(path.read_text())
        checkpoint = Checkpoint(**data)
    except (OSError, ValueError, TypeError) as exc:
        raise InvalidInput.one(
            "--checkpoint", str(path), "a file written by `hipback audit checkpoint`", str(exc)
        ) from None
    if checkpoint.format != FORMAT:
        raise InvalidInput.one("--checkpoint", checkpoint.format, FORMAT)
    return checkpoint


def take(engine: Engine, key: bytes | None = None) -> Checkpoint:
    """The current head of the log (signed when ``key`` is given)."""
    with Session(engine) as session:
        newest = session.execute(
            select(AuditRow.id, AuditRow.hash, AuditRow.at).order_by(AuditRow.id.desc()).limit(1)
        ).first()
        count = int(session.scalar(select(func.count()).select_from(AuditRow)) or 0)
    at = None
    if newest is not None:
        stamp = newest.at if newest.at.tzinfo else newest.at.replace(tzinfo=UTC)
        at = stamp.isoformat()
    checkpoint = Checkpoint(
        entry_id=newest.id if newest is not None else 0,
        hash=newest.hash if newest is not None else GENESIS,
        entry_at=at,
        entries=count,
        written_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    return checkpoint.signed(key) if key else checkpoint


def check(engine: Engine, checkpoint: Checkpoint, key: bytes | None = None) -> str | None:
    """None when the log still holds the checkpoint's entry with its hash; else the reason."""
    if key is not None:
        if checkpoint.signature is None:
            return "the checkpoint is not signed, but HIPBACK_AUDIT_KEY is set"
        if not checkpoint.signature_matches(key):
            return "the checkpoint's signature does not match (file altered, or another key)"
    if checkpoint.entry_id == 0:
        return None
    with Session(engine) as session:
        found = session.scalar(select(AuditRow.hash).where(AuditRow.id == checkpoint.entry_id))
    if found is None:
        return (
            f"entry {checkpoint.entry_id} of the checkpoint written {checkpoint.written_at} is "
            "missing: audit entries were deleted (the log was cut or wiped)"
        )
    if found != checkpoint.hash:
        return (
            f"entry {checkpoint.entry_id} no longer has the hash recorded in the checkpoint "
            f"written {checkpoint.written_at}: the log was rewritten"
        )
    return None
