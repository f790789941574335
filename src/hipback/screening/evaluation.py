"""The first-visit evaluation: one validated, immutable record of what the therapist found.

>>> ev = load_evaluation({
...     "patient": {"id": "p1", "age_years": 70, "sex": "female", "height_cm": 160,
...                 "weight_kg": 70, "site": "newark"},
...     "assessed_on": "2026-11-02"})
>>> ev.hip_exam.left.rom_deg.internal_rotation is None  # not assessed, never guessed
True

Use :func:`load_evaluation` on untrusted data: it turns every validation error into one
:class:`hipback.errors.Problem` naming the field path, the value and what is allowed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator

from hipback.errors import InvalidInput, Problem
from hipback.measures import Score, score
from hipback.screening._model import Record, section
from hipback.screening.exam import HipExam, LumbarExam
from hipback.screening.history import (
    HipPain,
    LowBackPain,
    MedicalHistory,
    PatientDetails,
    RedFlags,
    SymptomBehaviour,
)
from hipback.screening.problems import problems_from

SCHEMA_VERSION = 1


class Evaluation(Record):
    """Everything recorded at the first visit. Only ``patient`` and ``assessed_on`` are required;
    any finding left out is *not assessed* and screening reports it as such."""

    schema_version: Literal[1] = Field(default=1, description="Evaluation format version.")
    patient: PatientDetails = Field(description="Who was assessed.")
    assessed_on: dt.date = Field(strict=False, description="Date of the evaluation, YYYY-MM-DD.")
    low_back_pain: LowBackPain = section(LowBackPain, "Low back pain history.")
    hip_pain: HipPain = section(HipPain, "Hip pain: side and HOOS pain items.")
    symptom_behaviour: SymptomBehaviour = Field(
        default_factory=SymptomBehaviour,
        title="Symptom behaviour: severity and irritability",
        description="How easily symptoms are provoked and how long they take to settle; "
        "with the pain ratings these set how gently the plan starts.",
    )
    medical_history: MedicalHistory = section(MedicalHistory, "History for the exclusions.")
    red_flags: RedFlags = section(RedFlags, "Red-flag questions; any positive → refer.")
    hip_exam: HipExam = section(HipExam, "Hip examination, left and right.")
    lumbar_exam: LumbarExam = section(LumbarExam, "Lumbar examination.")
    baseline_measures: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="Baseline outcome measures: instrument id (e.g. 'qbpds') → its responses, "
        "validated by hipback.measures.score.",
    )
    notes: str | None = Field(default=None, max_length=4000, description="Free-text notes.")

    @field_validator("baseline_measures")
    @classmethod
    def _scorable(cls, value: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        problems: list[Problem] = []
        for instrument, responses in value.items():
            try:
                score(instrument, responses)
            except InvalidInput as exc:
                problems += [
                    Problem(f"{instrument}.{p.field}", p.value, p.allowed, p.message)
                    if p.field != "instrument"
                    else Problem(instrument, p.value, p.allowed, "unknown instrument")
                    for p in exc.problems
                ]
        if problems:
            raise InvalidInput(problems)
        return value

    def baseline_scores(self) -> dict[str, Score]:
        """The baseline measures scored, by instrument id."""
        return {k: score(k, v) for k, v in self.baseline_measures.items()}


def load_evaluation(data: Mapping[str, Any] | Evaluation) -> Evaluation:
    """Validate ``data`` (e.g. parsed JSON) into an :class:`Evaluation`.

    Raises :class:`InvalidInput` with one Problem per bad or missing field, e.g.
    ``hip_exam.left.rom_deg.internal_rotation: got 120; allowed: a number from 0 to 90 …``.
    """
    if isinstance(data, Evaluation):
        return data
    if not isinstance(data, Mapping):
        raise InvalidInput.one("evaluation", type(data).__name__, "a JSON object")
    try:
        return Evaluation.model_validate(dict(data))
    except ValidationError as exc:
        raise InvalidInput(problems_from(exc, evaluation_schema())) from None


def evaluation_schema() -> dict[str, Any]:
    """The published JSON Schema of an evaluation (``hipback schema evaluation``)."""
    schema = Evaluation.model_json_schema()
    schema["$id"] = f"urn:hipback:schema:evaluation:v{SCHEMA_VERSION}"
    return schema


__all__ = ["SCHEMA_VERSION", "Evaluation", "evaluation_schema", "load_evaluation"]
