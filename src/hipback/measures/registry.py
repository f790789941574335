"""Instrument id → its Measure; the one list of what hipback can score.

Modules are imported on first use so importing ``hipback.measures`` stays cheap.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module

from hipback.errors import UnknownInstrument
from hipback.measures.base import Measure

# id → (module under hipback.measures, class name). Order is the display order (as issue 2
# lists the instruments).
_REGISTRY: dict[str, tuple[str, str]] = {
    "qbpds": ("qbpds", "Qbpds"),
    "odi": ("odi", "Odi"),
    "modi": ("modi", "Modi"),
    "rmdq": ("rmdq", "Rmdq"),
    "nprs": ("nprs", "Nprs"),
    "ten_mwt": ("walk_10m", "TenMetreWalk"),
    "six_mwt": ("walk_6min", "SixMinuteWalk"),
    "chair_stand_30s": ("chair_stand_30s", "ChairStand30s"),
    "five_sts": ("sit_to_stand_5x", "FiveTimesSitToStand"),
    "tug": ("tug", "Tug"),
    "rtf_iss": ("rtf_iss", "RtfIss"),
    "promis29": ("promis29", "Promis29"),
    "fabq": ("fabq", "Fabq"),
    "startback": ("start_back", "StartBack"),
    "hoos_pain": ("hoos_pain", "HoosPain"),
    "hip_strength": ("hip_strength", "HipStrength"),
    "pgic": ("pgic", "Pgic"),
    "grc": ("grc", "Grc"),
}


def ids() -> tuple[str, ...]:
    return tuple(_REGISTRY)


@cache
def get(instrument_id: str) -> Measure:
    """The Measure for ``instrument_id``; :class:`UnknownInstrument` names the allowed ids."""
    try:
        module_name, class_name = _REGISTRY[instrument_id]
    except (KeyError, TypeError):
        raise UnknownInstrument.one(
            "instrument", instrument_id, "one of " + ", ".join(_REGISTRY)
        ) from None
    cls = getattr(import_module(f"hipback.measures.{module_name}"), class_name)
    measure = cls()
    assert isinstance(measure, Measure)
    return measure


def all_measures() -> tuple[Measure, ...]:
    return tuple(get(i) for i in _REGISTRY)
