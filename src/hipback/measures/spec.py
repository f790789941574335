"""Instrument specifications as versioned data files (``measures/data/*.toml``).

Everything a clinician may need to review or correct (item topics, ranges, MCID/MDC, norms,
LOINC, licence, sources and their confidence) lives in one TOML file per instrument; the
scoring arithmetic lives in the instrument's module. ``load_spec`` validates a file against
the schema below and names the file and field of any error.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from hipback.core import Confidence, Source
from hipback.errors import ConfigurationError

SCHEMA_VERSION = 1

Kind = Literal["questionnaire", "performance", "rating", "measurement"]
Direction = Literal["higher_is_worse", "higher_is_better"]
LicenceStatus = Literal[
    "public_domain", "free_with_terms", "free_noncommercial", "licence_required", "unclear"
]
ThresholdKind = Literal["mcid", "mic", "mdc", "sdc"]
Sex = Literal["female", "male", "any"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceSpec(_Model):
    citation: str
    confidence: Confidence
    note: str = ""

    def to_source(self) -> Source:
        return Source(self.citation, self.confidence, self.note)


class ItemSpec(_Model):
    """One item: a short topic label only, never the copyrighted wording."""

    id: str
    topic: str
    min: float
    max: float
    scored: bool = True
    #: True when a higher answer means *less* of what the headline score measures
    reverse: bool = False


class LicenceSpec(_Model):
    holder: str
    status: LicenceStatus
    terms: str
    confidence: Confidence


class LoincSpec(_Model):
    code: str
    display: str
    confidence: Confidence


class ThresholdSpec(_Model):
    """A change threshold. ``value`` is in score units; ``relative`` a fraction of baseline."""

    kind: ThresholdKind
    value: float | None = Field(default=None, gt=0)
    relative: float | None = Field(default=None, gt=0, lt=1)
    population: str
    citation: str
    confidence: Confidence
    primary: bool = False
    subscore: str | None = None

    @model_validator(mode="after")
    def _has_a_value(self) -> ThresholdSpec:
        if self.value is None and self.relative is None:
            raise ValueError("a threshold needs value, relative or both")
        return self

    @property
    def source(self) -> Source:
        return Source(self.citation, self.confidence, self.population)


class NormSpec(_Model):
    """One row of a norms or threshold table.

    ``kind="band"``: a score in [low, high] (either open) falls in ``category``.
    ``kind="reference"``: ``value`` is the reference (e.g. mean) for the age/sex group.
    """

    table: str
    kind: Literal["band", "reference"]
    category: str
    sex: Sex = "any"
    age_min: float | None = None
    age_max: float | None = None
    low: float | None = None
    high: float | None = None
    value: float | None = None
    subscore: str | None = None
    citation: str
    confidence: Confidence

    @model_validator(mode="after")
    def _consistent(self) -> NormSpec:
        if self.kind == "band" and self.low is None and self.high is None:
            raise ValueError("a band needs low, high or both")
        if self.kind == "reference" and self.value is None:
            raise ValueError("a reference row needs value")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low {self.low} > high {self.high}")
        return self

    def applies_to(self, age: float | None, sex: str | None) -> bool:
        if self.sex != "any" and sex != self.sex:
            return False
        if self.age_min is not None or self.age_max is not None:
            if age is None:
                return False
            if self.age_min is not None and age < self.age_min:
                return False
            if self.age_max is not None and age >= self.age_max + 1:
                return False
        return True


class InstrumentSpec(_Model):
    schema_version: int
    id: str
    name: str
    short_name: str
    version: str
    kind: Kind
    unit: str
    score_min: float
    score_max: float
    direction: Direction
    #: direction of subscores that differ from ``direction`` (e.g. PROMIS-29 function domains)
    subscore_directions: dict[str, Direction] = Field(default_factory=dict)
    summary: str
    missing_rule: str
    missing_rule_confidence: Confidence
    scoring_source: SourceSpec
    licence: LicenceSpec
    loinc: LoincSpec | None = None
    items: tuple[ItemSpec, ...] = ()
    inputs: dict[str, str] = Field(default_factory=dict)
    thresholds: tuple[ThresholdSpec, ...] = ()
    norms: tuple[NormSpec, ...] = ()
    notes: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> InstrumentSpec:
        if self.schema_version != SCHEMA_VERSION:
            raise ValueError(f"schema_version {self.schema_version}; expected {SCHEMA_VERSION}")
        if self.score_min > self.score_max:
            raise ValueError("score_min > score_max")
        ids = [item.id for item in self.items]
        if len(ids) != len(set(ids)):
            raise ValueError("duplicate item ids")
        primaries: dict[str | None, int] = {}
        for t in self.thresholds:
            if t.primary and t.kind in ("mcid", "mic"):
                primaries[t.subscore] = primaries.get(t.subscore, 0) + 1
        if any(n > 1 for n in primaries.values()):
            raise ValueError("more than one primary MCID for the same score")
        return self

    def direction_of(self, subscore: str | None) -> Direction:
        """Direction of the headline score (``None``) or of a named subscore."""
        if subscore is None:
            return self.direction
        return self.subscore_directions.get(subscore, self.direction)

    def primary_threshold(
        self, kinds: tuple[str, ...], subscore: str | None = None
    ) -> ThresholdSpec | None:
        """The primary threshold of these kinds, else the first listed, else None."""
        found = [t for t in self.thresholds if t.kind in kinds and t.subscore == subscore]
        for t in found:
            if t.primary:
                return t
        return found[0] if found else None


def parse_spec(text: str, origin: str) -> InstrumentSpec:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{origin}: not valid TOML: {exc}") from exc
    try:
        return InstrumentSpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigurationError(f"{origin}: {where}: {first['msg']}") from exc


@cache
def load_spec(instrument_id: str) -> InstrumentSpec:
    """Load and validate ``measures/data/<instrument_id>.toml`` shipped with the package."""
    ref = resources.files("hipback.measures") / "data" / f"{instrument_id}.toml"
    spec = parse_spec(ref.read_text(encoding="utf-8"), f"measures/data/{instrument_id}.toml")
    if spec.id != instrument_id:
        raise ConfigurationError(f"measures/data/{instrument_id}.toml: id is {spec.id!r}")
    return spec
