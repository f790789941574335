"""Plain-language sentences about a change in an outcome, built from ``measures.compare``.

Example (QBPDS 40 → 26, primary MIC 5 points, MDC 15 points)::

    Back-related disability (Quebec scale) improved by 14 points, more than the 5-point
    minimal important change. The change is within the 15-point minimal detectable change, so
    it cannot be told apart from measurement error.

Thresholds whose source is not verified are labelled "(threshold not verified)".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LABELS = {
    "mcid": "minimal important change",
    "mic": "minimal important change",
    "mdc": "minimal detectable change",
    "sdc": "smallest detectable change",
}


def number(x: float) -> str:
    """Short display of a score: at most two decimals, no trailing zeros (14.0 → "14")."""
    value = round(x, 2)
    return f"{value:g}" if value != 0 else "0"


def amount(value: float, unit: str) -> str:
    """ "14 points", "0.1 m/s", "1 stand"."""
    if unit == "points" and value == 1:
        return "1 point"
    if unit == "%":
        return f"{number(value)} percentage points"
    return f"{number(value)} {unit}"


def threshold_text(t: Mapping[str, Any], unit: str) -> str:
    """ "the 5-point minimal important change", "the 0.1 m/s minimal important change"."""
    parts = []
    if t.get("value") is not None:
        v = float(t["value"])
        parts.append(f"{number(v)}-point" if unit == "points" else amount(v, unit))
    if t.get("relative") is not None:
        parts.append(f"{float(t['relative']):.0%}")
    text = f"the {' (or '.join(parts)}{')' if len(parts) > 1 else ''} {LABELS[str(t['kind'])]}"
    return text if t.get("verified", False) else text + " (threshold not verified)"


def change_sentence(domain: str, unit: str, change: Mapping[str, Any]) -> str:
    """One or two sentences for the primary change of a ``compare`` result (``as_dict``)."""
    improvement = float(change["improvement"])
    size = abs(improvement)
    if size < 1e-9:
        head = f"{domain} did not change"
    else:
        word = "improved" if improvement > 0 else "worsened"
        head = f"{domain} {word} by {amount(size, unit)}"
    mcid, mdc = change.get("mcid"), change.get("mdc")
    if mcid is not None:
        met = bool(change.get("exceeds_mcid"))
        exact = mcid.get("value") is not None and abs(size - float(mcid["value"])) < 1e-9
        relation = ("reaching" if exact else "more than") if met else "less than"
        head += f", {relation} {threshold_text(mcid, unit)}"
    sentences = [head + "."]
    if mdc is not None and not change.get("exceeds_mdc") and size > 1e-9:
        sentences.append(
            f"The change is within {threshold_text(mdc, unit)}, so it cannot be told apart "
            "from measurement error."
        )
    return " ".join(sentences)


def single_sentence(domain: str, unit: str, value: float, label: str) -> str:
    return f"{domain}: {amount(value, unit)} at {label}; no follow-up result yet to compare."


def no_threshold_sentence(domain: str, unit: str, first: float, last: float) -> str:
    return (
        f"{domain} went from {amount(first, unit)} to {amount(last, unit)}; no published "
        "change threshold to judge it against."
    )
