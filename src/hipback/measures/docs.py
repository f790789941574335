"""Render ``docs/measures.md`` from the instrument spec files: ``python -m hipback.measures.docs``.

The doc is generated, never hand-edited, so it cannot drift from what the code scores
(``tests/measures/test_docs.py`` fails when it is stale).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hipback.measures import registry
from hipback.measures.base import Measure
from hipback.measures.questionnaire import Questionnaire
from hipback.measures.spec import InstrumentSpec, NormSpec

LICENCE = {
    "public_domain": "public domain",
    "free_with_terms": "free, with terms",
    "free_noncommercial": "free for non-commercial use",
    "licence_required": "licence required",
    "unclear": "unclear",
}

HEADER = """# Outcome measures

Generated from `src/hipback/measures/data/*.toml` by `make docs`; do not edit by hand.

Confidence marks: ✅ read in a primary source; ⚠️ secondary sources only, or sources disagree;
❌ not verified. Anything not ✅ is shown to users as **unverified**.

## Using them

* Python: `hipback.measures.score(id, responses)` → `Score`;
  `hipback.measures.compare(id, before, after, patient={"age": 70, "sex": "female"})`
  → `Comparison`;
  `hipback.measures.score_batch(id, array_or_dataframe)` for research datasets (vectorised;
  identical to one-at-a-time scoring).
* CLI: `hipback score ID [--input FILE] [--age N --sex S]` prints JSON with `instrument`, `score`,
  `unit`, `subscores`, `category`, `details`, `warnings` and `interpretation`;
  `--batch --input FILE.csv|FILE.jsonl` prints one JSON line per row with a progress bar.
* Web: `/measures/ID` (calculator), `POST /api/measures/ID/score`, `POST /api/measures/ID/compare`.
* Bad input: the CLI exits with status 2 and one line naming the field, the value and what is
  allowed; the API answers 422 with `problems: [{field, value, allowed, message}]`; Python raises
  `hipback.errors.InvalidInput` carrying the same `problems`.

## Judging change

`compare` reports the change, the improvement (signed so that positive is better), and whether it
reaches the primary MCID/MIC and the MDC. The verdict is *improved* or *worsened* only when both are
reached (a change within measurement error cannot be told from noise), otherwise *no meaningful
change*. A threshold given as points **or** a percentage is met by either.

