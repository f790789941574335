"""The one query on the sealed allocation list; only the randomisation service may import it
(import-linter contract "Sealed list: read only by the randomisation service")."""

from __future__ import annotations

from sqlalchemy.orm import Session

from hipback.db.tables.sealed_list import SealedListRow


def sealed_list(session: Session, trial_id: int) -> SealedListRow | None:
    return session.get(SealedListRow, trial_id)
