from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest

from hipback import measures
from hipback.reports import trial
from hipback.reports.models import (
    HandoutExercise,
    HandoutTalk,
    HepHandout,
    ProgressReport,
    SeriesPoint,
    Signature,
)
from hipback.reports.outcomes import outcome_view
from hipback.trial.analysis import fit_mmrm, read_long_csv
from hipback.trial.blinding_index import bang_by_arm
from hipback.trial.consort import FlowRecords, consort_flow
from hipback.trial.safety import summarise_by_arm
from hipback.trial.table1 import Variable, table1


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


DATA = Path(__file__).parents[1] / "reference" / "mash_qbpds_2visit.csv"


def reference_trial_report() -> trial.TrialReport:
    """The trial report of the reference MASH-like QBPDS dataset (fitted against R)."""
    data = read_long_csv(DATA)
    result = fit_mmrm(data, "spine")
    participants = []
    for i, pid in enumerate(data.participant_ids):
        followup = {
            v: {"status": "completed"}
            if not math.isnan(data.outcome[i, j])
            else {"status": "lost", "reason": "no visit"}
            for j, v in enumerate(data.visits)
        }
        participants.append(
            {"id": pid, "arm": data.arm[i], "received_intervention": True, "followup": followup}
        )
    participants.append(
        {"id": "X1", "exclusion": {"category": "declined", "reason": "not interested"}}
    )
    flow = consort_flow(
        FlowRecords.from_mapping(
            {"arms": ["spine", "hip"], "visits": list(data.visits), "participants": participants}
        )
    )
    rows = [
        {"arm": a, "sex": s, "baseline": float(b)}
        for a, s, b in zip(data.arm, data.sex, data.baseline, strict=True)
    ]
    t1 = table1(
        rows,
        ["spine", "hip"],
        [
            Variable("baseline", "QBPDS at baseline", "continuous"),
            Variable("sex", "Sex", "categorical", ("F", "M")),
        ],
    )
    blinding = bang_by_arm(
        [("hip", "hip"), ("hip", "dont_know"), ("spine", "hip"), ("spine", "spine")],
        ["spine", "hip"],
    )
    arm_of = dict(zip(data.participant_ids, data.arm, strict=True))
    safety = summarise_by_arm([], arm_of, ["spine", "hip"])
    return trial.build_trial_report(
        "MASH-like reference trial",
        "QBPDS",
        "points",
        data,
        result,
        flow,
        t1,
        arm_labels={"hip": "Hip-focused", "spine": "Spine-focused"},
        blinding=blinding,
        safety=safety,
        mcid=5.0,
    )
