"""The intervention catalog: every technique and exercise of both arms, as versioned data.

The catalog lives in ``protocol/data/catalog/*.toml`` (one file per category) so clinicians can
review and edit it; :func:`load_catalog` validates every file against the schema below
(``extra="forbid"``) and names the file and field of any error.

MASH published the *components* of each arm but not the named techniques, doses or progression
criteria (``mash.md`` §4.2, ❌). Every dose here therefore says where it comes from:
``source = "MASH"`` only for what the trial reported, ``source = "hipback default"`` for our
clinically standard choice, with its citation and confidence.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from hipback.core import Confidence
from hipback.errors import ConfigurationError, NotFound

SCHEMA_VERSION = 1


class Arm(StrEnum):
    HIP = "hip"
    SPINE = "spine"


class Category(StrEnum):
    """In session order: manual therapy first, then flexibility, strength, trunk, aerobic, and
    education (a short talk with a take-home summary, in both arms)."""

    HIP_MOBILISATION = "hip_mobilisation"
    LUMBAR_MANUAL = "lumbar_manual"
    HIP_FLEXIBILITY = "hip_flexibility"
    HIP_STRENGTHENING = "hip_strengthening"
    TRUNK_TRAINING = "trunk_training"
    LUMBAR_FLEXIBILITY = "lumbar_flexibility"
    AEROBIC = "aerobic"
    EDUCATION = "education"


class Condition(StrEnum):
    """Health conditions that trigger a precaution; derived from the evaluation."""

    OSTEOPOROSIS = "osteoporosis"
    HIP_REPLACEMENT_POSTERIOR = "hip_replacement_posterior"
    HIP_REPLACEMENT_OTHER = "hip_replacement_other"
    ANTICOAGULATION = "anticoagulation"
    LUMBAR_STENOSIS = "lumbar_stenosis"
    CANNOT_KNEEL = "cannot_kneel"
    FALL_RISK = "fall_risk"
    CARDIOVASCULAR = "cardiovascular"
    LUMBAR_HYPERMOBILITY = "lumbar_hypermobility"


#: manual = the therapist's hands; supervised = exercise in the clinic; home = the home
#: programme; education = a talk in the clinic (its key points are the patient's summary).
Delivery = Literal["manual", "supervised", "home", "education"]
Source = Literal["MASH", "hipback default"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Dose(_Model):
    """One prescription. Exercises use sets/reps/hold; manual techniques grade/bouts."""

    sets: int | None = Field(default=None, ge=1, le=6)
    reps: int | None = Field(default=None, ge=1, le=30)
    hold_s: int | None = Field(default=None, ge=1, le=120)
    minutes: int | None = Field(default=None, ge=1, le=60)
    #: None only for education (a talk in the clinic, not a weekly prescription)
    per_week: int | None = Field(default=None, ge=1, le=7)
    load: str = ""
    grade: str | None = None
    bouts: int | None = Field(default=None, ge=1, le=10)
    bout_s: int | None = Field(default=None, ge=5, le=120)
    effort: str = ""

    @model_validator(mode="after")
    def _has_amount(self) -> Dose:
        if not (self.reps or self.hold_s or self.minutes or self.bouts):
            raise ValueError("a dose needs reps, hold_s, minutes or bouts")
        if self.grade is not None and self.grade not in GRADES:
            raise ValueError(f"grade {self.grade!r} is not one of {', '.join(GRADES)}")
        return self

    def describe(self) -> str:
        """Short clinician text, e.g. '2 × 10 reps, yellow band, 3×/week'."""
        parts: list[str] = []
        if self.grade:
            parts.append(f"Maitland grade {self.grade}")
        if self.bouts and self.bout_s:
            parts.append(f"{self.bouts} × {self.bout_s} s")
        elif self.bouts:
            parts.append(f"{self.bouts} bout" + ("s" if self.bouts > 1 else ""))
        amount = ""
        if self.reps and self.hold_s:
            amount = f"{self.reps} reps, {self.hold_s} s hold"
        elif self.reps:
            amount = f"{self.reps} reps"
        elif self.hold_s:
            amount = f"{self.hold_s} s hold"
        if amount:
            parts.append(f"{self.sets} × {amount}" if self.sets else amount)
        if self.minutes:
            parts.append(f"{self.minutes} min")
        if self.load:
            parts.append(self.load)
        if self.effort:
            parts.append(self.effort)
        if self.per_week is not None:
            parts.append(f"{self.per_week}×/week")
        return ", ".join(parts)


GRADES = ("I", "I-II", "II", "III", "III-IV", "IV", "V")


class Level(_Model):
    level: int = Field(ge=1, le=8)
    name: str
    dose: Dose
    up: str = Field(description="criterion to move to the next level")
    down: str = Field(description="criterion to move back a level")


class Precaution(_Model):
    condition: Condition
    action: Literal["exclude", "modify"]
    note: str


class Citation(_Model):
    source: Source
    citation: str
    confidence: Confidence


class Intervention(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    patient_name: str
    arms: tuple[Arm, ...] = Field(min_length=1)
    category: Category
    delivery: tuple[Delivery, ...] = Field(min_length=1)
    side_specific: bool
    #: the dose is done on each side although the item is not chosen per side (side plank)
    each_side: bool = False
    targets: tuple[str, ...] = Field(min_length=1)
    start_level: int = Field(default=1, ge=1)
    ladder: tuple[Level, ...] = Field(min_length=1)
    instructions: tuple[str, ...] = Field(min_length=2, max_length=8)
    precautions: tuple[Precaution, ...] = ()
    #: does MASH report this component in these arms (source "MASH"), or is it our addition?
    component: Citation
    #: where the starting dose and ladder come from (MASH published none: mash.md §4.2 ❌)
    dose_source: Citation
    evidence: str

    @model_validator(mode="after")
    def _consistent(self) -> Intervention:
        numbers = [lv.level for lv in self.ladder]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"ladder levels must be 1..n in order, got {numbers}")
        if self.start_level > len(self.ladder):
            raise ValueError(f"start_level {self.start_level} is above the top level")
        if "manual" in self.delivery and len(self.delivery) > 1:
            raise ValueError("a manual technique is delivered by the therapist only")
        education = self.category is Category.EDUCATION
        if education != (self.delivery == ("education",)):
            raise ValueError("education items, and only they, have delivery ['education']")
        for lv in self.ladder:
            if education and (lv.dose.minutes is None or lv.dose.per_week is not None):
                raise ValueError(f"level {lv.level}: an education dose is minutes, not per_week")
            if not education and lv.dose.per_week is None:
                raise ValueError(f"level {lv.level}: per_week is required (days a week)")
        for step in self.instructions:
            if len(step) > 160:
                raise ValueError(f"instruction step too long for large print: {step[:40]}...")
        return self

    @property
    def is_manual(self) -> bool:
        return self.delivery == ("manual",)

    @property
    def is_education(self) -> bool:
        return self.delivery == ("education",)

    @property
    def start(self) -> Level:
        return self.ladder[self.start_level - 1]

    def level(self, number: int) -> Level:
        return self.ladder[number - 1]

    def precaution_for(self, condition: Condition) -> Precaution | None:
        return next((p for p in self.precautions if p.condition is condition), None)


class CatalogFile(_Model):
    schema_version: Literal[1]
    version: str
    category: Category
    interventions: tuple[Intervention, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_category(self) -> CatalogFile:
        wrong = [i.id for i in self.interventions if i.category is not self.category]
        if wrong:
            raise ValueError(f"entries not in category {self.category.value}: {wrong}")
        return self


@dataclass(frozen=True)
class Catalog:
    """All interventions by id, with the version of each source file."""

    items: Mapping[str, Intervention]
    versions: Mapping[str, str]

    def __iter__(self) -> Iterator[Intervention]:
        return iter(self.items.values())

    def __len__(self) -> int:
        return len(self.items)

    def get(self, intervention_id: str) -> Intervention:
        try:
            return self.items[intervention_id]
        except KeyError:
            raise NotFound(f"no intervention {intervention_id!r} in the catalog") from None

    @property
    def version(self) -> str:
        return "+".join(f"{k}@{v}" for k, v in sorted(self.versions.items()))


def describe_errors(exc: ValidationError) -> str:
    """pydantic errors as 'field.path: message' pairs, for clinicians editing data files."""
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc']) or '(file)'}: {err['msg']}" for err in exc.errors()
    )


def parse_catalog_file(name: str, text: str) -> CatalogFile:
    try:
        return CatalogFile.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"catalog file {name}: not TOML: {exc}") from None
    except ValidationError as exc:
        raise ConfigurationError(f"catalog file {name}: {describe_errors(exc)}") from None


@cache
def load_catalog() -> Catalog:
    folder = resources.files("hipback.protocol") / "data" / "catalog"
    items: dict[str, Intervention] = {}
    versions: dict[str, str] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        parsed = parse_catalog_file(entry.name, entry.read_text(encoding="utf-8"))
        versions[entry.name.removesuffix(".toml")] = parsed.version
        for item in parsed.interventions:
            if item.id in items:
                raise ConfigurationError(f"catalog file {entry.name}: duplicate id {item.id!r}")
            items[item.id] = item
    return Catalog(items=items, versions=versions)
