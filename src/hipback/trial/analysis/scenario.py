"""Simulation scenarios as data (``data/mash_scenario.toml``), validated by pydantic models.

Each block lists its sources with a confidence mark; :meth:`Scenario.unverified_fields` says
which numbers are not verified so reports can show them as such.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from hipback.core import Confidence, Source
from hipback.errors import ConfigurationError, InvalidInput, Problem


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceSpec(_Model):
    fields: list[str] = Field(min_length=1)
    citation: str = Field(min_length=1)
    confidence: Confidence
    note: str = ""

    def to_source(self) -> Source:
        return Source(self.citation, self.confidence, self.note)


class DesignSpec(_Model):
    n: int = Field(ge=8, le=100_000)
    arms: list[str] = Field(min_length=2, max_length=2)  # control first, then treated
    block_size: int = Field(ge=2, le=64)
    sites: list[str] = Field(min_length=1)
    site_proportions: list[float]
    female_proportion: float = Field(gt=0.0, lt=1.0)
    visits: list[str] = Field(min_length=1, max_length=8)
    sources: list[SourceSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> DesignSpec:
        if len(self.site_proportions) != len(self.sites):
            raise ValueError("site_proportions needs one value per site")
        if abs(sum(self.site_proportions) - 1.0) > 1e-6 or min(self.site_proportions) <= 0:
            raise ValueError("site_proportions must be positive and sum to 1")
        if self.block_size % len(self.arms):
            raise ValueError("block_size must be a multiple of the number of arms")
        for name, values in (("arms", self.arms), ("sites", self.sites), ("visits", self.visits)):
            if len(set(values)) != len(values):
                raise ValueError(f"{name} must be distinct")
        return self


class OutcomeSpec(_Model):
    label: str
    lower_is_better: bool
    scale_min: float
    scale_max: float
    decimals: int = Field(ge=0, le=6)
    baseline_mean: float
    baseline_sd: float = Field(gt=0.0)
    control_change: list[float]
    effect: list[float]
    change_sd: list[float]
    correlation: float = Field(gt=-1.0, lt=1.0)
    baseline_slope: float
    site_effects: list[float]
    female_effect: float
    sources: list[SourceSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> OutcomeSpec:
        if not self.scale_min < self.baseline_mean < self.scale_max:
            raise ValueError("baseline_mean must lie inside [scale_min, scale_max]")
        if min(self.change_sd) <= 0:
            raise ValueError("change_sd must be positive")
        return self


class MissingSpec(_Model):
    no_followup: float = Field(ge=0.0, lt=1.0)
    dropout: list[float]
    dropout_slope: float
    intermittent: float = Field(ge=0.0, lt=1.0)
    sources: list[SourceSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> MissingSpec:
        if any(not 0.0 <= p < 1.0 for p in self.dropout):
            raise ValueError("dropout rates must be in [0, 1)")
        return self


class Scenario(_Model):
    schema_version: int = Field(ge=1, le=1)
    name: str
    design: DesignSpec
    outcomes: dict[str, OutcomeSpec] = Field(min_length=1)
    missing: MissingSpec

    @model_validator(mode="after")
    def _lengths(self) -> Scenario:
        t = len(self.design.visits)
        if len(self.missing.dropout) != t:
            raise ValueError("missing.dropout needs one rate per visit")
        for key, o in self.outcomes.items():
            for name in ("control_change", "effect", "change_sd"):
                if len(getattr(o, name)) != t:
                    raise ValueError(f"outcomes.{key}.{name} needs one value per visit")
            if len(o.site_effects) != len(self.design.sites):
                raise ValueError(f"outcomes.{key}.site_effects needs one value per site")
        return self

    def outcome(self, key: str) -> OutcomeSpec:
        if key not in self.outcomes:
            raise InvalidInput.one("--outcome", key, ", ".join(self.outcomes))
        return self.outcomes[key]

    def unverified_fields(self, outcome: str) -> list[str]:
        """Names of numbers used for ``outcome`` whose source is not verified."""
        specs = [*self.design.sources, *self.outcome(outcome).sources, *self.missing.sources]
        return sorted({f for s in specs if not s.confidence.is_verified for f in s.fields})


def load_scenario(path: Path | None = None) -> Scenario:
    """The bundled MASH-like scenario, or a user's TOML file with the same schema."""
    try:
        if path is None:
            text = resources.files("hipback.trial.analysis").joinpath("data/mash_scenario.toml")
            raw = tomllib.loads(text.read_text(encoding="utf-8"))
        else:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput.one("--scenario", str(path), "a readable TOML file", str(exc)) from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput.one("--scenario", str(path), "valid TOML", str(exc)) from None
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        problems = [
            Problem(".".join(str(p) for p in e["loc"]) or "scenario", e.get("input"), e["msg"])
            for e in exc.errors()
        ]
        if path is None:
            raise ConfigurationError(f"bundled scenario is invalid: {problems}") from None
        raise InvalidInput(problems) from None
