"""Report view models built from the demo clinic, checked against the database directly.

The expected numbers are recomputed here with plain SQL over the stored rows (not through the
services under test): outcome values, delivered sessions, logged days, per-arm means.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import timedelta
from statistics import fmean
from typing import Any

import pytest
import sqlalchemy as sa

from hipback import measures
from hipback.clinic.access import Actor
from hipback.clinic.records import Role
from hipback.config import Settings
from hipback.core.clock import FixedClock
from hipback.db import make_engine
from hipback.db.tables import (
    EpisodeRow,
    ExerciseLogRow,
    OutcomeRow,
    PatientRow,
    PlanRow,
    SessionRow,
)
from hipback.db.uow import UnitOfWork, session_factory
from hipback.errors import PermissionDenied
from hipback.protocol import load_catalog
from hipback.services import analytics, reports

from .conftest import NOW, THERAPIST

UowFactory = Callable[[Actor], UnitOfWork]
ASSESSOR = Actor("ali", Role.ASSESSOR)
STATISTICIAN = Actor("stan", Role.STATISTICIAN)


@pytest.fixture
def demo(demo_db: Any, clock: FixedClock) -> Iterator[UowFactory]:
    """This test's own copy of an 8-patient demo clinic loaded at ``NOW`` (built once)."""
    url = demo_db(n_patients=8, today=NOW.date(), fixed_now=NOW)
    engine = make_engine(Settings(database_url=url))
    factory = session_factory(engine)
    yield lambda actor: UnitOfWork(factory, actor, clock)
    engine.dispose()


def _ids(u: UnitOfWork) -> list[int]:
    return list(u.session.scalars(sa.select(PatientRow.id).order_by(PatientRow.id)))


