"""Screening rules as versioned data files (``screening/rulesets/*.toml``) and their schema.

A rule is a *condition* on one or more evaluation fields: ``fields`` are dotted paths into the
:class:`~hipback.screening.evaluation.Evaluation` (``{side}`` expands to left and right) or
``derived:<name>`` quantities computed in :mod:`hipback.screening.quantities`; ``operator`` and
``threshold`` say when the condition holds; ``combine`` says how several values combine ("any":
it holds if it holds for one of them, e.g. *weak in at least one hip*).

Clinicians change thresholds, operators and wording here, never in code. Every rule carries its
source and confidence (✅ verified / ⚠️ uncertain / ❌ unverified, as in ``mash.md``).
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from hipback.core import Confidence, Source
from hipback.errors import ConfigurationError

RULESET_SCHEMA_VERSION = 1
_M = TypeVar("_M", bound=BaseModel)

Operator = Literal["<", "<=", ">", ">=", "between", "in", "is_true", "is_false", "nonempty"]
Threshold = float | list[float] | list[str] | None


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Data):
    id: str = Field(pattern=r"^[A-Z][A-Za-z0-9]*$")
    text: str = Field(min_length=3, description="The rule as a clinician reads it.")
    fields: list[str] = Field(min_length=1)
    operator: Operator
    threshold: Threshold = None
    unit: str = ""
    combine: Literal["any", "all"] = "any"
    source: str
    confidence: Confidence
    note: str = ""

    @model_validator(mode="after")
    def _threshold_fits_operator(self) -> Condition:
        t = self.threshold
        if self.operator in ("is_true", "is_false", "nonempty"):
            ok = t is None
        elif self.operator == "between":
            ok = isinstance(t, list) and len(t) == 2 and all(isinstance(v, int | float) for v in t)
        elif self.operator == "in":
            ok = isinstance(t, list) and len(t) > 0
        else:
            ok = isinstance(t, int | float)
        if not ok:
            raise ValueError(f"threshold {t!r} does not suit operator {self.operator!r}")
        return self

    def source_info(self) -> Source:
        return Source(self.source, self.confidence, self.note)


class Criterion(Condition):
    kind: Literal["inclusion", "exclusion"]


class RedFlag(Condition):
    action: Literal["refer"] = "refer"


class UnknownRule(_Data):
    """A rule the source is known to have but whose content was not found (❌)."""

    id: str
    text: str
    confidence: Confidence
    source: str


class Subgroups(_Data):
    """Which criteria define 'weak' and 'painful' for the cohort subgroup (Hicks 2021)."""

    weak: str
    painful: str
    source: str
    confidence: Confidence
    note: str = ""


class EligibilityRuleset(_Data):
    schema_version: Literal[1]
    id: str
    title: str
    version: str
    criteria: list[Criterion] = Field(min_length=1)
    unknown: list[UnknownRule] = []
    subgroups: Subgroups

    @model_validator(mode="after")
    def _ids(self) -> EligibilityRuleset:
        ids = [c.id for c in self.criteria]
        if len(set(ids)) != len(ids):
            raise ValueError("criterion ids must be unique")
        for ref in (self.subgroups.weak, self.subgroups.painful):
            if ref not in ids:
                raise ValueError(f"subgroups refers to unknown criterion {ref!r}")
        return self


class RedFlagRuleset(_Data):
    schema_version: Literal[1]
    id: str
    title: str
    version: str
    flags: list[RedFlag] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids(self) -> RedFlagRuleset:
        ids = [f.id for f in self.flags]
        if len(set(ids)) != len(ids):
            raise ValueError("red flag ids must be unique")
        return self


def _parse(model: type[_M], text: str, origin: str) -> _M:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{origin}: not valid TOML: {exc}") from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigurationError(f"{origin}: {where}: {first['msg']}") from exc


def _read(name: str) -> str:
    return (resources.files("hipback.screening") / "rulesets" / f"{name}.toml").read_text(
        encoding="utf-8"
    )


def parse_eligibility(text: str, origin: str = "<text>") -> EligibilityRuleset:
    return _parse(EligibilityRuleset, text, origin)


def parse_red_flags(text: str, origin: str = "<text>") -> RedFlagRuleset:
    return _parse(RedFlagRuleset, text, origin)


@cache
def load_eligibility(name: str = "mash_eligibility") -> EligibilityRuleset:
    return parse_eligibility(_read(name), f"screening/rulesets/{name}.toml")


@cache
def load_red_flags(name: str = "red_flags") -> RedFlagRuleset:
    return parse_red_flags(_read(name), f"screening/rulesets/{name}.toml")
