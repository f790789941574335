"""The uniform shape of every instrument: validate, compute (vectorised), interpret.

Every instrument is a :class:`Measure`. It declares its inputs (questionnaire items from its
spec file, or named fields for performance tests), and one vectorised ``compute`` that turns a
column-per-input batch into scores. Single-response scoring is the batch path with one row plus
detailed validation, so ``score()`` and ``score_batch()`` agree by construction, and tests check it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import numpy as np
import numpy.typing as npt

from hipback.core import Confidence, Source
from hipback.errors import InvalidInput, Problem
from hipback.measures.spec import InstrumentSpec, NormSpec, load_spec

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
ObjArray = npt.NDArray[np.object_]

SEXES = ("female", "male")


@dataclass(frozen=True)
class Patient:
    """What interpretation needs to know about the person: age in years and sex."""

    age: float | None = None
    sex: Literal["female", "male"] | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> Patient:
        if data is None:
            return cls()
        problems: list[Problem] = []
        age = data.get("age")
        sex = data.get("sex")
        if age is not None and (
            isinstance(age, bool) or not isinstance(age, int | float) or not 18 <= age <= 120
        ):
            problems.append(Problem("patient.age", age, "a number of years from 18 to 120"))
        if sex is not None and sex not in SEXES:
            problems.append(Problem("patient.sex", sex, "'female' or 'male'"))
        unknown = sorted(set(data) - {"age", "sex"})
        problems += [Problem(f"patient.{k}", data[k], "only 'age' and 'sex'") for k in unknown]
        if problems:
            raise InvalidInput(problems)
        return cls(age=None if age is None else float(age), sex=sex)

    def merged(self, other: Patient) -> Patient:
        return Patient(
            age=self.age if self.age is not None else other.age,
            sex=self.sex if self.sex is not None else other.sex,
        )


@dataclass(frozen=True)
class NormFinding:
    """Where a score sits against a published norm or threshold for this patient."""

    table: str
    category: str
    detail: str
    source: Source

    def as_dict(self) -> dict[str, object]:
        return {
            "table": self.table,
            "category": self.category,
            "detail": self.detail,
            "source": self.source.citation,
            "confidence": self.source.confidence.value,
            "verified": self.source.confidence.is_verified,
        }


@dataclass(frozen=True)
class Score:
    """The result of scoring one response set.

    ``value`` is the instrument's headline score; it is ``None`` only for profile instruments
    (PROMIS-29) whose results are all in ``subscores``.
    """

    instrument: str
    value: float | None
    unit: str
    direction: str
    subscores: Mapping[str, float | None] = field(default_factory=dict)
    category: str | None = None
    details: Mapping[str, float | str | None] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    confidence: Confidence = Confidence.VERIFIED
    inputs: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "score": self.value,
            "unit": self.unit,
            "direction": self.direction,
            "subscores": dict(self.subscores),
            "category": self.category,
            "details": dict(self.details),
            "warnings": list(self.warnings),
            "scoring_confidence": self.confidence.value,
        }


@dataclass(frozen=True)
class Computed:
    """Vectorised output of ``Measure.compute`` for n rows.

    ``ok[i]`` is False when row i cannot be scored under the missing-data policy; ``why[i]``
    then says why (``None`` for scored rows).
    """

    value: npt.NDArray[Any]
    ok: npt.NDArray[Any]
    why: list[str | None]
    subscores: dict[str, npt.NDArray[Any]] = field(default_factory=dict)
    details: dict[str, npt.NDArray[Any]] = field(default_factory=dict)
    category: npt.NDArray[Any] | None = None

    def __post_init__(self) -> None:
        # Normalise what NumPy's stubs type loosely (bool | ndarray) to real arrays.
        object.__setattr__(self, "value", np.asarray(self.value, dtype=np.float64))
        object.__setattr__(self, "ok", np.asarray(self.ok, dtype=bool))


@dataclass(frozen=True)
class FieldSpec:
    """A named numeric or categorical input of a performance test."""

    name: str
    unit: str
    min: float | None = None
    max: float | None = None
    integer: bool = False
    required: bool = True
    choices: tuple[str, ...] | None = None
    exclusive_min: bool = False

    def allowed(self) -> str:
        if self.choices is not None:
            return " or ".join(repr(c) for c in self.choices)
        kind = "a whole number" if self.integer else "a number"
        unit = f" ({self.unit})" if self.unit else ""
        if self.min is not None and self.max is not None and not self.exclusive_min:
            return f"{kind} from {self.min:g} to {self.max:g}{unit}"
        lo = (
            ""
            if self.min is None
            else f"{'above' if self.exclusive_min else 'at least'} {self.min:g}"
        )
        hi = "" if self.max is None else f"at most {self.max:g}"
        bounds = " and ".join(b for b in (lo, hi) if b)
        return f"{kind} {bounds}{unit}" if bounds else f"{kind}{unit}"

    def check(self, value: object) -> Problem | None:
        """None if ``value`` is acceptable (missing optional values are acceptable)."""
        if value is None:
            return (
                None if not self.required else Problem(self.name, None, self.allowed(), "required")
            )
        if self.choices is not None:
            return None if value in self.choices else Problem(self.name, value, self.allowed())
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            return Problem(self.name, value, self.allowed(), "not a number")
        if self.integer and float(value) != int(value):
            return Problem(self.name, value, self.allowed(), "not a whole number")
        too_low = self.min is not None and (
            value <= self.min if self.exclusive_min else value < self.min
        )
        if too_low or (self.max is not None and value > self.max):
            return Problem(self.name, value, self.allowed(), "out of range")
        return None


class Measure(ABC):
    """Base of every instrument. Subclasses set ``id`` and implement the three hooks."""

    id: ClassVar[str]

    def __init__(self) -> None:
        self.spec: InstrumentSpec = load_spec(self.id)

    # ---- inputs -------------------------------------------------------------------------
    @abstractmethod
    def fields(self) -> tuple[FieldSpec, ...]:
        """The batch columns, in order, with their allowed values."""

    def columns(self) -> tuple[str, ...]:
        cached: tuple[str, ...] | None = self.__dict__.get("_columns")
        if cached is None:  # fields are fixed per instrument; scoring calls this per row
            cached = self.__dict__["_columns"] = tuple(f.name for f in self.fields())
        return cached

    def row_from(self, responses: Mapping[str, Any]) -> dict[str, Any]:
        """Map one response object onto the columns (``None`` = missing).

        The default takes one key per field and rejects unknown keys; questionnaires override
        it to unpack ``{"items": [...]}``. Raise :class:`InvalidInput` for shape errors.
        """
        names = self.columns()
        unknown = sorted(set(responses) - set(names))
        if unknown:
            raise InvalidInput(
                Problem(k, responses[k], "one of " + ", ".join(names), "unknown field")
                for k in unknown
            )
        return {name: responses.get(name) for name in names}

    def field_label(self, name: str) -> str:
        """How a column is named in error messages (questionnaires: ``items[i]``)."""
        return name

    def parse(self, responses: Mapping[str, Any]) -> dict[str, Any]:
        """Validate one response set; return one value per column. Names every bad field."""
        row = self.row_from(responses)
        problems = []
        for spec in self.fields():
            problem = spec.check(row.get(spec.name))
            if problem is not None:
                problems.append(
                    Problem(
                        self.field_label(spec.name), problem.value, problem.allowed, problem.message
                    )
                )
        if problems:
            raise InvalidInput(problems)
        return row

    def missing_problems(self, row: Mapping[str, Any], why: str) -> list[Problem]:
        """Problems to report when a parsed row fails the missing-data policy."""
        missing = [f for f in self.fields() if row.get(f.name) is None]
        return [Problem(self.field_label(f.name), None, f.allowed(), why) for f in missing] or [
            Problem("responses", "incomplete", self.spec.missing_rule, why)
        ]

    # ---- arithmetic ---------------------------------------------------------------------
    @abstractmethod
    def compute(self, cols: Mapping[str, npt.NDArray[Any]]) -> Computed:
        """Score n rows at once; numeric columns are float arrays with NaN for missing."""

    # ---- interpretation -----------------------------------------------------------------
    def norms(self, score: Score, patient: Patient) -> tuple[NormFinding, ...]:
        """Norm bands and reference values from the spec that apply to this patient."""
        return tuple(
            finding
            for row in self.spec.norms
            if (finding := norm_finding(row, score, patient)) is not None
        )

    def patient_from_inputs(self, score: Score) -> Patient:
        """Age and sex given with the responses themselves (e.g. chair stand, 6MWT)."""
        age = score.inputs.get("age")
        sex = score.inputs.get("sex")
        return Patient(
            age=float(age) if isinstance(age, int | float) else None,
            sex=sex if sex in SEXES else None,
        )

    # ---- the public path ----------------------------------------------------------------
    def score(self, responses: Mapping[str, Any]) -> Score:
        if not isinstance(responses, Mapping):
            raise InvalidInput.one("responses", type(responses).__name__, "a JSON object")
        row = self.parse(responses)
        cols = {name: _column([row.get(name)]) for name in self.columns()}
        out = self.compute(cols)
        if not out.ok[0]:
            raise InvalidInput(self.missing_problems(row, out.why[0] or self.spec.missing_rule))
        category = None if out.category is None else out.category[0]
        return Score(
            instrument=self.id,
            value=_scalar(out.value[0]),
            unit=self.spec.unit,
            direction=self.spec.direction,
            subscores={k: _scalar(v[0]) for k, v in out.subscores.items()},
            category=None if category is None else str(category),
            details={k: _scalar(v[0]) for k, v in out.details.items()},
            warnings=self.warnings(row),
            confidence=self.spec.scoring_source.confidence,
            inputs=row,
        )

    def warnings(self, row: Mapping[str, Any]) -> tuple[str, ...]:
        """Plausibility flags for review (values allowed but unusual). Override as needed."""
        return ()


def _column(values: list[Any]) -> npt.NDArray[Any]:
    if all(v is None or (isinstance(v, int | float) and not isinstance(v, bool)) for v in values):
        return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)
    return np.array(values, dtype=object)


def _scalar(x: Any) -> float | None:
    value = float(x)
    return None if np.isnan(value) else value


def norm_finding(row: NormSpec, score: Score, patient: Patient) -> NormFinding | None:
    """The finding of one spec norm row, or None when the row does not apply."""
    value = score.value if row.subscore is None else score.subscores.get(row.subscore)
    if value is None or not row.applies_to(patient.age, patient.sex):
        return None
    group = _group_label(row)
    source = Source(row.citation, row.confidence)
    if row.kind == "reference":
        assert row.value is not None  # guaranteed by NormSpec validation
        pct = 100.0 * value / row.value if row.value else float("nan")
        return NormFinding(
            row.table,
            row.category,
            f"{value:g} is {pct:.0f}% of the {row.category} ({row.value:g}){group}",
            source,
        )
    if (row.low is not None and value < row.low) or (row.high is not None and value > row.high):
        return None
    return NormFinding(row.table, row.category, f"{value:g}: {row.category}{group}", source)


def _group_label(row: NormSpec) -> str:
    parts: list[str] = []
    if row.sex != "any":
        parts.append("women" if row.sex == "female" else "men")
    if row.age_min is not None and row.age_max is not None:
        parts.append(f"aged {row.age_min:g}-{row.age_max:g}")
    elif row.age_min is not None:
        parts.append(f"aged {row.age_min:g}+")
    return f" for {' '.join(parts)}" if parts else ""
