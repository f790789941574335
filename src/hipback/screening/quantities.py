"""What a rule measures: plain evaluation fields and a few derived quantities.

A rule's ``fields`` are dotted paths into the evaluation (``low_back_pain.intensity_nprs``) or
``derived:<name>`` for the quantities below. ``{side}`` in a path expands to ``left`` and
``right``. Each value comes back as a :class:`Reading`: ``assessed`` False means the finding was
not recorded (screening says "not assessed"); ``assessed`` True with ``value`` None means the
thing asked about is absent (e.g. no hip fracture at all).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from hipback.errors import ConfigurationError
from hipback.screening.evaluation import Evaluation
from hipback.screening.strength import (
    force_newtons,
    reading_to_body_weight,
    torque_to_body_mass,
)

SIDES = ("left", "right")


@dataclass(frozen=True)
class Reading:
    """One measured value behind a rule, with the evaluation field(s) it came from."""

    label: str
    value: Any
    assessed: bool
    fields: tuple[str, ...]


def _not_assessed(label: str, *fields: str) -> Reading:
    return Reading(label, None, False, fields)


def _ir_ratio(ev: Evaluation, side: str) -> Reading:
    path = f"hip_exam.{side}.strength.internal_rotation"
    reading = getattr(ev.hip_exam, side).strength.internal_rotation
    if reading is None:
        return _not_assessed(side, path)
    ratio = reading_to_body_weight(
        force_n=reading.force_n, force_kg=reading.force_kg, weight_kg=ev.patient.weight_kg
    )
    if ratio is None:  # unreachable: the model requires exactly one of force_n / force_kg
        return _not_assessed(side, path)
    return Reading(side, ratio, True, (path, "patient.weight_kg"))


def _ir_ratio_painful_side(ev: Evaluation, side: str) -> Reading:
    """The IR ratio only on a hip reported painful: for the unconfirmed same-side reading of I5
    (mash.md §2.1 ❌). A hip not reported painful gives an absent value, which never qualifies."""
    pain_side = ev.hip_pain.side
    if pain_side is None:
        return _not_assessed(side, "hip_pain.side")
    if pain_side not in (side, "both"):
        return Reading(f"{side} (not the painful hip)", None, True, ("hip_pain.side",))
    return _ir_ratio(ev, side)


def _ir_torque(ev: Evaluation, side: str) -> Reading:
    """IR torque / body mass (N·m/kg), the alternative reading of the 0.26 unit (⚠️)."""
    path = f"hip_exam.{side}.strength.internal_rotation"
    reading = getattr(ev.hip_exam, side).strength.internal_rotation
    if reading is None or reading.lever_arm_cm is None:
        return _not_assessed(side, path if reading is None else f"{path}.lever_arm_cm")
    force = force_newtons(force_n=reading.force_n, force_kg=reading.force_kg)
    if force is None:  # unreachable: the model requires exactly one of force_n / force_kg
        return _not_assessed(side, path)
    value = torque_to_body_mass(force, reading.lever_arm_cm, ev.patient.weight_kg)
    return Reading(side, value, True, (path, "patient.weight_kg"))


def _hoos_sum(ev: Evaluation) -> Reading:
    items = ev.hip_pain.hoos_pain.items(4, 8)
    fields = tuple(f"hip_pain.hoos_pain.{k}" for k in items)
    missing = tuple(f for f, v in zip(fields, items.values(), strict=True) if v is None)
    if missing:
        return _not_assessed("HOOS P4-P8 sum", *missing)
    return Reading("HOOS P4-P8 sum", sum(v for v in items.values() if v is not None), True, fields)


def _fracture_surgical(ev: Evaluation) -> Reading:
    path = "medical_history.hip_fractures"
    fractures = ev.medical_history.hip_fractures
    if fractures is None:
        return _not_assessed("hip fracture with surgical repair", path)
    value = any(f.surgical_repair for f in fractures)
    return Reading("hip fracture with surgical repair", value, True, (path,))


def _fracture_nonsurgical_years(ev: Evaluation) -> Reading:
    path = "medical_history.hip_fractures"
    label = "years since the latest hip fracture without surgery"
    fractures = ev.medical_history.hip_fractures
    if fractures is None:
        return _not_assessed(label, path)
    years = [f.years_ago for f in fractures if not f.surgical_repair]
    return Reading(label, min(years) if years else None, True, (path,))


def _any_red_flag(ev: Evaluation) -> Reading:
    from hipback.screening.red_flags import check_red_flags  # red_flags uses this module

    outcome = check_red_flags(ev)
    fields = tuple(f for r in outcome for m in r.measured for f in m.fields)
    if any(r.status == "met" for r in outcome):
        return Reading("any red flag", True, True, fields)
    if any(r.status == "not_assessed" for r in outcome):
        missing = tuple(f for r in outcome for m in r.measured if not m.assessed for f in m.fields)
        return _not_assessed("any red flag", *missing)
    return Reading("any red flag", False, True, fields)


_DERIVED: dict[str, Callable[[Evaluation], Reading]] = {
    "ir_strength_to_body_weight.left": lambda ev: _ir_ratio(ev, "left"),
    "ir_strength_to_body_weight.right": lambda ev: _ir_ratio(ev, "right"),
    # Alternatives a clinic may switch I5a to (see the comments in mash_eligibility.toml):
    "ir_strength_to_body_weight_painful_hip.left": lambda ev: _ir_ratio_painful_side(ev, "left"),
    "ir_strength_to_body_weight_painful_hip.right": lambda ev: _ir_ratio_painful_side(ev, "right"),
    "ir_torque_to_body_mass.left": lambda ev: _ir_torque(ev, "left"),
    "ir_torque_to_body_mass.right": lambda ev: _ir_torque(ev, "right"),
    "hoos_pain_p4_p8_sum": _hoos_sum,
    "hip_fracture_with_surgical_repair": _fracture_surgical,
    "years_since_latest_nonsurgical_hip_fracture": _fracture_nonsurgical_years,
    "any_red_flag": _any_red_flag,
}


def expand(fields: list[str]) -> list[str]:
    """Replace ``{side}`` by each side: ``a.{side}.b`` → ``a.left.b``, ``a.right.b``."""
    out: list[str] = []
    for f in fields:
        out += [f.replace("{side}", s) for s in SIDES] if "{side}" in f else [f]
    return out


def _path_value(ev: Evaluation, path: str) -> Reading:
    node: Any = ev
    for part in path.split("."):
        if not isinstance(node, BaseModel) or part not in type(node).model_fields:
            raise ConfigurationError(f"screening rule refers to unknown field {path!r}")
        node = getattr(node, part)
    name = path.rsplit(".", 1)[-1]
    for suffix in ("_lb", "_years", "_months", "_deg", "_cm", "_kg", "_s"):
        name = name.removesuffix(suffix)
    label = name.replace("_", " ")
    if "left" in path.split("."):
        label = "left"
    elif "right" in path.split("."):
        label = "right"
    elif path.endswith(("_left", "_right")):
        label = path.rsplit("_", 1)[-1]
    if node is None:
        return _not_assessed(label, path)
    return Reading(label, node, True, (path,))


def read(ev: Evaluation, field: str) -> Reading:
    if field.startswith("derived:"):
        name = field.removeprefix("derived:")
        try:
            return _DERIVED[name](ev)
        except KeyError:
            raise ConfigurationError(
                f"unknown derived quantity {name!r}; known: {', '.join(_DERIVED)}"
            ) from None
    return _path_value(ev, field)


def known_derived() -> tuple[str, ...]:
    return tuple(_DERIVED)
