"""How many minutes an item takes in the clinic, and the session's fixed minutes.

``protocol/data/session_time.toml`` gives per category the set-up time, the seconds per
repetition and the rest between sets or bouts, the check-in and reassessment minutes, and the
priority of categories per arm (used by :mod:`hipback.protocol.budget`). An item's time is
set-up + work + rests, rounded up to whole minutes (:func:`item_time`).

MASH: one-hour sessions (registry NCT04009837); the estimates are hipback defaults, unverified.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from hipback.errors import ConfigurationError
from hipback.protocol.catalog import Arm, Category, Citation, Dose, Intervention, describe_errors

#: the clinic's session length when no setting is given (MASH: one-hour sessions)
DEFAULT_SESSION_MINUTES = 60
#: shortest and longest session length a clinic may set
SESSION_MINUTES_RANGE = (30, 180)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CategoryTiming(_Model):
    setup_s: int = Field(ge=0, le=600)
    rep_s: int = Field(ge=0, le=60)
    rest_s: int = Field(ge=0, le=300)


class ArmPriority(_Model):
    core: tuple[Category, ...]
    rotate: tuple[Category, ...]
    why: str

    def order(self) -> tuple[Category, ...]:
        return (*self.core, *self.rotate)


class TimingFile(_Model):
    schema_version: Literal[1]
    version: str
    basis: Citation
    check_in_minutes: int = Field(ge=0, le=30)
    reassessment_minutes: int = Field(ge=0, le=90)
    timing: dict[Category, CategoryTiming]
    priority: dict[Literal["hip", "spine"], ArmPriority]

    @model_validator(mode="after")
    def _complete(self) -> TimingFile:
        missing = [c.value for c in Category if c not in self.timing]
        if missing:
            raise ValueError(f"[timing] has no entry for {', '.join(missing)}")
        for arm, p in self.priority.items():
            listed = p.order()
            if len(set(listed)) != len(listed):
                raise ValueError(f"[priority.{arm}] lists a category twice")
        return self

    def tiers(self, arm: Arm) -> ArmPriority:
        return self.priority[arm.value]


@dataclass(frozen=True)
class ItemTime:
    setup_s: int
    work_s: int
    rest_s: int

    @property
    def minutes(self) -> int:
        return max(1, math.ceil((self.setup_s + self.work_s + self.rest_s) / 60))

    def describe(self) -> str:
        """E.g. '5 min: set-up 1 min, work 3 min, rests 1 min 15 s'."""
        parts = [
            f"{name} {duration(seconds)}"
            for name, seconds in (
                ("set-up", self.setup_s),
                ("work", self.work_s),
                ("rests", self.rest_s),
            )
            if seconds
        ]
        return f"{self.minutes} min: " + ", ".join(parts)


def duration(seconds: int) -> str:
    """45 → '45 s'; 120 → '2 min'; 135 → '2 min 15 s'."""
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min" + (f" {rest} s" if rest else "")


def item_time(item: Intervention, dose: Dose, sides: int, timing: TimingFile) -> ItemTime:
    """Set-up, work and rest seconds of one item at this dose, on ``sides`` sides (≥ 1)."""
    t = timing.timing[item.category]
    per_side = max(1, sides) * (2 if item.each_side else 1)
    blocks = dose.sets or dose.bouts or 1
    if dose.minutes:
        work = dose.minutes * 60
        blocks = 1
    elif dose.bouts and not dose.reps:
        work = dose.bouts * (dose.bout_s or 30) * per_side
    elif dose.reps:
        work = blocks * dose.reps * (t.rep_s + (dose.hold_s or 0)) * per_side
    else:
        work = blocks * (dose.hold_s or 0) * per_side
    return ItemTime(t.setup_s, work, (blocks - 1) * t.rest_s)


def parse_timing(text: str) -> TimingFile:
    try:
        return TimingFile.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"session_time.toml: not TOML: {exc}") from None
    except ValidationError as exc:
        raise ConfigurationError(f"session_time.toml: {describe_errors(exc)}") from None


@cache
def load_timing() -> TimingFile:
    text = (resources.files("hipback.protocol") / "data" / "session_time.toml").read_text(
        encoding="utf-8"
    )
    return parse_timing(text)
