"""Database-backed trial mode on SQLite and PostgreSQL: set-up, screening, concealed randomisation
(also under concurrency), masking of the assessor, visits, safety, CONSORT and the analysis export.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from hipback.cli import app as cli_app
from hipback.clinic.access import Actor
from hipback.clinic.records import Role
from hipback.db.repositories import clinic as clinic_repo
from hipback.db.repositories import sealed_list as sealed_repo
from hipback.db.repositories import trial as trial_repo
from hipback.db.tables import AuditRow, EpisodeRow, GuessRow, OutcomeRow
from hipback.db.uow import UnitOfWork
from hipback.errors import Conflict, InvalidInput, PermissionDenied
from hipback.services import (
    evaluations,
    outcomes,
    patients,
    trial_randomise,
    trial_results,
    trial_safety,
    trial_visits,
)
from hipback.services import trial as trial_svc
from hipback.services.demo_evaluation import synthetic_evaluation
from hipback.trial.blinding import find_arm_leaks
from hipback.trial.commitment import allocation_from_document

from .conftest import NOW, THERAPIST

UowFactory = Callable[[Actor], UnitOfWork]
MANAGER = Actor("mia", Role.TRIAL_MANAGER)
ASSESSOR = Actor("abe", Role.ASSESSOR)
STATISTICIAN = Actor("sam", Role.STATISTICIAN)
ARMS = ("hip_focused", "spine_focused")
TODAY = NOW.date()


def _patient(uow: UowFactory, i: int, *, sex: str = "female", eligible: bool = True) -> int:
    with uow(THERAPIST) as u:
        patients.ensure_site(u, "main", "Main clinic")
        u.commit()
    data = {
        "given_name": f"Pat{i}",
        "family_name": "Trial",
        "birth_date": "1952-03-14",
        "sex": sex,
        "mrn": f"T-{i:04d}",
    }
    with uow(THERAPIST) as u:
        pid = patients.create_patient(u, data).id
    with uow(THERAPIST) as u:
        episode = clinic_repo.current_episode(u.session, pid)
        assert episode is not None
        evaluation = synthetic_evaluation(
            random.Random(i),
            mrn=data["mrn"],
            age=74,
            sex=sex,
            assessed_on=date(2026, 11, 20),
            eligible=eligible,
        )
        evaluations.record_evaluation(u, episode.id, evaluation)
    return pid


def _trial(uow: UowFactory) -> int:
    with uow(MANAGER) as u:
        return trial_svc.setup_trial(u).id


def _enrolled(uow: UowFactory, trial_id: int, n: int, sex: str = "female") -> list[int]:
    ids = []
    for i in range(n):
        pid = _patient(uow, 100 + i if sex == "female" else 200 + i, sex=sex)
        with uow(MANAGER) as u:
            ids.append(trial_svc.screen_patient(u, trial_id, pid, consented_on=TODAY).id)
    return ids


def _qbpds(level: int) -> dict[str, object]:
    return {"items": [level] * 20}  # QBPDS total = sum of 20 items (0-5) = 20 x level


def test_setup_publishes_a_verifiable_commitment(uow: UowFactory) -> None:
    trial_id = _trial(uow)
    with uow(ASSESSOR) as u:
        info = trial_svc.get_trial(u, trial_id)
        doc = trial_svc.commitment_document(u, trial_id)
    assert len(info.commitment) == 64 and doc["commitment"] == info.commitment
    assert info.arms == ARMS and info.randomised == 0
    with uow(MANAGER) as u:
        check = trial_randomise.verify_trial(u, trial_id)
    assert check["ok"] and check["log_ok"]
    with uow(THERAPIST) as u, pytest.raises(PermissionDenied):
        trial_svc.setup_trial(u, {"code": "other"})
    with uow(MANAGER) as u, pytest.raises(InvalidInput) as bad:
        trial_svc.setup_trial(u, {"code": "x2", "reference_arm": "hip"})
    assert "reference_arm" in str(bad.value)


def test_screening_uses_the_stored_evaluation_and_consent(uow: UowFactory) -> None:
    trial_id = _trial(uow)
    eligible, ineligible, declining = (
        _patient(uow, 1),
        _patient(uow, 2, eligible=False),
        _patient(uow, 3),
    )
    with uow(MANAGER) as u:
        ok = trial_svc.screen_patient(u, trial_id, eligible, consented_on=TODAY)
        no = trial_svc.screen_patient(u, trial_id, ineligible, consented_on=TODAY)
        dec = trial_svc.screen_patient(
            u, trial_id, declining, consented_on=None, declined_reason="travel"
        )
    assert (ok.status, ok.code, ok.site, ok.sex) == ("enrolled", "P001", "main", "female")
    assert no.status == "excluded" and no.exclusion is not None
    assert no.exclusion.startswith("not_meeting_inclusion")
    assert dec.exclusion == "declined: travel"
    with uow(MANAGER) as u, pytest.raises(Conflict):
        trial_svc.screen_patient(u, trial_id, eligible, consented_on=TODAY)
    with uow(MANAGER) as u, pytest.raises(InvalidInput):
        trial_randomise.randomise(u, trial_id, no.id)


def test_randomise_reveals_the_next_committed_slot_and_schedules_visits(uow: UowFactory) -> None:
    trial_id = _trial(uow)
    [first, second] = _enrolled(uow, trial_id, 2)
    with uow(ASSESSOR) as u, pytest.raises(PermissionDenied):
        trial_randomise.randomise(u, trial_id, first)
    with uow(MANAGER) as u:
        a1 = trial_randomise.randomise(u, trial_id, first)
        a2 = trial_randomise.randomise(u, trial_id, second)
        sealed = sealed_repo.sealed_list(u.session, trial_id)
        assert sealed is not None
        slots = allocation_from_document(sealed.document).slots("site=main|sex=female")
        episode = u.session.get(
            EpisodeRow, trial_svc.participant_row(u, trial_id, first).episode_id
        )
        assert episode is not None
        # the clinic episode gets the protocol arm the trial arm delivers (clinic_trial.toml)
        assert episode.arm == {"hip_focused": "hip", "spine_focused": "spine"}[a1.arm]
        audits = [r.detail for r in u.session.query(AuditRow) if r.action == "trial.randomised"]
    assert (a1.arm, a2.arm) == (slots[0].arm, slots[1].arm)
    assert (a1.sequence, a2.sequence) == (1, 2)
    assert audits and not any(find_arm_leaks(d, ARMS) for d in audits)
    with uow(MANAGER) as u, pytest.raises(Conflict):
        trial_randomise.randomise(u, trial_id, first)
    with uow(ASSESSOR) as u:
        [p, _] = trial_visits.visit_tracker(u, trial_id)
    # visit_windows.toml: week8 target day 56, window -7..+14, late 28; month6 day 182
    week8 = next(v for v in p.visits if v.code == "week8")
    assert week8.target == TODAY + timedelta(days=56)
    assert (week8.opens, week8.closes) == (TODAY + timedelta(49), TODAY + timedelta(70))
    assert week8.status.value == "not_yet_due"
    with uow(MANAGER) as u:
        log = trial_randomise.allocation_log(u, trial_id)
        check = trial_randomise.verify_trial(u, trial_id)
    assert [x.arm for x in log] == [a1.arm, a2.arm] and check["log_ok"]
    with uow(ASSESSOR) as u, pytest.raises(PermissionDenied):
        trial_randomise.allocation_log(u, trial_id)


def test_concurrent_randomisations_never_share_a_slot(uow: UowFactory) -> None:
    """Eight threads randomise eight participants of one stratum at the same moment."""
    trial_id = _trial(uow)
    ids = _enrolled(uow, trial_id, 8)
    barrier = threading.Barrier(len(ids))
    results: list[object] = []

    def work(pid: int) -> None:
        barrier.wait()
        try:
            with uow(MANAGER) as u:
                results.append(trial_randomise.randomise(u, trial_id, pid))
        except Exception as exc:  # recorded and asserted below
            results.append(exc)

    threads = [threading.Thread(target=work, args=(pid,)) for pid in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not [r for r in results if isinstance(r, Exception)], results
    with uow(MANAGER) as u:
        rows = trial_repo.randomisations(u.session, trial_id)
        sealed = sealed_repo.sealed_list(u.session, trial_id)
        check = trial_randomise.verify_trial(u, trial_id)
        info = trial_svc.get_trial(u, trial_id)
        assert sealed is not None
        slots = allocation_from_document(sealed.document).slots("site=main|sex=female")
        used = [(r.position, r.sequence, r.arm) for r in rows]
    assert sorted(p for p, _, _ in used) == list(range(8))
    assert [s for _, s, _ in used] == list(range(1, 9))
    assert [a for _, _, a in sorted(used)] == [s.arm for s in slots[:8]]
    assert check["log_ok"] and info.randomised == 8


def test_assessor_records_outcome_and_guess_atomically_and_stays_blind(uow: UowFactory) -> None:
    trial_id = _trial(uow)
    [pid] = _enrolled(uow, trial_id, 1)
    with uow(MANAGER) as u:
        trial_randomise.randomise(u, trial_id, pid)
    with uow(ASSESSOR) as u, pytest.raises(InvalidInput) as missing:
        trial_visits.record_assessment(
            u, trial_id, pid, visit="week8", assessed_on=TODAY, responses=_qbpds(2), guess=None
        )
    assert "guess" in str(missing.value)
    with uow(ASSESSOR) as u, pytest.raises(InvalidInput):  # bad responses: the guess is not kept
        trial_visits.record_assessment(
            u,
            trial_id,
            pid,
            visit="week8",
            assessed_on=TODAY,
            responses={"items": [9] * 20},
            guess="dont_know",
        )
    with uow(ASSESSOR) as u:
        assert u.session.query(GuessRow).count() == 0
        trial_visits.record_assessment(
            u,
            trial_id,
            pid,
            visit="week8",
            assessed_on=TODAY,
            responses=_qbpds(2),
            guess="dont_know",
        )
    with uow(ASSESSOR) as u:
        seen = trial_visits.blind_participant(u, trial_id, pid)
        assert u.session.query(OutcomeRow).filter_by(timepoint="8wk").one().value == 40
    assert seen.guessed == ("week8",)
    assert next(v for v in seen.visits if v.code == "week8").status.value == "completed"
    assert not find_arm_leaks(seen.__dict__, ARMS)
    for call in (trial_results.analysis_csv, trial_results.consort, trial_results.blinding_index):
        with uow(ASSESSOR) as u, pytest.raises(PermissionDenied):
            call(u, trial_id)
    with uow(ASSESSOR) as u, pytest.raises(PermissionDenied):
        trial_svc.participant_views(u, trial_id)


def test_unblinding_needs_an_authoriser_and_a_reason(uow: UowFactory) -> None:
    trial_id = _trial(uow)
    [pid] = _enrolled(uow, trial_id, 1)
    with uow(MANAGER) as u:
        trial_randomise.randomise(u, trial_id, pid)
    common = {"revealed_to": "Dr Safe", "revealed_to_role": "safety_officer"}
    with uow(MANAGER) as u, pytest.raises(PermissionDenied):  # trial manager cannot authorise
        trial_safety.unblind(
            u,
            trial_id,
            pid,
            kind="emergency",
            reason="serious fall, treating team asks",
            authorised_by="Mia",
            authoriser_role="trial_manager",
            **common,
        )
    with uow(MANAGER) as u, pytest.raises(InvalidInput):
        trial_safety.unblind(
            u,
            trial_id,
            pid,
            kind="emergency",
            reason="short",
            authorised_by="Dr PI",
            authoriser_role="principal_investigator",
            **common,
        )
    with uow(MANAGER) as u:
        trial_safety.unblind(
            u,
            trial_id,
            pid,
            kind="emergency",
            reason="serious fall, treating team asks",
            authorised_by="Dr PI",
            authoriser_role="principal_investigator",
            **common,
        )
    with uow(ASSESSOR) as u, pytest.raises(PermissionDenied):
        trial_safety.unblind(
            u,
            trial_id,
            pid,
            kind="end_of_trial",
            reason="the trial has ended now",
            authorised_by="x",
            authoriser_role="principal_investigator",
            **common,
        )
    with uow(ASSESSOR) as u:
        trial_safety.unblind(
            u,
            trial_id,
            pid,
            kind="accidental",
            reason="participant described her exercises",
            authorised_by="",
            authoriser_role="",
            revealed_to="",
            revealed_to_role="",
        )
    with uow(MANAGER) as u:
        events = trial_safety.unblindings(u, trial_id)
    assert [e["kind"] for e in events] == ["emergency", "accidental"]
    assert events[1]["revealed_to"] == "assessor:abe (assessor)"


def test_adverse_events_and_deviations(uow: UowFactory) -> None:
    trial_id = _trial(uow)
    [pid] = _enrolled(uow, trial_id, 1)
    with uow(MANAGER) as u:
        trial_randomise.randomise(u, trial_id, pid)
        ae = trial_safety.report_ae(
            u,
            trial_id,
            pid,
            {
                "onset": "2026-11-28",
                "description": "fall at home",
                "severity": "moderate",
                "seriousness": ["hospitalisation"],
                "relatedness": "unlikely",
                "expectedness": "unexpected",
            },
        )
    with uow(MANAGER) as u:
        done = trial_safety.adjudicate_ae(
            u,
            trial_id,
            int(str(ae["id"])),
            {
                "adjudicator": "Dr PI",
                "relatedness": "possible",
                "expectedness": "unexpected",
                "seriousness": ["hospitalisation"],
                "rationale": "exercise the day before",
            },
        )
    # adjudicated serious + related (possible) + unexpected = expedited (safety.py)
    assert (done["state"], done["serious"], done["related"], done["expedited"]) == (
        "adjudicated",
        True,
        True,
        True,
    )
    with uow(MANAGER) as u, pytest.raises(Conflict):
        trial_safety.adjudicate_ae(
            u,
            trial_id,
            int(str(ae["id"])),
            {
                "adjudicator": "Dr PI",
                "relatedness": "possible",
                "expectedness": "unexpected",
                "seriousness": [],
                "rationale": "second opinion here",
            },
        )
    with uow(MANAGER) as u:
        trial_safety.add_deviation(
            u,
            trial_id,
            pid,
            {
                "occurred_on": "2026-11-29",
                "category": "consent",
                "severity": "minor",
                "description": "consent form page 2 unsigned",
            },
        )
        lines = trial_safety.deviations(u, trial_id)
    assert [(d.category, d.detected) for d in lines] == [("consent", "manual")]


def test_consort_export_and_mmrm_from_live_data(uow: UowFactory) -> None:
    trial_id = _trial(uow)
    ids = _enrolled(uow, trial_id, 10) + _enrolled(uow, trial_id, 10, sex="male")
    excluded = _patient(uow, 999, eligible=False)
    with uow(MANAGER) as u:
        trial_svc.screen_patient(u, trial_id, excluded, consented_on=TODAY)
        for pid in ids:
            trial_randomise.randomise(u, trial_id, pid)
        views = trial_svc.participant_views(u, trial_id)
    arm = {v.id: v.arm for v in views}
    rng = random.Random(5)
    for i, pid in enumerate(ids):
        base = rng.randint(2, 4)
        follow = max(0, base - (2 if arm[pid] == "hip_focused" else 1) + rng.choice((-1, 0, 1)))
        with uow(MANAGER) as u:
            episode_id = trial_svc.participant_row(u, trial_id, pid).episode_id
        with uow(THERAPIST) as u:
            outcomes.record_outcome(
                u,
                episode_id,
                {
                    "timepoint": "baseline",
                    "instrument": "qbpds",
                    "assessed_on": "2026-11-20",
                    "responses": _qbpds(base),
                },
            )
        if i % 10 != 9:  # one in ten without a week-8 value
            with uow(ASSESSOR) as u:
                trial_visits.record_assessment(
                    u,
                    trial_id,
                    pid,
                    visit="week8",
                    assessed_on=TODAY,
                    responses=_qbpds(follow),
                    guess=rng.choice(["hip_focused", "spine_focused", "dont_know"]),
                )
    with uow(STATISTICIAN) as u:
        flow, svg = trial_results.consort(u, trial_id)
        text = trial_results.analysis_csv(u, trial_id)
        result = trial_results.analyse(u, trial_id)
        t1 = trial_results.baseline_table(u, trial_id)
        bi = trial_results.blinding_index(u, trial_id)
    assert flow.check() == [] and flow.assessed == 21 and flow.randomised == 20
    assert svg.startswith("<svg")
    lines = text.splitlines()
    assert lines[0] == "participant_id,arm,site,sex,visit,baseline,outcome"
    assert len(lines) == 1 + 20  # every randomised participant x week8 (month6 not reached)
    assert t1.n["Total"] == 20
    assert set(bi["week8"]) == set(ARMS)
    # Independent check: with one visit and no within-person repeats the MMRM is the ANCOVA
    # change ~ arm + base + sex (one site), fitted here by ordinary least squares.
    rows = [r.split(",") for r in lines[1:] if r.split(",")[4] == "week8" and r.split(",")[6]]
    base = np.array([float(r[5]) for r in rows])
    change = np.array([float(r[6]) for r in rows]) - base
    x = np.column_stack(
        [
            np.ones(len(rows)),
            [r[1] == "hip_focused" for r in rows],
            base,
            [r[3] == "male" for r in rows],
        ]
    ).astype(float)
    beta = np.linalg.lstsq(x, change, rcond=None)[0]
    [contrast] = result["contrasts"]  # type: ignore[misc]
    assert contrast["visit"] == "week8" and contrast["arm"] == "hip_focused"
    assert contrast["difference"] == pytest.approx(beta[1], abs=1e-6)


def test_cli_analyses_the_web_export_identically(uow: UowFactory, tmp_path: Path) -> None:
    """`hipback trial analyse` on the exported CSV gives the service's contrasts exactly."""
    trial_id = _trial(uow)
    ids = _enrolled(uow, trial_id, 8) + _enrolled(uow, trial_id, 8, sex="male")
    with uow(MANAGER) as u:
        for pid in ids:
            trial_randomise.randomise(u, trial_id, pid)
    rng = random.Random(11)
    for pid in ids:
        with uow(MANAGER) as u:
            episode_id = trial_svc.participant_row(u, trial_id, pid).episode_id
        with uow(THERAPIST) as u:
            outcomes.record_outcome(
                u,
                episode_id,
                {
                    "timepoint": "baseline",
                    "instrument": "qbpds",
                    "assessed_on": "2026-11-20",
                    "responses": _qbpds(rng.randint(1, 4)),
                },
            )
        with uow(ASSESSOR) as u:
            trial_visits.record_assessment(
                u,
                trial_id,
                pid,
                visit="week8",
                assessed_on=TODAY,
                responses=_qbpds(rng.randint(0, 4)),
                guess="dont_know",
            )
    with uow(STATISTICIAN) as u:
        path = tmp_path / "export.csv"
        path.write_text(trial_results.analysis_csv(u, trial_id))
        service = trial_results.analyse(u, trial_id)
    result = CliRunner().invoke(
        cli_app, ["trial", "analyse", str(path), "--reference", "spine_focused"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["contrasts"] == service["contrasts"]


def test_export_of_another_instrument(uow: UowFactory) -> None:
    """Gait speed = 6 m / time (10MWT over the timed 6 m): 6/5.0 = 1.2 and 6/4.0 = 1.5 m/s."""
    trial_id = _trial(uow)
    [pid] = _enrolled(uow, trial_id, 1)
    with uow(MANAGER) as u:
        trial_randomise.randomise(u, trial_id, pid)
        episode_id = trial_svc.participant_row(u, trial_id, pid).episode_id
    for timepoint, on, seconds in (("baseline", "2026-11-20", 5.0), ("8wk", "2027-01-24", 4.0)):
        with uow(THERAPIST) as u:
            outcomes.record_outcome(
                u,
                episode_id,
                {
                    "timepoint": timepoint,
                    "instrument": "ten_mwt",
                    "assessed_on": on,
                    "responses": {"time_s": seconds, "distance_m": 6},
                },
            )
    with uow(STATISTICIAN) as u:
        text = trial_results.analysis_csv(u, trial_id, "ten_mwt")
        qbpds = trial_results.analysis_csv(u, trial_id)
        with pytest.raises(InvalidInput) as bad:
            trial_results.analysis_csv(u, trial_id, "no_such")
    [header, row] = text.splitlines()
    assert row.split(",")[4:] == ["week8", "1.2", "1.5"]
    assert qbpds.splitlines() == [header]  # no QBPDS follow-up yet: nothing to export
    assert bad.value.problems[0].field == "instrument"


def test_concurrent_screening_gives_distinct_codes_or_a_conflict(uow: UowFactory) -> None:
    trial_id = _trial(uow)
    pids = [_patient(uow, 300 + i) for i in range(4)]
    barrier = threading.Barrier(len(pids))
    results: list[object] = []

    def work(pid: int) -> None:
        barrier.wait()
        try:
            with uow(MANAGER) as u:
                results.append(trial_svc.screen_patient(u, trial_id, pid, consented_on=TODAY))
        except Exception as exc:  # asserted below
            results.append(exc)

    threads = [threading.Thread(target=work, args=(pid,)) for pid in pids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(isinstance(r, trial_svc.ParticipantView | Conflict) for r in results), results
    with uow(MANAGER) as u:
        codes = [p.code for p in trial_repo.participants(u.session, trial_id)]
    assert (
        len(codes)
        == len(set(codes))
        == sum(isinstance(r, trial_svc.ParticipantView) for r in results)
    )