def test_progress_report_numbers_match_the_database(demo: UowFactory) -> None:
    with demo(THERAPIST) as u:
        ids = _ids(u)
    assert len(ids) == 8
    for pid in ids:
        with demo(THERAPIST) as u:
            report = reports.progress_report(u, pid)
        with demo(THERAPIST) as u:
            episode = u.session.scalars(
                sa.select(EpisodeRow).where(EpisodeRow.patient_id == pid)
            ).one()
            rows = u.session.execute(
                sa.select(OutcomeRow.instrument, OutcomeRow.value)
                .where(OutcomeRow.episode_id == episode.id)
                .order_by(OutcomeRow.id)
            ).all()
            plan = u.session.scalars(
                sa.select(PlanRow).where(PlanRow.episode_id == episode.id)
            ).one_or_none()
            sessions = (
                list(
                    u.session.scalars(
                        sa.select(SessionRow.status).where(SessionRow.plan_id == plan.id)
                    )
                )
                if plan
                else []
            )
            logged = set(
                u.session.scalars(
                    sa.select(ExerciseLogRow.logged_on).where(ExerciseLogRow.patient_id == pid)
                )
            )
            start = plan.start_on if plan else episode.opened_on
            arm = episode.arm
            has_plan = plan is not None
        assert report.arm == arm
        by_instrument: dict[str, list[float]] = defaultdict(list)
        for instrument, value in rows:
            by_instrument[instrument].append(float(value))
        shown = {o.instrument: [p.value for p in o.points] for o in report.outcomes}
        assert shown == dict(by_instrument)
        assert report.sessions_planned == len(sessions)
        assert report.sessions_attended == sessions.count("delivered")
        weeks = min(8, (NOW.date() - start).days // 7 + 1)
        expected = [
            sum(1 for d in range(7) if start + timedelta(days=7 * w + d) in logged)
            for w in range(weeks)
        ]
        # no chart before home exercise is prescribed (no plan) or logged
        assert list(report.adherence) == (expected if has_plan or logged else [])
        for view in report.outcomes:
            if len(view.points) >= 2 and view.mcid is not None:
                assert view.verdict in ("improved", "no_meaningful_change", "worsened")
                assert view.summary.startswith(view.domain)


def test_blinded_assessor_gets_no_arm_and_no_logs(demo: UowFactory) -> None:
    with demo(THERAPIST) as u:
        pid = _ids(u)[1]
    with demo(ASSESSOR) as u:
        report = reports.progress_report(u, pid)
    assert report.arm is None
    assert report.adherence == ()
    assert report.sessions_planned == 0  # the plan reveals the arm, so it is left out


def test_statistician_may_not_read_a_report(demo: UowFactory) -> None:
    with demo(THERAPIST) as u:
        pid = _ids(u)[1]
    with demo(STATISTICIAN) as u, pytest.raises(PermissionDenied):
        reports.progress_report(u, pid)


def test_patient_reads_only_their_own(demo: UowFactory) -> None:
    with demo(THERAPIST) as u:
        first, second = _ids(u)[:2]
    me = Actor("pat", Role.PATIENT, patient_id=second)
    with demo(me) as u:
        assert reports.progress_report(u, second).mrn == "SYN-0002"
    with demo(me) as u, pytest.raises(PermissionDenied):
        reports.progress_report(u, first)


def test_handout_follows_the_last_delivered_session(demo: UowFactory) -> None:
    catalog = load_catalog()
    with demo(THERAPIST) as u:
        plan_ids = list(u.session.scalars(sa.select(PlanRow.id)))
    assert plan_ids
    for plan_id in plan_ids:
        with demo(THERAPIST) as u:
            handout = reports.home_exercise_handout(u, plan_id)
            plan = u.session.get(PlanRow, plan_id)
            assert plan is not None
            sessions = plan.data["sessions"]
            delivered = list(
                u.session.scalars(
                    sa.select(SessionRow.number).where(
                        SessionRow.plan_id == plan_id, SessionRow.status == "delivered"
                    )
                )
            )
        number = max(delivered) if delivered else 1
        session = next(s for s in sessions if s["number"] == number)
        assert handout.session_number == number
        assert [e.id for e in handout.exercises] == [h["id"] for h in session["home_program"]]
        for e in handout.exercises:
            assert e.steps == catalog.get(e.id).instructions
            assert e.purpose and e.dose
            assert "×" not in e.dose
        # the talks given up to that session (at least session 1's), in plain words
        talks = [
            catalog.get(i["id"]).patient_name
            for s in sessions
            if s["number"] <= number
            for i in s["items"]
            if i["part"] == "education"
        ]
        assert [t.title for t in handout.education] == list(dict.fromkeys(talks))
        assert handout.education and all(t.points for t in handout.education)


def test_analytics_means_match_sql(demo: UowFactory) -> None:
    with demo(THERAPIST) as u:
        view = analytics.clinic_analytics(u)
        rows = u.session.execute(
            sa.select(EpisodeRow.arm, OutcomeRow.instrument, OutcomeRow.timepoint, OutcomeRow.value)
            .join(OutcomeRow, OutcomeRow.episode_id == EpisodeRow.id)
            .where(EpisodeRow.arm.is_not(None))
        ).all()
    cells: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for arm, instrument, timepoint, value in rows:
        cells[(instrument, arm, timepoint)].append(float(value))
    shown = {
        (t.instrument, a.arm, tp): (mean, n)
        for t in view.trajectories
        for a in t.arms
        for tp, mean, n in zip(a.timepoints, a.means, a.counts, strict=True)
    }
    assert shown == {k: (pytest.approx(fmean(v)), len(v)) for k, v in cells.items()}
    assert {r.arm for r in view.responders} == {"hip", "spine"}
    for rate in view.responders:
        assert 0 <= rate.responders <= rate.assessed
    assert view.scatter and view.scatter_instrument in measures.ids()


def test_analytics_needs_clinic_wide_access(demo: UowFactory) -> None:
    for actor in (ASSESSOR, STATISTICIAN, Actor("pat", Role.PATIENT, patient_id=1)):
        with demo(actor) as u, pytest.raises(PermissionDenied):
            analytics.clinic_analytics(u)
