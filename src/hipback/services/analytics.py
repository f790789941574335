"""Clinic analytics across the clinic's own patients (observational, not trial evidence).

Per-arm mean trajectories, responders by minimal important change and adherence against change.
Reading every patient's arm, outcomes and logs needs clinic-wide permission for all three (admin
or therapist); one audit entry records the read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean

from hipback import measures
from hipback.clinic.access import require
from hipback.db.repositories import clinic as repo
from hipback.db.repositories import views
from hipback.db.repositories.views import OutcomeView
from hipback.db.uow import UnitOfWork
from hipback.errors import InvalidInput
from hipback.measures import Change
from hipback.reports.models import (
    AdherencePoint,
    ArmTrajectory,
    ClinicAnalytics,
    InstrumentTrajectories,
    ResponderRate,
)
from hipback.reports.summary import amount
from hipback.reports.wording import load_wording
from hipback.services.exercise_logs import LogLine, adherence_by_week
from hipback.services.patients import age_on
from hipback.services.reports import elapsed_weeks

STANDARD = ("baseline", "4wk", "8wk", "6mo")
MAX_PATIENTS = 5000


@dataclass(frozen=True)
class _Episode:
    arm: str
    age: int
    sex: str
    #: standard timepoint -> row (the last one recorded at that timepoint) per instrument
    results: dict[str, dict[str, OutcomeView]]
    adherence: float | None


def _episodes(uow: UnitOfWork) -> list[_Episode]:
    today = uow.clock.today()
    found = []
    for patient in repo.search_patients(uow.session, "", MAX_PATIENTS, 0):
        episode = views.current_episode(uow.session, patient.id)
        if episode is None or episode.arm is None:
            continue
        results: dict[str, dict[str, OutcomeView]] = defaultdict(dict)
        for row in views.outcomes(uow.session, episode.id):
            if row.timepoint in STANDARD and row.value is not None:
                results[row.instrument][row.timepoint] = row
        if not results:
            continue
        header = views.latest_plan_header(uow.session, episode.id)
        start = header.start_on if header is not None else episode.opened_on
        weeks = min(8, max(1, (today - start).days // 7))
        logs = [LogLine(**r._asdict()) for r in views.exercise_logs(uow.session, patient.id, 1000)]
        adherence = (
            fmean(adherence_by_week(logs, start, weeks))
            if logs and elapsed_weeks(start, today) > 0
            else None
        )
        found.append(
            _Episode(
                episode.arm,
                age_on(patient.birth_date, today),
                patient.sex,
                dict(results),
                adherence,
            )
        )
    return found


def _latest_change(e: _Episode, instrument: str) -> Change | None:
    """Primary ``compare`` change from baseline to the latest standard follow-up, or None."""
    rows = e.results.get(instrument, {})
    follow = [rows[t] for t in STANDARD[1:] if t in rows]
    if "baseline" not in rows or not follow:
        return None
    try:
        compared = measures.compare(
            instrument,
            rows["baseline"].responses,
            follow[-1].responses,
            {"age": e.age, "sex": e.sex},
        )
    except InvalidInput:
        return None
    return compared.primary


def _trajectories(episodes: Sequence[_Episode]) -> list[InstrumentTrajectories]:
    wording = load_wording()
    order = measures.ids()  # registry order: the primary outcome (QBPDS) first
    instruments = sorted({i for e in episodes for i in e.results}, key=order.index)
    out = []
    for instrument in instruments:
        spec = measures.get(instrument).spec
        arms = []
        for arm in sorted({e.arm for e in episodes}):
            cells = [
                (
                    t,
                    [
                        e.results[instrument][t].value
                        for e in episodes
                        if e.arm == arm and t in e.results.get(instrument, {})
                    ],
                )
                for t in STANDARD
            ]
            kept = [(t, [float(v) for v in vs if v is not None]) for t, vs in cells if vs]
            if kept:
                arms.append(
                    ArmTrajectory(
                        arm,
                        tuple(t for t, _ in kept),
                        tuple(fmean(vs) for _, vs in kept),
                        tuple(len(vs) for _, vs in kept),
                    )
                )
        out.append(
            InstrumentTrajectories(
                instrument,
                wording.domain(instrument, spec.name),
                spec.unit,
                spec.direction == "higher_is_better",
                tuple(arms),
            )
        )
    return out


def clinic_analytics(uow: UnitOfWork) -> ClinicAnalytics:
    for action in ("patient.list", "arm.read", "outcome.read", "exercise_log.read"):
        require(uow.actor, action)
    episodes = _episodes(uow)
    trajectories = _trajectories(episodes)
    responders: list[ResponderRate] = []
    mcid_text: dict[str, str] = {}
    scatter_counts: dict[str, int] = {}
    for t in trajectories:
        spec = measures.get(t.instrument).spec
        mcid = spec.primary_threshold(("mcid", "mic"))
        if mcid is None:
            continue
        flag = "" if mcid.confidence.is_verified else ", not verified"
        size = amount(mcid.value, spec.unit) if mcid.value is not None else f"{mcid.relative:.0%}"
        mcid_text[t.instrument] = f"minimal important change {size} ({mcid.citation}{flag})"
        for arm in sorted({e.arm for e in episodes}):
            changes = [_latest_change(e, t.instrument) for e in episodes if e.arm == arm]
            judged = [c for c in changes if c is not None]
            if judged:
                hits = sum(1 for c in judged if c.verdict == "improved")
                responders.append(ResponderRate(arm, t.instrument, hits, len(judged)))
        scatter_counts[t.instrument] = sum(
            1 for e in episodes if e.adherence is not None and _latest_change(e, t.instrument)
        )
    chosen = max(scatter_counts, key=lambda i: scatter_counts[i], default="")
    scatter: list[AdherencePoint] = []
    for e in episodes:
        change = _latest_change(e, chosen) if chosen else None
        if change is not None and e.adherence is not None:
            scatter.append(AdherencePoint(e.arm, e.adherence, change.improvement))
    chosen_spec = measures.get(chosen).spec if chosen else None
    mcid = chosen_spec.primary_threshold(("mcid", "mic")) if chosen_spec else None
    site = repo.find_site(uow.session, "main")
    analytics = ClinicAnalytics(
        clinic=site.name if site is not None else "",
        generated_on=uow.clock.today(),
        patients=len(episodes),
        trajectories=tuple(trajectories),
        responders=tuple(responders),
        scatter_instrument=chosen,
        scatter_unit=chosen_spec.unit if chosen_spec else "",
        scatter=tuple(scatter),
        scatter_mcid=mcid.value if mcid is not None else None,
        mcid_text=mcid_text,
    )
    uow.audit("analytics.read", "clinic", {"patients": len(episodes)})
    uow.commit()
    return analytics
