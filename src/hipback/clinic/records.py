"""What a clinic records, validated at the domain boundary (pydantic, ``extra="forbid"``).

These models are shared by the web forms, the JSON API and the CLI, so every edge gives the same
errors. :func:`validate` turns pydantic errors into :class:`hipback.errors.InvalidInput` naming
each field, the value and what is allowed.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from hipback.errors import InvalidInput, Problem


class Role(StrEnum):
    ADMIN = "admin"
    THERAPIST = "therapist"
    ASSESSOR = "assessor"
    TRIAL_MANAGER = "trial_manager"
    STATISTICIAN = "statistician"
    PATIENT = "patient"


class Timepoint(StrEnum):
    BASELINE = "baseline"
    WEEK_4 = "4wk"
    WEEK_8 = "8wk"
    MONTH_6 = "6mo"
    AD_HOC = "adhoc"


class EpisodeStatus(StrEnum):
    OPEN = "open"
    DISCHARGED = "discharged"
    WITHDRAWN = "withdrawn"


class SessionStatus(StrEnum):
    PLANNED = "planned"
    DELIVERED = "delivered"
    MISSED = "missed"
    CANCELLED = "cancelled"


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


#: joiners that some scripts need inside names (Persian, Indic); every other format character
#: (bidirectional overrides and isolates, invisible marks) can disguise a name and is refused
_JOINERS = {"\u200c", "\u200d"}


def plain_text(value: str) -> str:
    """Refuse control characters and invisible format characters (e.g. U+202E, which reverses
    the text after it) in a name, record number or other short identifying text."""
    bad = [
        ch
        for ch in value
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") and ch not in _JOINERS
    ]
    if bad:
        shown = ", ".join(f"U+{ord(ch):04X}" for ch in dict.fromkeys(bad))
        raise ValueError(f"text without control or invisible formatting characters ({shown})")
    return value


PlainText = Annotated[str, AfterValidator(plain_text)]


class PatientCreate(_Input):
    given_name: PlainText = Field(min_length=1, max_length=80)
    family_name: PlainText = Field(min_length=1, max_length=80)
    birth_date: date
    sex: Literal["female", "male"]
    mrn: PlainText = Field(min_length=1, max_length=40, description="Clinic record number, unique.")
    phone: PlainText | None = Field(default=None, max_length=40)

    @field_validator("birth_date")
    @classmethod
    def _plausible_birth(cls, value: date) -> date:
        if not date(1900, 1, 1) <= value <= date.today():
            raise ValueError("a date between 1900-01-01 and today")
        return value


class ExerciseDone(_Input):
    exercise_id: str = Field(min_length=1, max_length=80)
    sets: int = Field(ge=0, le=20)
    reps: int | None = Field(default=None, ge=0, le=200)
    hold_s: int | None = Field(default=None, ge=0, le=600)
    load: str | None = Field(default=None, max_length=80, description="Band colour, kg, level…")
    rpe: int | None = Field(default=None, ge=0, le=10, description="Borg CR10 effort 0-10.")
    pain_during: int | None = Field(default=None, ge=0, le=10)
    pain_after: int | None = Field(default=None, ge=0, le=10)


class SessionDocumentation(_Input):
    """What was done in one supervised session (planned vs delivered)."""

    delivered_on: date
    status: Literal["delivered", "missed", "cancelled"] = "delivered"
    pain_before: int | None = Field(default=None, ge=0, le=10)
    pain_after: int | None = Field(default=None, ge=0, le=10)
    exercises: tuple[ExerciseDone, ...] = ()
    manual_therapy: tuple[str, ...] = ()
    notes: str = Field(default="", max_length=4000)


class OutcomeEntry(_Input):
    timepoint: Timepoint
    instrument: str = Field(min_length=1, max_length=40)
    assessed_on: date
    responses: dict[str, Any]


class ExerciseLogEntry(_Input):
    """A home-exercise log line written by the patient (or a therapist on their behalf)."""

    logged_on: date
    exercise_id: str = Field(min_length=1, max_length=80)
    sets: int = Field(ge=0, le=20)
    reps: int | None = Field(default=None, ge=0, le=200)
    pain: int = Field(ge=0, le=10, description="Pain 0-10 during or after the exercise.")
    comment: str = Field(default="", max_length=1000)

    @field_validator("logged_on")
    @classmethod
    def _not_future(cls, value: date) -> date:
        if value > date.today():
            raise ValueError("today or an earlier date")
        return value


M = TypeVar("M", bound=BaseModel)


def _allowed(err: Any) -> str:
    ctx = err.get("ctx") or {}
    kind = err.get("type", "")
    if kind in ("greater_than_equal", "less_than_equal"):
        return str(err["msg"]).replace("Input should be ", "")
    if kind == "extra_forbidden":
        return "no such field"
    if kind == "missing":
        return "a value (required)"
    if kind == "literal_error" and "expected" in ctx:
        return f"one of {ctx['expected']}"
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    return str(err.get("msg", "a valid value")).replace("Input should be ", "")


def validate(model: type[M], data: Any, *, prefix: str = "") -> M:
    """Validate ``data`` as ``model``; every bad field becomes a :class:`Problem`."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()))
            field = f"{prefix}{where}" if where else prefix.rstrip(".") or "body"
            value = err.get("input") if err.get("type") != "missing" else None
            problems.append(Problem(field, value, _allowed(err)))
        raise InvalidInput(problems) from None
