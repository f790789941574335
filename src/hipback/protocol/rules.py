"""Tailoring rules as data: criteria (one threshold on one finding) and rules (criteria → items).

The rule file is ``protocol/data/tailoring_rules.toml``; :func:`load_rules` validates it
(``extra="forbid"``) and cross-checks every finding, criterion and intervention id it names.

A criterion may compare with an age- and sex-specific norm (``norm_sd_below``): below
mean − k × SD of the matching row of ``protocol/data/norms.toml`` (:func:`load_norms`); with no
matching row it uses its fixed ``value`` and says so (:meth:`Criterion.resolve`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
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
Sex = Literal["female", "male"]
PEOPLE = {"female": "women", "male": "men"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Norm(_Model):
    """Mean and SD of one finding in one sex and age band (``norms.toml``)."""

    finding: str
    sex: Sex
    age_min: int = Field(ge=18, le=120)
    age_max: int = Field(ge=18, le=120)
    mean: float
    sd: float = Field(gt=0)
    n: int = Field(ge=1)
    population: str
    citation: str
    confidence: Confidence
    note: str = ""

    @model_validator(mode="after")
    def _valid(self) -> Norm:
        if self.finding not in FINDINGS:
            raise ValueError(f"unknown finding {self.finding!r}")
        if self.age_min > self.age_max:
            raise ValueError("age_min is above age_max")
        return self

    def covers(self, age: int, sex: str) -> bool:
        return self.sex == sex and self.age_min <= age <= self.age_max


class NormFile(_Model):
    schema_version: Literal[1]
    version: str
    norms: tuple[Norm, ...]

    def find(self, finding: str, age: int | None, sex: str | None) -> Norm | None:
        if age is None or sex is None:
            return None
        return next((n for n in self.norms if n.finding == finding and n.covers(age, sex)), None)


@dataclass(frozen=True)
class Threshold:
    """A criterion's threshold for one patient: from a norm, or the fixed fallback value."""

    value: float | bool | str | None
    text: str
    source: str
    citation: str
    confidence: Confidence
    norm: Norm | None = None


class Criterion(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    finding: str
    op: Op
    value: float | bool | str | None = None
    #: compare with mean − k × SD of the patient's age/sex norm where one exists (else `value`)
    norm_sd_below: float | None = Field(default=None, gt=0, le=3)
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
        if self.norm_sd_below is not None and self.op not in ("<", "<="):
            raise ValueError("norm_sd_below needs op '<' or '<=' (below the norm)")
        return self

    def resolve(self, norms: NormFile | None, age: int | None, sex: str | None) -> Threshold:
        """The threshold for a patient of this age and sex, with where it comes from."""
        fixed = Threshold(self.value, self.threshold(), self.source, self.citation,
                          self.confidence)  # fmt: skip
        if self.norm_sd_below is None or age is None or sex is None:
            return fixed
        norm = norms.find(self.finding, age, sex) if norms is not None else None
        unit = with_unit(self.unit)
        k = f"{self.norm_sd_below:g} SD"
        if norm is None:
            who = f"{PEOPLE.get(sex, 'people')} aged {age}"
            return Threshold(
                self.value,
                f"{self.threshold()}; fixed, as no age/sex norm was found for {who}",
                self.source,
                self.citation,
                self.confidence,
            )
        limit = round(norm.mean - self.norm_sd_below * norm.sd, 1)
        return Threshold(
            limit,
            f"{self.op} {limit:g}{unit} = mean − {k} for {PEOPLE[norm.sex]} aged "
            f"{norm.age_min}-{norm.age_max}, {norm.mean:g} ± {norm.sd:g}{unit}",
            "age/sex norm",
            norm.citation,
            norm.confidence,
            norm,
        )

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
        if self.op == "nonempty":
            return f"{self.what}: any"
        if self.norm_sd_below is not None:
            k = f"{self.norm_sd_below:g} SD"
            return (
                f"{self.what} below the age/sex norm (mean − {k}); {self.threshold()} where no "
                "norm is found"
            )
        return f"{self.what} {self.threshold()}"


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


def parse_norms(text: str) -> NormFile:
    try:
        return NormFile.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"norms.toml: not TOML: {exc}") from None
    except ValidationError as exc:
        raise ConfigurationError(f"norms.toml: {describe_errors(exc)}") from None


@cache
def load_norms() -> NormFile:
    """Age- and sex-specific norms for findings (``protocol/data/norms.toml``)."""
    text = (resources.files("hipback.protocol") / "data" / "norms.toml").read_text(encoding="utf-8")
    return parse_norms(text)


@cache
def load_rules() -> RuleFile:
    text = (resources.files("hipback.protocol") / "data" / "tailoring_rules.toml").read_text(
        encoding="utf-8"
    )
    return parse_rules(text)
