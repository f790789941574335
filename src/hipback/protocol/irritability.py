"""Severity and irritability at the evaluation → how gently the plan starts and builds up.

:func:`assess` rates each indicator low / moderate / high from ``protocol/data/irritability.toml``:

* **severity** from the pain ratings: usual back pain (NPRS) and the HOOS pain items;
* **provocation**: how easily symptoms are provoked (``symptom_behaviour.provoked_by``);
* **settling**: how long they take to settle (``symptom_behaviour.settles_within``).

The presentation is the highest rating recorded (cautious: one clearly irritable sign is enough).
Its profile says, phase by phase, the highest Maitland grade, one set or bout fewer, shorter
timed items, the most items and the delay of the planned level steps; :meth:`Phase.adjust`
applies a phase to one item's level and dose and says what it changed, for the item's ``why``.

NOT THE MASH PROTOCOL: hipback defaults after Maitland's severity and irritability, unverified.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from hipback.errors import ConfigurationError
from hipback.protocol.catalog import GRADES, Category, Citation, Dose, Intervention, describe_errors
from hipback.screening import Evaluation
from hipback.screening.history import Provocation, Settling

Rating = Literal["low", "moderate", "high"]
RATINGS: tuple[Rating, ...] = ("low", "moderate", "high")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Band(_Model):
    up_to: float
    rating: Rating


class Phase(_Model):
    until_session: int = Field(ge=1, le=40)
    max_grade: str | None = None
    sets_less: int = Field(default=0, ge=0, le=3)
    bouts_less: int = Field(default=0, ge=0, le=3)
    minutes_factor: float = Field(default=1.0, gt=0, le=1)
    max_items: int | None = Field(default=None, ge=1, le=40)
    max_per_category: dict[Category, int] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _grade(self) -> Phase:
        if self.max_grade is not None and self.max_grade not in GRADES:
            raise ValueError(f"max_grade {self.max_grade!r} is not one of {', '.join(GRADES)}")
        return self

    @property
    def changes_dose(self) -> bool:
        return bool(self.sets_less or self.bouts_less or self.minutes_factor < 1)

    def adjust(
        self, item: Intervention, level: int, dose: Dose, *, cap_grade: bool = True
    ) -> tuple[int, Dose, list[str]]:
        """This phase's level and dose for ``item`` planned at ``level``, and what changed.

        The level comes down to the highest one whose grade is within ``max_grade``; level 0
        means even the first level is above it (the item is held back in this phase). With
        ``cap_grade=False`` (a documented response moved the level) only the volume changes."""
        notes: list[str] = []
        if self.max_grade is not None and cap_grade:
            allowed = grade_rank(self.max_grade)
            capped = level
            while capped >= 1 and grade_rank(item.level(capped).dose.grade) > allowed:
                capped -= 1
            if capped != level:
                if capped == 0:
                    return 0, dose, [f"no grade above {self.max_grade} in this phase"]
                notes.append(
                    f"grade {item.level(level).dose.grade} capped at {self.max_grade}: "
                    f"level {capped} instead of {level}"
                )
                level, dose = capped, item.level(capped).dose
        update: dict[str, int] = {}
        if self.sets_less and dose.sets and dose.sets > 1:
            update["sets"] = max(1, dose.sets - self.sets_less)
            notes.append(f"{update['sets']} set{'s' * (update['sets'] > 1)} instead of {dose.sets}")
        if self.bouts_less and dose.bouts and dose.bouts > 2:
            update["bouts"] = max(2, dose.bouts - self.bouts_less)
            notes.append(f"{update['bouts']} bouts instead of {dose.bouts}")
        if self.minutes_factor < 1 and dose.minutes and not item.is_education:
            shorter = max(2, math.floor(dose.minutes * self.minutes_factor + 0.5))
            if shorter < dose.minutes:
                update["minutes"] = shorter
                notes.append(f"{shorter} min instead of {dose.minutes}")
        return level, dose.model_copy(update=update) if update else dose, notes


def grade_rank(grade: str | None) -> int:
    """Order of Maitland grades (I < I-II < II < III < III-IV < IV < V); no grade ranks 0."""
    return 0 if grade is None else GRADES.index(grade) + 1


class Profile(_Model):
    label: Rating
    summary: str
    step_delay: int = Field(default=0, ge=0, le=8)
    start_at_level_1: bool = False
    phases: tuple[Phase, ...] = ()

    @model_validator(mode="after")
    def _ordered(self) -> Profile:
        ends = [p.until_session for p in self.phases]
        if ends != sorted(set(ends)):
            raise ValueError("phases must end at increasing sessions")
        return self

    def phase(self, session: int) -> tuple[Phase | None, int]:
        """The phase of ``session`` and its number (1-based; 0 = after the last phase)."""
        for number, phase in enumerate(self.phases, 1):
            if session <= phase.until_session:
                return phase, number
        return None, 0


class Severity(_Model):
    nprs: tuple[Band, ...] = Field(min_length=1)
    hoos_item_mean: tuple[Band, ...] = Field(min_length=1)


class IrritabilityFile(_Model):
    schema_version: Literal[1]
    version: str
    basis: Citation
    not_assessed: Rating
    severity: Severity
    provocation: dict[str, Rating]
    settling: dict[str, Rating]
    profiles: dict[Rating, Profile]

    @model_validator(mode="after")
    def _complete(self) -> IrritabilityFile:
        for name, table, literal in (("provocation", self.provocation, Provocation),
                                     ("settling", self.settling, Settling)):  # fmt: skip
            expected = set(get_args(literal))
            if set(table) != expected:
                raise ValueError(f"[{name}] must rate exactly {sorted(expected)}")
        if set(self.profiles) != set(RATINGS):
            raise ValueError("profiles low, moderate and high are all needed")
        return self


@dataclass(frozen=True)
class Indicator:
    name: str
    shown: str
    rating: Rating


@dataclass(frozen=True)
class Presentation:
    """The evaluation's severity and irritability, and the profile that follows from it."""

    level: Rating
    indicators: tuple[Indicator, ...]
    profile: Profile
    assessed: bool

    @property
    def summary(self) -> str:
        if not self.assessed:
            return (
                f"Severity and irritability not recorded: {self.level} profile used "
                "(record pain ratings and symptom behaviour to tailor the start)."
            )
        parts = "; ".join(f"{i.name} {i.shown} ({i.rating})" for i in self.indicators)
        return f"Irritability {self.level} (highest of: {parts}). {self.profile.summary}"


