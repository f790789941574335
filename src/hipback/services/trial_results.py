"""Unblinded trial results from live data: CONSORT flow, analysis export, MMRM, Table 1, Bang BI.

Everything here is per arm, so every function requires ``trial.results`` (trial manager and
statistician); masked assessors are refused. Participants appear only by their trial code
(``P001``), never by name (de-identified for the statistician).

Analysis export (long format, one row per randomised participant and post-baseline visit)::

    participant_id, arm, site, sex, visit, baseline, outcome

``baseline`` and ``outcome`` are the trial instrument's first value at the visit's clinic
timepoint (blank when not recorded); visits without any recorded outcome yet are left out.
It feeds :func:`hipback.trial.analysis.fit_mmrm` unchanged, and ``hipback trial analyse`` reads
the same CSV.
"""

from __future__ import annotations

import io
from typing import Any

from hipback import measures
from hipback.clinic.access import require
from hipback.core.escaping import write_csv
from hipback.db.repositories import trial as repo
from hipback.db.tables import PatientRow, TrialRow
from hipback.db.uow import UnitOfWork
from hipback.errors import InvalidInput
from hipback.services.patients import age_on
from hipback.services.plans import summary_for
from hipback.services.trial import Status, definition_of
from hipback.services.trial_definition import TrialDefinition
from hipback.services.trial_visits import visit_values
from hipback.trial.analysis import from_rows
from hipback.trial.analysis.dataset import COLUMNS
from hipback.trial.blinding_index import AssessorGuess, bang_for_visit
from hipback.trial.consort import ConsortFlow, FlowRecords, consort_flow
from hipback.trial.consort_svg import consort_svg
from hipback.trial.table1 import Table1, Variable, table1
from hipback.trial.windows import VisitStatus, visit_state


def _arms(uow: UnitOfWork, trial_id: int) -> dict[int, str]:
    return {r.participant_id: r.arm for r in repo.randomisations(uow.session, trial_id)}


def open_results(uow: UnitOfWork, trial_id: int, what: str) -> TrialRow:
    require(uow.actor, "trial.results")
    trial = uow.get(TrialRow, trial_id, "trial")
    uow.audit(f"trial.{what}.read", f"trial:{trial_id}", {})
    return trial


def flow_records(uow: UnitOfWork, trial: TrialRow) -> FlowRecords:
    definition = definition_of(trial)
    windows = {v.code: v for v in definition.schedule.visits}
    people = repo.participants(uow.session, trial.id)
    arms = _arms(uow, trial.id)
    values = visit_values(uow, people, definition)
    missed = {(v.participant_id, v.visit): v for v in repo.visits(uow.session, list(arms))}
    today = uow.clock.today()
    records: list[dict[str, Any]] = []
    for p in people:
        if p.id not in arms:
            category = p.exclusion_category or "other"
            reason = p.exclusion_reason or (
                "enrolled, awaiting randomisation" if p.status == Status.ENROLLED else p.status
            )
            records.append({"id": p.code, "exclusion": {"category": category, "reason": reason}})
            continue
        plan = summary_for(uow, p.episode_id)
        followup: dict[str, dict[str, str]] = {}
        for code in definition.followups:
            done = values.get((p.id, code))
            visit = missed.get((p.id, code))
            if done is not None and done[1] is not None:
                followup[code] = {"status": "completed"}
            elif visit is not None and visit.missed_reason:
                followup[code] = {"status": "missed", "reason": visit.missed_reason}
            elif p.randomised_on is not None and (
                visit_state(windows[code], p.randomised_on, today).status == VisitStatus.MISSED
            ):
                followup[code] = {"status": "missed", "reason": "not assessed by the window's end"}
        records.append(
            {
                "id": p.code,
                "arm": arms[p.id],
                "received_intervention": True if plan is not None and plan.attended else None,
                "followup": followup,
            }
        )
    return FlowRecords.from_mapping(
        {
            "arms": list(definition.arms),
            "visits": list(definition.followups),
            "visit_labels": {v.code: v.label for v in definition.schedule.visits},
            "participants": records,
        }
    )


def consort(uow: UnitOfWork, trial_id: int) -> tuple[ConsortFlow, str]:
    """CONSORT counts and the SVG flow diagram from the live records."""
    trial = open_results(uow, trial_id, "consort")
    flow = consort_flow(flow_records(uow, trial))
    uow.commit()
    return flow, consort_svg(flow, title=f"CONSORT flow: {trial.name}")


def _for_instrument(trial: TrialRow, instrument: str | None) -> TrialDefinition:
    """The trial definition, with another outcome instrument when one is chosen."""
    definition = definition_of(trial)
    if instrument is None or instrument == definition.instrument:
        return definition
    if instrument not in measures.ids():
        raise InvalidInput.one("instrument", instrument, ", ".join(measures.ids()))
    return definition.model_copy(update={"instrument": instrument})


