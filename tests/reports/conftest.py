from __future__ import annotations

from datetime import date

import pytest

from hipback import measures
from hipback.reports.models import (
    HandoutExercise,
    HandoutTalk,
    HepHandout,
    ProgressReport,
    SeriesPoint,
    Signature,
)
from hipback.reports.outcomes import outcome_view


@pytest.fixture
def report() -> ProgressReport:
    """A hand-made report: QBPDS 40 -> 32 -> 26 (items below), 10MWT 1.0 -> 1.2 m/s."""
    qb = [
        SeriesPoint("baseline", date(2026, 3, 2), 40.0),
        SeriesPoint("4wk", date(2026, 3, 30), 32.0),
        SeriesPoint("8wk", date(2026, 4, 27), 26.0),
    ]
    # 40 = 20 x 2; 26 = 14 x 1 + 6 x 2
    qb_change = measures.compare(
        "qbpds", {"items": [2] * 20}, {"items": [1] * 14 + [2] * 6}
    ).as_dict()
    walk = [
        SeriesPoint("baseline", date(2026, 3, 2), 1.0),
        SeriesPoint("8wk", date(2026, 4, 27), 1.2),
    ]
    # 10 m in 10 s = 1.0 m/s; 10 m in 8.333 s = 1.2 m/s
    walk_change = measures.compare(
        "ten_mwt", {"time_s": 10, "distance_m": 10}, {"time_s": 8.333, "distance_m": 10}
    ).as_dict()
    return ProgressReport(
        clinic="Test Clinic",
        patient_name="Example, Pat",
        mrn="SYN-0042",
        birth_date=date(1952, 6, 1),
        age=73,
        sex="female",
        synthetic=True,
        episode_opened=date(2026, 2, 27),
        episode_status="open",
        arm="hip",
        sessions_attended=11,
        sessions_planned=16,
        sessions_due=12,
        outcomes=(
            outcome_view("qbpds", qb, qb_change, age=73, sex="female"),
            outcome_view("ten_mwt", walk, walk_change, age=73, sex="female"),
        ),
        adherence=(5, 4, 6, 3, 0, 2, 7, 5),
        adherence_start=date(2026, 3, 2),
        adherence_target=3,
        signature=Signature("Jo Therapist", "physical therapist", date(2026, 5, 1)),
        generated_on=date(2026, 5, 1),
    )


@pytest.fixture
def handout() -> HepHandout:
    return HepHandout(
        clinic="Test Clinic",
        patient_name="Example, Pat",
        mrn="SYN-0042",
        synthetic=False,
        session_number=3,
        valid_from=date(2026, 3, 9),
        exercises=(
            HandoutExercise(
                id="bridge",
                name="Bottom lift",
                purpose="Strengthens your hips.",
                steps=("Lie on your back.", "Lift your bottom.", "Lower slowly."),
                dose="2 sets of 10 repetitions, 3 days a week",
                sides=(),
                safety=("Keep your back flat.",),
            ),
            HandoutExercise(
                id="clamshell",
                name="Clamshell",
                purpose="Strengthens the side of your hip.",
                steps=("Lie on your side.", "Open your knees."),
                dose="2 sets of 12 repetitions, 3 days a week",
                sides=("both sides",),
                safety=(),
                figure_svg='<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
                '<title>clam</title><circle cx="5" cy="5" r="4"/></svg>',
            ),
        ),
        therapist="Jo Therapist",
        generated_on=date(2026, 3, 9),
        general_safety=("Stop if it hurts more than usual.",),
        education=(
            HandoutTalk(
                "Understanding your pain and pacing your day",
                ("Split long jobs into parts.", "Some soreness after exercise is normal."),
            ),
        ),
    )
