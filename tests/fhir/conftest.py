"""Hand-built plain records for the pure mapping tests (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from hipback import measures
from hipback.fhir import ids
from hipback.fhir.records import (
    EpisodeRec,
    EvaluationRec,
    Exchange,
    LogRec,
    OutcomeRec,
    PatientRec,
    PatientRecord,
    PlanRec,
    PractitionerRec,
    SessionRec,
)

MRN = "T-0001"
BIRTH = date(1955, 6, 15)


def outcome(n: int, instrument: str, responses: dict[str, Any], on: date) -> OutcomeRec:
    """Scored exactly as services.outcomes.record_outcome scores (score + interpretation)."""
    score = measures.score(instrument, responses)
    age = on.year - BIRTH.year - ((on.month, on.day) < (BIRTH.month, BIRTH.day))
    result = score.as_dict() | {
        "interpretation": measures.interpret(score, {"age": age, "sex": "female"})
    }
    return OutcomeRec(
        key=ids.outcome_key(MRN, n),
        episode_key=ids.episode_key(MRN, 1),
        timepoint="baseline",
        instrument=instrument,
        assessed_on=on,
        responses=responses,
        value=score.value,
        assessed_by="tina",
        result=result,
        subscores=dict(score.subscores),
    )


def sample_exchange(status: str = "withdrawn") -> Exchange:
    """One patient with every kind of record, including the edge cases: a withdrawn episode,
    an ODI with one section missing, a PROMIS-29 profile (no headline score), a gait speed whose
    norms include an unverified one (Perry 1995, 'uncertain'), a missed session."""
    ep = ids.episode_key(MRN, 1)
    plan_key = ids.plan_key(MRN, 1)
    on = date(2026, 3, 2)
    plan_data = {
        "arm": "hip",
        "sessions": [
            {"number": 1, "items": [{"name": "Bridge", "dose_text": "2 x 10"}]},
            {"number": 2, "items": [{"name": "Bridge", "dose_text": "2 x 12"}]},
        ],
    }
    return Exchange(
        practitioners=(PractitionerRec("tina", "Tina Therapist", "therapist"),),
        instruments=("odi", "promis29", "ten_mwt"),
        records=(
            PatientRecord(
                patient=PatientRec(
                    MRN,
                    "Ada",
                    "Abbot",
                    BIRTH,
                    "female",
                    "555-0100",
                    True,
                    "main",
                    "Test Clinic",
                    datetime(2026, 3, 1, 9, 30, 0, 123456, tzinfo=UTC),
                ),
                episodes=(EpisodeRec(ep, on, date(2026, 4, 1), status, "hip", "tina"),),
                evaluations=(
                    EvaluationRec(
                        ids.evaluation_key(MRN, 1),
                        ep,
                        on,
                        "eligible",
                        {"assessed_on": on.isoformat(), "findings": [1, 2.5, None]},
                        {"decision": "eligible"},
                        "tina",
                        datetime(2026, 3, 2, 10, tzinfo=UTC),
                    ),
                ),
                plans=(
                    PlanRec(
                        plan_key,
                        ep,
                        ids.evaluation_key(MRN, 1),
                        "hip",
                        on,
                        plan_data,
                        datetime(2026, 3, 2, 11, tzinfo=UTC),
                        (
                            SessionRec(
                                1, on, "delivered", on, {"session": 1, "items": []}, "ok", "tina"
                            ),
                            SessionRec(2, date(2026, 3, 5), "missed", None, None, "", None),
                        ),
                    ),
                ),
                outcomes=(
                    outcome(1, "odi", {"items": [1, 2, 3, None, 1, 2, 3, 1, 0, 2]}, on),
                    outcome(2, "promis29", {"items": [2] * 28 + [5]}, on),
                    outcome(3, "ten_mwt", {"time_s": 5.2, "distance_m": 6}, on),
                ),
                logs=(
                    LogRec(
                        ids.log_key(MRN, 1),
                        date(2026, 3, 3),
                        "bridge",
                        2,
                        None,
                        3,
                        "",
                        datetime(2026, 3, 3, 18, tzinfo=UTC),
                        None,
                    ),
                ),
            ),
        ),
    )


@pytest.fixture
def exchange() -> Exchange:
    return sample_exchange()
