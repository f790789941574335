"""Shared pydantic base and field helpers for the evaluation record.

Numbers and yes/no answers are strict (``true`` is not a number, ``"70"`` is not an age) so a
typo in a clinic export fails loudly instead of being coerced. ``None`` (or leaving a key out)
always means *not asked / not assessed*; screening then says so rather than guessing.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Record(BaseModel):
    """Immutable, closed record: unknown keys are errors, never silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def number(lo: float, hi: float, description: str) -> Any:
    """An optional number in ``[lo, hi]``; ``None`` means not assessed."""
    return Field(default=None, ge=lo, le=hi, allow_inf_nan=False, description=description)


def answer(description: str) -> Any:
    """An optional yes/no finding; ``None`` means not asked or not assessed."""
    return Field(default=None, description=description)


def section(factory: type[BaseModel], description: str) -> Any:
    """A sub-record that defaults to 'nothing recorded' (every finding ``None``)."""
    return Field(default_factory=factory, description=description)
