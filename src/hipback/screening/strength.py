"""Hand-held dynamometry: convert a reading to force and normalise it to body weight.

The normalisation screening uses is the ``hip_strength`` measure of :mod:`hipback.measures`
(one formula for the whole system); the helpers below are the same arithmetic for callers that
hold a single number.

MASH (Pugliese 2022, Table 2) normalises hip strength to body weight, and its inclusion rule is
*internal-rotation strength / body weight < 0.26*. The unit of 0.26 was not found in any source
read (mash.md §2.1, ❌). hipback reads it as **force over body weight, N/N** (equivalently kgf per
kg of body mass): the only reading under which 0.26 is a plausible value for older adults
(⚠️ inference, mash.md §2.1). Raw force (and the lever arm, when recorded) is kept in the
evaluation so any other normalisation, e.g. torque in N·m/kg, can be recomputed.
"""

from __future__ import annotations

from hipback.measures import score
from hipback.measures.hip_strength import G

#: Standard gravity (m/s²), the exact conventional value (CGPM 1901) used to turn kgf into N;
#: the constant of ``hipback.measures.hip_strength``.
STANDARD_GRAVITY_M_PER_S2: float = G


def force_newtons(*, force_n: float | None, force_kg: float | None) -> float | None:
    """The reading in newtons; ``force_kg`` (a kgf dial) is multiplied by standard gravity."""
    if force_n is not None:
        return force_n
    if force_kg is not None:
        return force_kg * STANDARD_GRAVITY_M_PER_S2
    return None


def strength_to_body_weight(force_n: float, weight_kg: float) -> float:
    """Force divided by body weight (both in newtons): a dimensionless ratio (N/N = kgf/kg).

    >>> round(strength_to_body_weight(9.80665 * 20, 80), 4)  # 20 kgf pushed by an 80 kg person
    0.25
    """
    return force_n / (weight_kg * STANDARD_GRAVITY_M_PER_S2)


def reading_to_body_weight(
    *, force_n: float | None, force_kg: float | None, weight_kg: float
) -> float | None:
    """A dynamometer reading (N or kgf) over body weight via the ``hip_strength`` measure;
    ``None`` if there is no reading. A kgf reading is divided by body mass directly
    (kgf/kg = N/N), so no rounding from g enters.

    >>> reading_to_body_weight(force_n=None, force_kg=20.8, weight_kg=80)
    0.26
    """
    if force_n is None and force_kg is None:
        return None
    force = {"force_n": force_n} if force_n is not None else {"force_kg": force_kg}
    return score("hip_strength", {**force, "weight_kg": weight_kg}).value


def torque_to_body_mass(force_n: float, lever_arm_cm: float, weight_kg: float) -> float:
    """Torque normalised to body mass, N·m/kg (the alternative reading of the 0.26 unit).

    >>> round(torque_to_body_mass(100.0, 30.0, 75.0), 4)  # 100 N × 0.30 m / 75 kg
    0.4
    """
    return force_n * (lever_arm_cm / 100.0) / weight_kg
