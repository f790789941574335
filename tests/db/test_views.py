"""Read-only views return what the mapped rows hold, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from hipback.config import Settings
from hipback.db import make_engine, upgrade
from hipback.db.repositories import views
from hipback.db.tables import (
    EpisodeRow,
    EvaluationRow,
    ExerciseLogRow,
    OutcomeRow,
    PatientRow,
    PlanRow,
    SessionRow,
    SiteRow,
)

NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    engine = make_engine(Settings(database_url=db_url))
    upgrade(engine)
    with Session(engine) as s:
        yield s
    engine.dispose()


def _patient(s: Session, mrn: str) -> PatientRow:
    site = s.query(SiteRow).first()
    if site is None:
        site = SiteRow(code="main", name="Main")
        s.add(site)
        s.flush()
    row = PatientRow(
        site_id=site.id,
        mrn=mrn,
        given_name="Ada",
        family_name="Byron",
        birth_date=date(1950, 3, 1),
        sex="female",
        synthetic=True,
        created_at=NOW,
    )
    s.add(row)
    s.flush()
    return row


def _episode(s: Session, patient: PatientRow, opened: date, arm: str | None) -> EpisodeRow:
    row = EpisodeRow(patient_id=patient.id, opened_on=opened, status="open", arm=arm)
    s.add(row)
    s.flush()
    return row


def _plan(s: Session, episode: EpisodeRow, arm: str, sessions: list[int]) -> PlanRow:
    evaluation = EvaluationRow(
        episode_id=episode.id,
        assessed_on=date(2026, 1, 5),
        data={"k": 1},
        screening={"decision": "eligible"},
        decision="eligible",
        created_at=NOW,
    )
    s.add(evaluation)
    s.flush()
    plan = PlanRow(
        episode_id=episode.id,
        evaluation_id=evaluation.id,
        arm=arm,
        start_on=date(2026, 1, 6),
        data={},
        created_at=NOW,
    )
    s.add(plan)
    s.flush()
    for n in sessions:
        s.add(SessionRow(plan_id=plan.id, number=n, planned_on=date(2026, 1, 5 + n), notes=""))
    s.flush()
    return plan


def test_patient_with_episode_picks_the_newest_episode(session: Session) -> None:
    ada = _patient(session, "MRN-1")
    old = _episode(session, ada, date(2025, 1, 1), "spine")
    newest = _episode(session, ada, date(2026, 1, 1), "hip")
    same_day_earlier_id = _episode(session, ada, date(2026, 1, 1), None)
    assert same_day_earlier_id.id > newest.id  # same opening date: the higher id wins
    lone = _patient(session, "MRN-2")

    found = views.patient_with_episode(session, ada.id)
    assert found is not None
    patient, episode = found
    assert (patient.id, patient.mrn, patient.family_name, patient.sex) == (
        ada.id,
        "MRN-1",
        "Byron",
        "female",
    )
    assert patient.birth_date == date(1950, 3, 1) and patient.synthetic is True
    assert episode is not None
    assert (episode.id, episode.arm) == (same_day_earlier_id.id, None)
    assert episode.id != old.id

    assert views.patient_with_episode(session, lone.id) == (
        views.PatientView(lone.id, "MRN-2", "Ada", "Byron", date(1950, 3, 1), "female", True, 1),
        None,
    )
    assert views.patient_with_episode(session, 999_999) is None
    assert views.current_episode(session, ada.id) == episode


def test_latest_plan_with_sessions(session: Session) -> None:
    ada = _patient(session, "MRN-1")
    episode = _episode(session, ada, date(2026, 1, 1), "hip")
    assert views.latest_plan_with_sessions(session, episode.id) is None
    _plan(session, episode, "spine", [1, 2])
    newest = _plan(session, episode, "hip", [3, 1, 2])
    found = views.latest_plan_with_sessions(session, episode.id)
    assert found is not None
    header, sessions = found
    assert header == views.PlanHeaderView(newest.id, "hip", date(2026, 1, 6))
    assert [s.number for s in sessions] == [1, 2, 3]
    assert [s.planned_on for s in sessions] == [
        date(2026, 1, 6),
        date(2026, 1, 7),
        date(2026, 1, 8),
    ]
    assert {(s.status, s.delivered_on) for s in sessions} == {("planned", None)}
    empty = _plan(session, episode, "hip", [])
    assert views.latest_plan_with_sessions(session, episode.id) == (
        views.PlanHeaderView(empty.id, "hip", date(2026, 1, 6)),
        [],
    )
    assert views.latest_plan_header(session, episode.id) == (empty.id, "hip", date(2026, 1, 6))


def test_views_see_unflushed_changes_and_json_columns(session: Session) -> None:
    ada = _patient(session, "MRN-1")
    episode = _episode(session, ada, date(2026, 1, 1), "hip")
    session.add_all(
        [
            OutcomeRow(
                episode_id=episode.id,
                timepoint=tp,
                instrument="nprs",
                assessed_on=day,
                responses={"pain": v},
                value=float(v),
                result={"value": v},
            )
            for tp, day, v in (("8wk", date(2026, 3, 1), 3), ("baseline", date(2026, 1, 5), 7))
        ]
    )
    session.add_all(
        [
            ExerciseLogRow(
                patient_id=ada.id,
                logged_on=date(2026, 1, d),
                exercise_id="clamshell",
                sets=2,
                reps=10,
                pain=d % 10,
                comment=f"day {d}",
                created_at=NOW,
            )
            for d in (3, 9, 5)
        ]
    )  # not flushed: the views flush first
    outcomes = views.outcomes(session, episode.id)
    assert [(o.timepoint, o.responses, o.value, o.result) for o in outcomes] == [
        ("baseline", {"pain": 7}, 7.0, {"value": 7}),
        ("8wk", {"pain": 3}, 3.0, {"value": 3}),
    ]
    logs = views.exercise_logs(session, ada.id, 2)
    assert [(log.logged_on.day, log.comment) for log in logs] == [(9, "day 9"), (5, "day 5")]
    evaluation_plan = _plan(session, episode, "hip", [1])
    evaluation = views.latest_evaluation(session, episode.id)
    assert evaluation is not None
    assert evaluation.id == evaluation_plan.evaluation_id
    assert (evaluation.data, evaluation.screening) == ({"k": 1}, {"decision": "eligible"})
    header = views.latest_evaluation_header(session, episode.id)
    assert header == (evaluation.id, date(2026, 1, 5), "eligible")
