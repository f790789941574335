"""The sealed allocation list of a trial: its secret seed and the canonical list of slots.

Written once when the trial is set up (``hipback.services.trial``) and read only through
:mod:`hipback.db.repositories.sealed_list` by the randomisation service
(``hipback.services.trial_randomise``). The "Sealed list" contracts in ``pyproject.toml``
(import-linter, ``make lint``) hold every other module to that: this module is not re-exported
by :mod:`hipback.db.tables`, which imports it only to register the table.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from hipback.db.base import Base


class SealedListRow(Base):
    """The secret seed and canonical list; only the randomisation service reads this table."""

    __tablename__ = "trial_sealed_lists"

    trial_id: Mapped[int] = mapped_column(ForeignKey("trials.id"), primary_key=True)
    seed_hex: Mapped[str] = mapped_column(String(128))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
