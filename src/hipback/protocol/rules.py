"""Tailoring rules as data: criteria (one threshold on one finding) and rules (criteria → items).

The rule file is ``protocol/data/tailoring_rules.toml``; :func:`load_rules` validates it
(``extra="forbid"``) and cross-checks every finding, criterion and intervention id it names.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from hipback.core import Confidence
from hipback.errors import ConfigurationError
from hipback.protocol.catalog import (
    Arm,
    Catalog,
    Category,
    Citation,
    describe_errors,
    load_catalog,
)
from hipback.protocol.findings import FINDINGS

Op = Literal["<", "<=", ">", ">=", "==", "nonempty"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Criterion(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    finding: str
    op: Op
    value: float | bool | str | None = None
    source: Literal["MASH", "hipback default"]
    citation: str
    confidence: Confidence

    @model_validator(mode="after")
    def _valid(self) -> Criterion:
        if self.finding not in FINDINGS:
            raise ValueError(f"unknown finding {self.finding!r}")
        if (self.op == "nonempty") != (self.value is None):
            raise ValueError("op 'nonempty' takes no value; every other op needs one")
        if self.op in ("<", "<=", ">", ">=") and (
            isinstance(self.value, bool) or not isinstance(self.value, int | float)
        ):
            raise ValueError(f"op {self.op!r} needs a number")
        return self

    @property
    def per_side(self) -> bool:
        return self.finding.startswith("hip.")

    @property
    def what(self) -> str:
        return FINDINGS[self.finding][1]

    @property
    def unit(self) -> str:
        return FINDINGS[self.finding][0]

    def threshold(self) -> str:
        """The test alone, e.g. '< 30°', '= capsular', 'any'."""
        if self.op == "nonempty":
            return "any"
        if isinstance(self.value, bool | str) or self.value is None:
            return f"= {str(self.value).lower()}"
        return f"{self.op} {self.value:g}{with_unit(self.unit)}"

    def describe(self) -> str:
        """E.g. 'passive hip internal rotation < 30°'."""
        return f"{self.what} {self.threshold()}" if self.op != "nonempty" else f"{self.what}: any"


def with_unit(unit: str) -> str:
    return "" if not unit else unit if unit == "°" else f" {unit}"


class Rule(_Model):
    id: str = Field(pattern=r"^[A-Z]+(-[A-Z0-9]+)+$")
    arm: Literal["hip", "spine", "both"]
    title: str
    when: Literal["any", "all", "always"]
    criteria: tuple[str, ...] = ()
    interventions: tuple[str, ...] = Field(min_length=1)
    level: int | None = Field(default=None, ge=1)
    basis: Citation

    @model_validator(mode="after")
    def _criteria(self) -> Rule:
        if (self.when == "always") != (not self.criteria):
            raise ValueError("'always' rules take no criteria; 'any'/'all' rules need some")
        return self

    def applies_to(self, arm: Arm) -> bool:
        return self.arm in ("both", arm.value)


class RuleFile(_Model):
    schema_version: Literal[1]
    version: str
    #: most items of one category per session, per arm, so a plan fits a 60-minute visit
    #: (MASH: one-hour sessions, mash.md §1 ✅; the split is hipback's). Lower-priority items
    #: beyond the limit are listed as deferred, not dropped silently.
    limits: dict[Literal["hip", "spine"], dict[Category, int]]
    home_limits: dict[Literal["hip", "spine"], int]
    limits_basis: Citation
    criteria: tuple[Criterion, ...]
    rules: tuple[Rule, ...]

    def criterion(self, criterion_id: str) -> Criterion:
        return next(c for c in self.criteria if c.id == criterion_id)

    def check_references(self, catalog: Catalog) -> None:
        known = {c.id for c in self.criteria}
        problems: list[str] = []
        if len(known) != len(self.criteria):
            problems.append("duplicate criterion id")
        if len({r.id for r in self.rules}) != len(self.rules):
            problems.append("duplicate rule id")
        for rule in self.rules:
            problems += [
                f"{rule.id}: unknown criterion {c!r}" for c in rule.criteria if c not in known
            ]
            for item_id in rule.interventions:
                item = catalog.items.get(item_id)
                if item is None:
                    problems.append(f"{rule.id}: unknown intervention {item_id!r}")
                    continue
                arms = (Arm.HIP, Arm.SPINE) if rule.arm == "both" else (Arm(rule.arm),)
                wrong = [a.value for a in arms if a not in item.arms]
                if wrong:
                    problems.append(f"{rule.id}: {item_id} is not in the {'/'.join(wrong)} arm")
                if rule.level is not None and rule.level > len(item.ladder):
                    problems.append(f"{rule.id}: {item_id} has no level {rule.level}")
        unused = known - {c for r in self.rules for c in r.criteria}
        problems += [f"criterion {c!r} is used by no rule" for c in sorted(unused)]
        if problems:
            raise ConfigurationError("tailoring_rules.toml: " + "; ".join(problems))


def parse_rules(text: str, catalog: Catalog | None = None) -> RuleFile:
    try:
        parsed = RuleFile.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"tailoring_rules.toml: not TOML: {exc}") from None
    except ValidationError as exc:
        raise ConfigurationError(f"tailoring_rules.toml: {describe_errors(exc)}") from None
    parsed.check_references(catalog or load_catalog())
    return parsed


@cache
def load_rules() -> RuleFile:
    text = (resources.files("hipback.protocol") / "data" / "tailoring_rules.toml").read_text(
        encoding="utf-8"
    )
    return parse_rules(text)