| id | instrument | range | higher is | scoring | MCID (primary) | MDC (primary) | norms | LOINC \
| licence |
|---|---|---|---|---|---|---|---|---|---|
"""


def _mark(conf: object) -> str:
    return {"verified": "✅", "uncertain": "⚠️", "unverified": "❌"}[str(conf)]


def _threshold(spec: InstrumentSpec, kinds: tuple[str, ...]) -> str:
    t = spec.primary_threshold(kinds)
    if t is None:
        subs = [x for x in spec.thresholds if x.kind in kinds and x.primary]
        if not subs:
            return "—"
        return "; ".join(
            f"{x.subscore}: {_amount(x.value, x.relative)} {_mark(x.confidence)}" for x in subs
        )
    return f"{_amount(t.value, t.relative)} {_mark(t.confidence)}"


def _amount(value: float | None, relative: float | None) -> str:
    parts = [] if value is None else [f"{value:g}"]
    if relative is not None:
        parts.append(f"{relative:.0%}")
    return " or ".join(parts)


def _direction(spec: InstrumentSpec) -> str:
    if len(set(spec.subscore_directions.values())) > 1:
        return "depends on the score (see below)"
    return "worse" if spec.direction == "higher_is_worse" else "better"


def _loinc(measure: Measure) -> str:
    codes = [f"{c.code} {_mark(c.confidence)}" for c in _loinc_codes(measure).values()]
    return ", ".join(codes) if codes else "—"


def _loinc_codes(measure: Measure) -> dict[str, Any]:
    extra = getattr(measure, "loinc_codes", None)
    codes: dict[str, Any] = dict(extra()) if callable(extra) else {}
    if measure.spec.loinc is not None:
        codes = {"score": measure.spec.loinc} | codes
    return codes


def summary_row(measure: Measure) -> str:
    spec = measure.spec
    norms = sorted({_mark(n.confidence) for n in spec.norms}) if spec.norms else ["—"]
    loinc = _loinc(measure)
    return (
        f"| `{spec.id}` | {spec.name} | {spec.score_min:g}-{spec.score_max:g} {spec.unit} "
        f"| {_direction(spec)} "
        f"| {_mark(spec.scoring_source.confidence)} | {_threshold(spec, ('mcid', 'mic'))} "
        f"| {_threshold(spec, ('mdc', 'sdc'))} | {' '.join(norms)} | {loinc} "
        f"| {LICENCE[spec.licence.status]} {_mark(spec.licence.confidence)} |"
    )


def section(measure: Measure) -> str:
    spec = measure.spec
    out = [f"## `{spec.id}` — {spec.name} ({spec.version})", "", spec.summary, ""]
    out.append(
        f"* Scoring {_mark(spec.scoring_source.confidence)}: {spec.scoring_source.citation}."
    )
    if spec.subscore_directions:
        worse = [k for k, v in spec.subscore_directions.items() if v == "higher_is_worse"]
        better = [k for k, v in spec.subscore_directions.items() if v == "higher_is_better"]
        out.append(
            f"* Range {spec.score_min:g}-{spec.score_max:g} {spec.unit}; higher is worse for "
            f"{', '.join(worse) or '—'}; higher is better for {', '.join(better) or '—'}."
        )
    else:
        out.append(
            f"* Range {spec.score_min:g}-{spec.score_max:g} {spec.unit}; higher is "
            f"{'worse' if spec.direction == 'higher_is_worse' else 'better'}."
        )
    out.append(f"* Missing data {_mark(spec.missing_rule_confidence)}: {spec.missing_rule}")
    lic = spec.licence
    out.append(
        f"* Licence {_mark(lic.confidence)}: {LICENCE[lic.status]} — {lic.holder}. {lic.terms}"
    )
    codes = _loinc_codes(measure)
    if codes:
        for name, code in codes.items():
            label = "" if name == "score" else f" ({name})"
            out.append(f"* LOINC{label} {_mark(code.confidence)}: {code.code} {code.display}")
    else:
        out.append("* LOINC: none found; FHIR export uses the hipback code system.")
    out += ["", "**Input** (JSON object):", ""]
    if spec.inputs:
        out += [f"* `{k}`: {v}" for k, v in spec.inputs.items()]
    elif isinstance(measure, Questionnaire):
        out.append(f"* `items`: {len(spec.items)} answers in item order; `null` = missing")
    for f in measure.fields() if not isinstance(measure, Questionnaire) else ():
        if f"`{f.name}`" not in "\n".join(out):
            req = "required" if f.required else "optional"
            out.append(f"* `{f.name}`: {f.allowed()}; {req}")
    if spec.items:
        out += ["", *_item_direction(spec), "| # | item (topic only) | range |", "|---|---|---|"]
        mixed = len({item.reverse for item in spec.items if item.scored}) > 1
        for i, item in enumerate(spec.items):
            flags = "" if item.scored else " (not scored)"
            if mixed and item.reverse and "revers" not in item.topic:
                flags += " (reverse-scored)"
            out.append(f"| {i} | {item.topic}{flags} | {item.min:g}-{item.max:g} |")
    if spec.thresholds:
        out += ["", "| threshold | value | population | source |", "|---|---|---|---|"]
        for t in spec.thresholds:
            name = t.kind.upper() + (f" ({t.subscore})" if t.subscore else "")
            name += " — primary" if t.primary else ""
            out.append(
                f"| {name} | {_amount(t.value, t.relative)} | {t.population} "
                f"| {t.citation} {_mark(t.confidence)} |"
            )
    if spec.norms:
        out += [
            "",
            "| norm table | group | band / reference | category | source |",
            "|---|---|---|---|---|",
        ]
        for index, n in enumerate(spec.norms):
            group: str = n.sex if n.sex != "any" else "all"
            if n.age_min is not None or n.age_max is not None:
                lo = "" if n.age_min is None else f"{n.age_min:g}"
                hi = "" if n.age_max is None else f"{n.age_max:g}"
                group += f", age {lo}-{hi}"
            if n.subscore:
                group += f", {n.subscore}"
            if n.kind == "reference":
                band = f"reference {n.value:g}"
            else:
                band = _band(n, spec.norms[index + 1 :])
            out.append(
                f"| {n.table} | {group} | {band} | {n.category} | {n.citation} "
                f"{_mark(n.confidence)} |"
            )
    if spec.notes:
        out += [""] + [f"> {note}" for note in spec.notes]
    return "\n".join(out) + "\n"


def _item_direction(spec: InstrumentSpec) -> list[str]:
    """One line saying how the items run when they all run the same way (none reversed)."""
    scored = [item for item in spec.items if item.scored]
    if len(scored) < 2 or len({item.reverse for item in scored}) != 1:
        return []
    lowers = scored[0].reverse
    effect = "lowers" if lowers else "raises"
    return [
        f"Every scored item runs the same way (a higher answer {effect} the headline score); "
        "no item is reverse-scored.",
        "",
    ]


def _band(row: NormSpec, later: Sequence[NormSpec]) -> str:
    """A band's edges as scored: where a later row of the same table starts at this row's
    upper edge, that later row takes the edge value, so this band stops below it (``<``)."""
    same = [
        r for r in later
        if r.kind == "band" and (r.table, r.sex, r.age_min, r.age_max, r.subscore)
        == (row.table, row.sex, row.age_min, row.age_max, row.subscore)
    ]  # fmt: skip
    open_top = row.high is not None and any(r.low == row.high for r in same)
    lo = "" if row.low is None else f"{row.low:g}"
    hi = "" if row.high is None else ("< " if open_top else "") + f"{row.high:g}"
    if lo and hi:
        return f"{lo} to {hi}"
    if lo:
        return f"≥ {lo}"
    return hi if open_top else f"≤ {hi}"


def render() -> str:
    measures = registry.all_measures()
    parts = [HEADER + "\n".join(summary_row(m) for m in measures) + "\n"]
    parts += [section(m) for m in measures]
    return "\n".join(parts)


if __name__ == "__main__":
    print(render(), end="")