def analysis_rows(
    uow: UnitOfWork, trial: TrialRow, instrument: str | None = None
) -> list[dict[str, str]]:
    definition = _for_instrument(trial, instrument)
    people = [p for p in repo.participants(uow.session, trial.id) if p.status == Status.RANDOMISED]
    arms = _arms(uow, trial.id)
    values = visit_values(uow, people, definition)

    def text(key: tuple[int, str]) -> str:
        found = values.get(key)
        return "" if found is None or found[1] is None else repr(float(found[1]))

    started = [  # visits nobody has reached yet are left out (they cannot be analysed)
        code for code in definition.followups if any(text((p.id, code)) for p in people)
    ]
    rows = []
    for p in people:
        base = text((p.id, "baseline"))
        for code in started:
            rows.append(
                {
                    "participant_id": p.code,
                    "arm": arms[p.id],
                    "site": p.site,
                    "sex": p.sex,
                    "visit": code,
                    "baseline": base,
                    "outcome": text((p.id, code)),
                }
            )
    return rows


def analysis_csv(uow: UnitOfWork, trial_id: int, instrument: str | None = None) -> str:
    trial = open_results(uow, trial_id, "export")
    rows = analysis_rows(uow, trial, instrument)
    uow.commit()
    buffer = io.StringIO()
    write_csv(buffer, COLUMNS, rows, lineterminator="\n")
    return buffer.getvalue()


def analyse(
    uow: UnitOfWork, trial_id: int, reference: str | None = None, instrument: str | None = None
) -> dict[str, object]:
    """MMRM on the live export (``hipback.trial.analysis.fit_mmrm``); unfittable data is named."""
    from hipback.trial.analysis.mmrm import fit_mmrm  # the model loads with the first analysis

    trial = open_results(uow, trial_id, "analysis")
    definition = _for_instrument(trial, instrument)
    rows = analysis_rows(uow, trial, instrument)
    uow.commit()
    ref = reference or definition.reference_arm
    if ref not in definition.arms:
        raise InvalidInput.one("reference", ref, ", ".join(definition.arms))
    usable = [r for r in rows if r["baseline"] and r["outcome"]]
    if not usable:
        raise InvalidInput.one(
            "data", 0, "participants with baseline and follow-up values", "nothing to analyse yet"
        )
    seen = {r["visit"] for r in usable}
    data = from_rows(usable, visits=[v for v in definition.followups if v in seen])
    return fit_mmrm(data, ref).as_dict()


def baseline_table(uow: UnitOfWork, trial_id: int) -> Table1:
    trial = open_results(uow, trial_id, "table1")
    definition = definition_of(trial)
    people = [p for p in repo.participants(uow.session, trial.id) if p.status == Status.RANDOMISED]
    arms = _arms(uow, trial.id)
    values = visit_values(uow, people, definition)
    rows = []
    for p in people:
        patient = uow.get(PatientRow, p.patient_id, "patient")
        found = values.get((p.id, "baseline"))
        rows.append(
            {
                "arm": arms[p.id],
                "age": age_on(patient.birth_date, p.randomised_on or uow.clock.today()),
                "sex": p.sex,
                "site": p.site,
                "baseline": None if found is None else found[1],
            }
        )
    uow.commit()
    variables = [
        Variable("age", "Age, years", "continuous"),
        Variable("sex", "Sex", "categorical", ("female", "male")),
        Variable("site", "Site", "categorical"),
        Variable("baseline", f"{definition.instrument.upper()} at baseline", "continuous"),
    ]
    return table1(rows, list(definition.arms), variables)


def blinding_index(uow: UnitOfWork, trial_id: int) -> dict[str, dict[str, dict[str, object]]]:
    """Bang's blinding index per follow-up visit and arm (visits without guesses are omitted)."""
    trial = open_results(uow, trial_id, "blinding_index")
    definition = definition_of(trial)
    codes = {p.id: p.code for p in repo.participants(uow.session, trial.id)}
    arm_of = {codes[pid]: arm for pid, arm in _arms(uow, trial.id).items()}
    guesses = [
        AssessorGuess(codes[g.participant_id], g.visit, g.guess, g.assessor, g.at)
        for g in repo.guesses(uow.session, trial.id)
    ]
    uow.commit()
    out: dict[str, dict[str, dict[str, object]]] = {}
    for visit in definition.followups:
        if not any(g.visit == visit for g in guesses):
            continue
        try:
            found = bang_for_visit(guesses, arm_of, definition.arms, visit)
        except InvalidInput:
            continue  # an arm without guesses at this visit: no index yet
        out[visit] = {arm: bi.as_dict() for arm, bi in found.items()}
    return out
