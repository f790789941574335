"""Outcome entry with instant scoring; exercise logs and adherence; UoW conflict mapping."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
import sqlalchemy as sa

from hipback.clinic.access import Actor
from hipback.clinic.records import Role
from hipback.db.tables import OutcomeRow, PatientRow
from hipback.db.uow import UnitOfWork
from hipback.errors import Conflict, InvalidInput, PermissionDenied
from hipback.services import exercise_logs, outcomes, patients

from .conftest import THERAPIST

UowFactory = Callable[[Actor], UnitOfWork]
PATIENT = {
    "given_name": "Bo",
    "family_name": "Chen",
    "birth_date": "1950-06-01",
    "sex": "male",
    "mrn": "B1",
}


@pytest.fixture
def patient_id(uow: UowFactory) -> int:
    with uow(THERAPIST) as u:
        patients.ensure_site(u, "main", "Main")
        u.commit()
    with uow(THERAPIST) as u:
        return patients.create_patient(u, PATIENT).id


def _episode(uow: UowFactory, patient_id: int) -> int:
    from hipback.db.repositories import clinic as repo

    with uow(THERAPIST) as u:
        episode = repo.current_episode(u.session, patient_id)
        assert episode is not None
        return episode.id


def test_outcome_scored_stored_and_compared(uow: UowFactory, patient_id: int) -> None:
    ep = _episode(uow, patient_id)
    with uow(THERAPIST) as u:
        first = outcomes.record_outcome(
            u,
            ep,
            {
                "timepoint": "baseline",
                "instrument": "qbpds",
                "assessed_on": "2026-09-01",
                "responses": {"items": [2] * 20},
            },
        )
    assert first.value == 40
    with uow(THERAPIST) as u:
        outcomes.record_outcome(
            u,
            ep,
            {
                "timepoint": "8wk",
                "instrument": "qbpds",
                "assessed_on": "2026-11-01",
                "responses": {"items": [1] * 20},
            },
        )
    with uow(THERAPIST) as u:
        (series,) = outcomes.outcome_history(u, ep)
    assert [p.value for p in series.points] == [40, 20]
    assert series.change is not None
    assert series.change["verdict"] == "improved"  # 20 points ≥ MIC 5 and MDC90 15


def test_bad_responses_named_and_nothing_written(uow: UowFactory, patient_id: int) -> None:
    ep = _episode(uow, patient_id)
    with uow(THERAPIST) as u, pytest.raises(InvalidInput) as err:
        outcomes.record_outcome(
            u,
            ep,
            {
                "timepoint": "baseline",
                "instrument": "qbpds",
                "assessed_on": "2026-09-01",
                "responses": {"items": [2] * 19 + [9]},
            },
        )
    assert err.value.problems[0].field == "responses.items[19]"
    with uow(THERAPIST) as u, pytest.raises(InvalidInput) as err:
        outcomes.record_outcome(
            u,
            ep,
            {
                "timepoint": "12wk",
                "instrument": "qbpds",
                "assessed_on": "2026-09-01",
                "responses": {},
            },
        )
    assert err.value.problems[0].field == "timepoint"
    with uow(THERAPIST) as u:
        assert u.session.scalar(sa.select(sa.func.count()).select_from(OutcomeRow)) == 0


def test_exercise_log_own_only_and_adherence(uow: UowFactory, patient_id: int) -> None:
    me = Actor("bo", Role.PATIENT, patient_id=patient_id)
    for day in ("2026-11-02", "2026-11-02", "2026-11-04", "2026-11-10"):
        with uow(me) as u:
            exercise_logs.log_exercise(
                u,
                patient_id,
                {"logged_on": day, "exercise_id": "bridge", "sets": 2, "reps": 10, "pain": 2},
            )
    with uow(me) as u:
        logs = exercise_logs.recent_logs(u, patient_id)
    assert len(logs) == 4
    # weeks from Mon 2026-11-02: days logged {02, 04} → 2; {10} → 1; none → 0
    assert exercise_logs.adherence_by_week(logs, date(2026, 11, 2), 3) == [2, 1, 0]
    other = Actor("eve", Role.PATIENT, patient_id=patient_id + 1)
    with uow(other) as u, pytest.raises(PermissionDenied):
        exercise_logs.log_exercise(
            u,
            patient_id,
            {"logged_on": "2026-11-02", "exercise_id": "bridge", "sets": 1, "pain": 0},
        )


def test_future_or_bad_log_refused(uow: UowFactory, patient_id: int) -> None:
    with uow(THERAPIST) as u, pytest.raises(InvalidInput) as err:
        exercise_logs.log_exercise(
            u,
            patient_id,
            {"logged_on": "2026-12-25", "exercise_id": "bridge", "sets": 1, "pain": 11},
        )
    assert {p.field for p in err.value.problems} >= {"pain"}


def test_concurrent_edits_never_overwrite_silently(uow: UowFactory, patient_id: int) -> None:
    """PostgreSQL: the stale second write is a Conflict. SQLite: transactions take the write
    lock up front (BEGIN IMMEDIATE), so the second one waits and then sees the first's change."""
    import threading

    with uow(THERAPIST) as probe:
        dialect = probe.session.get_bind().dialect.name
    if dialect == "postgresql":
        with uow(THERAPIST) as a, uow(THERAPIST) as b:
            row_a = a.get(PatientRow, patient_id, "patient")
            row_b = b.get(PatientRow, patient_id, "patient")
            row_a.phone = "1"
            a.commit()
            row_b.phone = "2"
            with pytest.raises(Conflict, match="changed by someone else"):
                b.commit()
        return
    seen: list[tuple[str | None, int]] = []
    first_holds_lock = threading.Event()

    def second() -> None:
        first_holds_lock.wait()
        with uow(THERAPIST) as b:  # waits for the first transaction's lock
            row = b.get(PatientRow, patient_id, "patient")
            seen.append((row.phone, row.version))

    worker = threading.Thread(target=second)
    worker.start()
    with uow(THERAPIST) as a:
        row = a.get(PatientRow, patient_id, "patient")
        first_holds_lock.set()
        row.phone = "1"
        a.commit()
    worker.join(timeout=30)
    assert seen == [("1", 2)]


def test_adherence_counts_distinct_days_inside_each_week() -> None:
    start = date(2026, 11, 2)

    def line(day: str) -> exercise_logs.LogLine:
        return exercise_logs.LogLine(1, date.fromisoformat(day), "bridge", 2, 10, 2, "")

    days = ["2026-11-01", "2026-11-02", "2026-11-08", "2026-11-08", "2026-11-09", "2026-11-16"]
    # 11-01 is before the start; 11-02 (day 0) and 11-08 (day 6, logged twice) make week 0
    # two days; 11-09 (day 7) is week 1; 11-16 (day 14) is beyond the 2 weeks asked for
    assert exercise_logs.adherence_by_week([line(d) for d in days], start, 2) == [2, 1]
    assert exercise_logs.adherence_by_week([], start, 3) == [0, 0, 0]
