"""Build an :class:`OutcomeView` (chart data and summary) from an instrument's results.

Pure: takes the instrument id, dated values and the ``compare`` result as plain data, reads the
instrument's spec for its range, thresholds and the norms that apply to this patient.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hipback import measures
from hipback.measures.spec import InstrumentSpec
from hipback.reports.models import OutcomeView, ReferenceLine, SeriesPoint
from hipback.reports.summary import change_sentence, no_threshold_sentence, single_sentence
from hipback.reports.wording import load_wording

MAX_LINES = 2


def _ages(lo: float | None, hi: float | None) -> str:
    if lo is None and hi is None:
        return ""
    if hi is None:
        return f"{lo:g}+ y"
    return f"{lo or 0:g}-{hi:g} y"


def reference_lines(spec: InstrumentSpec, age: int, sex: str) -> tuple[ReferenceLine, ...]:
    """Norm values and band edges of the headline score that apply to this age and sex.

    Verified sources come first; at most ``MAX_LINES`` so the chart stays readable.
    """
    found: dict[tuple[str, float], ReferenceLine] = {}
    for row in spec.norms:
        if row.subscore is not None or not row.applies_to(age, sex):
            continue
        verified = row.confidence.is_verified
        if row.kind == "reference" and row.value is not None:
            group = " ".join(
                part
                for part in (
                    "" if row.sex == "any" else row.sex,
                    _ages(row.age_min, row.age_max),
                )
                if part
            )
            label = f"{row.table}{', ' + group if group else ''}: {row.value:g} {spec.unit}"
            found[(row.table, row.value)] = ReferenceLine(label, row.value, verified)
        else:
            for edge in (row.low, row.high):
                if edge is not None and (row.table, edge) not in found:
                    found[(row.table, edge)] = ReferenceLine(
                        f"{row.table}: {edge:g} {spec.unit}", edge, verified
                    )
    ordered = sorted(found.values(), key=lambda r: (not r.verified, r.label))
    return tuple(ordered[:MAX_LINES])


def outcome_view(
    instrument: str,
    points: Sequence[SeriesPoint],
    change: Mapping[str, Any] | None,
    *,
    age: int,
    sex: str,
) -> OutcomeView:
    """``change`` is ``measures.compare(...).as_dict()`` of first vs last result, or None."""
    spec = measures.get(instrument).spec
    domain = load_wording().domain(instrument, spec.name)
    mcid = spec.primary_threshold(("mcid", "mic"))
    notes: list[str] = []
    verdict = None
    if change is not None and change.get("changes"):
        primary = change["changes"][0]
        verdict = str(change.get("verdict", primary.get("verdict")))
        summary = change_sentence(domain, spec.unit, primary)
    elif len(points) >= 2:
        summary = no_threshold_sentence(domain, spec.unit, points[0].value, points[-1].value)
    elif points:
        summary = single_sentence(domain, spec.unit, points[0].value, points[0].label)
    else:
        summary = f"{domain}: no results recorded."
    if mcid is not None and not mcid.confidence.is_verified:
        notes.append(f"Minimal important change from {mcid.citation}: not verified.")
    lines = reference_lines(spec, age, sex)
    if any(not line.verified for line in lines):
        notes.append("Dotted reference lines come from sources not verified for this population.")
    return OutcomeView(
        instrument=instrument,
        domain=domain,
        short_name=spec.short_name,
        unit=spec.unit,
        higher_is_better=spec.direction == "higher_is_better",
        score_min=spec.score_min,
        score_max=spec.score_max,
        points=tuple(points),
        mcid=mcid.value if mcid is not None else None,
        mcid_verified=mcid.confidence.is_verified if mcid is not None else False,
        mcid_source=mcid.citation if mcid is not None else "",
        reference_lines=lines,
        verdict=verdict,
        summary=summary,
        notes=tuple(notes),
    )
