"""PROMIS-29 v2.1 raw-sum → T-score tables, loaded from ``data/tables/promis29.toml``.

The tables are data a clinician must be able to check and correct against the HealthMeasures
scoring manual, so they live in a versioned TOML file validated here (17 values per 4-item
domain, raw 4 → 20, non-decreasing). ⚠️ Every value is unverified (public code citing the manual).
The domain definitions (keys, item ids, direction) are shared by PROMIS-29 and the NIH RTF
Impact Stratification Score, which is built from PROMIS-29 items.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from hipback.core import Confidence
from hipback.errors import ConfigurationError
from hipback.measures.base import FloatArray
from hipback.measures.spec import Direction, LoincSpec

TABLES_SCHEMA_VERSION = 1
ITEMS_PER_DOMAIN = 4


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Alternative(_Model):
    """A value another source gives for one raw sum (a known discrepancy)."""

    raw: int
    t_score: float
    source: str


class DomainTable(_Model):
    key: str
    name: str
    direction: Direction
    items: tuple[str, ...]
    raw_min: int
    t_scores: tuple[float, ...]
    se: tuple[float, ...] = ()
    loinc: LoincSpec | None = None
    alternatives: tuple[Alternative, ...] = ()
    notes: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> DomainTable:
        if len(self.items) != ITEMS_PER_DOMAIN or len(set(self.items)) != ITEMS_PER_DOMAIN:
            raise ValueError(f"{self.key}: needs {ITEMS_PER_DOMAIN} distinct item ids")
        expected = self.raw_max - self.raw_min + 1
        if len(self.t_scores) != expected:
            raise ValueError(f"{self.key}: {len(self.t_scores)} T-scores; expected {expected}")
        if self.se and len(self.se) != expected:
            raise ValueError(f"{self.key}: {len(self.se)} SE values; expected {expected}")
        if any(b < a for a, b in zip(self.t_scores, self.t_scores[1:], strict=False)):
            raise ValueError(f"{self.key}: T-scores must not decrease as the raw sum rises")
        for alt in self.alternatives:
            if not self.raw_min <= alt.raw <= self.raw_max:
                raise ValueError(f"{self.key}: alternative for raw {alt.raw} is out of range")
        return self

    @property
    def raw_max(self) -> int:
        return self.raw_min + 4 * ITEMS_PER_DOMAIN

    def t_score(self, raw: int) -> float:
        return self.t_scores[raw - self.raw_min]

    def lookup(self, raw: FloatArray, values: tuple[float, ...] | None = None) -> FloatArray:
        """Vectorised lookup; NaN where the raw sum is missing or not a tabled whole number."""
        table = np.asarray(self.t_scores if values is None else values, dtype=np.float64)
        out = np.full(raw.shape, np.nan)
        with np.errstate(invalid="ignore"):
            valid = (raw >= self.raw_min) & (raw <= self.raw_max) & (raw == np.floor(raw))
        out[valid] = table[raw[valid].astype(np.int64) - self.raw_min]
        return out


class PainIntensity(_Model):
    key: str
    item: str
    min: int
    max: int
    loinc: LoincSpec | None = None
    notes: tuple[str, ...] = ()


class PromisTables(_Model):
    schema_version: int
    instrument: str
    version: str
    manual: str
    citation: str
    confidence: Confidence
    domains: tuple[DomainTable, ...]
    pain_intensity: PainIntensity

    @model_validator(mode="after")
    def _consistent(self) -> PromisTables:
        if self.schema_version != TABLES_SCHEMA_VERSION:
            raise ValueError(f"schema_version {self.schema_version}; expected 1")
        keys = [d.key for d in self.domains]
        if len(keys) != len(set(keys)):
            raise ValueError("duplicate domain keys")
        items = [i for d in self.domains for i in d.items] + [self.pain_intensity.item]
        if len(items) != len(set(items)):
            raise ValueError("an item id appears in more than one domain")
        return self

    def domain(self, key: str) -> DomainTable:
        for d in self.domains:
            if d.key == key:
                return d
        raise KeyError(key)

    @property
    def item_ids(self) -> tuple[str, ...]:
        """Every item id in profile order: the domains in file order, then pain intensity."""
        return (*(i for d in self.domains for i in d.items), self.pain_intensity.item)


def parse_tables(text: str, origin: str) -> PromisTables:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{origin}: not valid TOML: {exc}") from exc
    try:
        return PromisTables.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigurationError(f"{origin}: {where}: {first['msg']}") from exc


@cache
def load_tables() -> PromisTables:
    """The shipped PROMIS-29 tables (validated)."""
    ref = resources.files("hipback.measures") / "data" / "tables" / "promis29.toml"
    return parse_tables(ref.read_text(encoding="utf-8"), "measures/data/tables/promis29.toml")