def _band(bands: tuple[Band, ...], value: float) -> Rating:
    return next((b.rating for b in bands if value <= b.up_to), bands[-1].rating)


def assess(evaluation: Evaluation, data: IrritabilityFile | None = None) -> Presentation:
    rules = data or load_irritability()
    found: list[Indicator] = []
    nprs = evaluation.low_back_pain.intensity_nprs
    if nprs is not None:
        found.append(Indicator("usual back pain", f"{nprs}/10", _band(rules.severity.nprs, nprs)))
    items = [v for v in evaluation.hip_pain.hoos_pain.items(1, 10).values() if v is not None]
    if items:
        mean = sum(items) / len(items)
        rating = _band(rules.severity.hoos_item_mean, mean)
        found.append(Indicator("hip pain (HOOS items)", f"mean {mean:.1f} of 4", rating))
    behaviour = evaluation.symptom_behaviour
    if behaviour.provoked_by is not None:
        text = behaviour.provoked_by.replace("_", " ")
        found.append(Indicator("provoked by", text, rules.provocation[behaviour.provoked_by]))
    if behaviour.settles_within is not None:
        text = behaviour.settles_within.replace("_", " ")
        found.append(Indicator("settles", text, rules.settling[behaviour.settles_within]))
    if not found:
        level = rules.not_assessed
        return Presentation(level, (), rules.profiles[level], assessed=False)
    level = max((i.rating for i in found), key=RATINGS.index)
    return Presentation(level, tuple(found), rules.profiles[level], assessed=True)


def parse_irritability(text: str) -> IrritabilityFile:
    try:
        return IrritabilityFile.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"irritability.toml: not TOML: {exc}") from None
    except ValidationError as exc:
        raise ConfigurationError(f"irritability.toml: {describe_errors(exc)}") from None


@cache
def load_irritability() -> IrritabilityFile:
    folder = resources.files("hipback.protocol") / "data"
    return parse_irritability((folder / "irritability.toml").read_text(encoding="utf-8"))


def phase_text(profile: Profile) -> Mapping[int, str]:
    """Each phase in words, by phase number (for the plan and the docs)."""
    out: dict[int, str] = {}
    start = 1
    for number, phase in enumerate(profile.phases, 1):
        parts = []
        if phase.max_grade:
            parts.append(f"grades up to {phase.max_grade}")
        if phase.sets_less:
            parts.append(f"{phase.sets_less} set fewer")
        if phase.bouts_less:
            parts.append(f"{phase.bouts_less} bout fewer")
        if phase.minutes_factor < 1:
            parts.append(f"timed items × {phase.minutes_factor:g}")
        if phase.max_items:
            parts.append(f"at most {phase.max_items} items")
        out[number] = f"sessions {start}-{phase.until_session}: " + ", ".join(
            parts or ["no change"]
        )
        start = phase.until_session + 1
    return out
