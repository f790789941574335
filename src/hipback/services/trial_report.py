"""The trial report (HTML/PDF) from live data: the same export, model and tables as the results
pages, laid out by :mod:`hipback.reports.trial`. Requires ``trial.results``."""

from __future__ import annotations

from hipback import measures
from hipback.db.uow import UnitOfWork
from hipback.errors import InvalidInput
from hipback.reports.trial import TrialReport, build_trial_report
from hipback.services import trial_results
from hipback.services.trial import definition_of
from hipback.trial.analysis import from_rows


def trial_report(uow: UnitOfWork, trial_id: int) -> TrialReport:
    from hipback.trial.analysis.mmrm import fit_mmrm  # the model loads with the first report

    flow, _svg = trial_results.consort(uow, trial_id)
    table = trial_results.baseline_table(uow, trial_id)
    trial = trial_results.open_results(uow, trial_id, "report")
    definition = definition_of(trial)
    rows = trial_results.analysis_rows(uow, trial)
    uow.commit()
    usable = [r for r in rows if r["baseline"] and r["outcome"]]
    if not usable:
        raise InvalidInput.one(
            "data", 0, "participants with baseline and follow-up values", "nothing to report yet"
        )
    seen = {r["visit"] for r in usable}
    data = from_rows(usable, visits=[v for v in definition.followups if v in seen])
    result = fit_mmrm(data, definition.reference_arm)
    spec = measures.get(definition.instrument).spec
    mcid = spec.primary_threshold(("mcid", "mic"))
    return build_trial_report(
        definition.name,
        f"{spec.short_name} change from baseline",
        spec.unit,
        data,
        result,
        flow,
        table,
        arm_labels=definition.arm_labels,
        mcid=mcid.value if mcid is not None else None,
        generated_on=uow.clock.today(),
    )
