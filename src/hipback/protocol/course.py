"""The planned course over the sessions: level steps per category and the education topics.

``protocol/data/progression.toml``: per category, the first planned step (session number) and
one more level every so many sessions, up to the top of the item's ladder; and the sessions at
which each education topic is introduced (level 1) and reviewed (level 2 where it has one).
:func:`planned_level` gives an item's planned level at a session; a documented session's
response then adjusts it (``hipback.protocol.progression``).

NOT THE MASH PROTOCOL: MASH's progression criteria were not published; hipback defaults.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from hipback.errors import ConfigurationError
from hipback.protocol.catalog import (
    Catalog,
    Category,
    Citation,
    Intervention,
    describe_errors,
    load_catalog,
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Steps(_Model):
    first: int = Field(ge=2, le=40)
    every: int = Field(ge=1, le=40)
    why: str

    def steps_by(self, session: int, delay: int = 0) -> int:
        """How many planned steps have happened by ``session`` (inclusive)."""
        first = self.first + delay
        return 0 if session < first else 1 + (session - first) // self.every


class Talk(_Model):
    item: str
    sessions: tuple[int, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> Talk:
        if list(self.sessions) != sorted(set(self.sessions)) or self.sessions[0] < 1:
            raise ValueError(f"{self.item}: sessions must be increasing session numbers")
        return self

    def level_at(self, session: int) -> int | None:
        """1 at the first listed session, 2 (review) later; None when not given then."""
        if session not in self.sessions:
            return None
        return 1 if session == self.sessions[0] else 2


class CourseFile(_Model):
    schema_version: Literal[1]
    version: str
    basis: Citation
    steps: dict[Category, Steps]
    education: tuple[Talk, ...]

    def check(self, catalog: Catalog) -> None:
        problems: list[str] = []
        for talk in self.education:
            item = catalog.items.get(talk.item)
            if item is None or not item.is_education:
                problems.append(f"education item {talk.item!r} is not in the catalog")
        scheduled = {t.item for t in self.education}
        problems += [
            f"education item {i.id!r} has no sessions in [[education]]"
            for i in catalog
            if i.is_education and i.id not in scheduled
        ]
        if Category.EDUCATION in self.steps:
            problems.append("education is scheduled in [[education]], not by [steps]")
        if problems:
            raise ConfigurationError("progression.toml: " + "; ".join(problems))

    def talk(self, item_id: str) -> Talk | None:
        return next((t for t in self.education if t.item == item_id), None)


def planned_level(
    item: Intervention, start: int, session: int, course: CourseFile, delay: int = 0
) -> int:
    """The planned ladder level of ``item`` at ``session``: its starting level plus the steps
    of its category so far, at most the top of its ladder. Education: its topic schedule."""
    if item.is_education:
        talk = course.talk(item.id)
        level = None if talk is None else talk.level_at(session)
        return 0 if level is None else min(level, len(item.ladder))
    steps = course.steps.get(item.category)
    taken = 0 if steps is None else steps.steps_by(session, delay)
    return min(start + taken, len(item.ladder))


def parse_course(text: str, catalog: Catalog) -> CourseFile:
    try:
        parsed = CourseFile.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"progression.toml: not TOML: {exc}") from None
    except ValidationError as exc:
        raise ConfigurationError(f"progression.toml: {describe_errors(exc)}") from None
    parsed.check(catalog)
    return parsed


@cache
def load_course() -> CourseFile:
    text = (resources.files("hipback.protocol") / "data" / "progression.toml").read_text(
        encoding="utf-8"
    )
    return parse_course(text, load_catalog())
