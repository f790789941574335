"""Six-minute walk test: distance in metres (ATS 2002); higher = better.

Predicted distance ✅ (Enright & Sherrill 1998, adults 40-80): men 7.57 × height − 5.02 × age −
1.76 × weight − 309; women 2.11 × height − 2.29 × weight − 5.78 × age + 667 (cm, kg, years).
Lower limit of normal: men predicted − 153 m ✅, women predicted − 139 m ❌ (not confirmed in
the primary paper; its findings carry ``Confidence.UNVERIFIED``). Details expose ``predicted_m``,
``lln_m`` and ``percent_predicted`` when age, sex, height and weight are all given. Meaningful
change 20 m small (primary) / 50 m substantial, Perera 2006 ✅. Spec: ``data/six_mwt.toml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from hipback.core import Confidence, Source
from hipback.measures.base import (
    Computed,
    FieldSpec,
    FloatArray,
    NormFinding,
    ObjArray,
    Patient,
    Score,
)
from hipback.measures.performance import (
    AGE,
    SEX,
    PerformanceTest,
    choices,
    floats,
    round_half_up,
)

ENRIGHT = "Enright PL, Sherrill DL. Am J Respir Crit Care Med 1998;158:1384-1387"
EQUATION_AGES = (40.0, 80.0)
REVIEW_ABOVE_M = 800.0


@dataclass(frozen=True)
class Equation:
    """Enright & Sherrill predicted 6MWD (m) = a·height_cm + b·weight_kg + c·age + constant."""

    sex: str
    height: float
    weight: float
    age: float
    constant: float
    lln_offset: float
    lln_confidence: Confidence
    lln_note: str = ""

    def predict(self, height: FloatArray, weight: FloatArray, age: FloatArray) -> FloatArray:
        value = self.height * height + self.weight * weight + self.age * age + self.constant
        return np.asarray(value, dtype=np.float64)


EQUATIONS = (
    Equation("male", 7.57, -1.76, -5.02, -309.0, 153.0, Confidence.VERIFIED),
    Equation(
        "female",
        2.11,
        -2.29,
        -5.78,
        667.0,
        139.0,
        Confidence.UNVERIFIED,
        "the 139 m offset for women is not confirmed in the primary paper",
    ),
)


def predicted_distance(
    sex: ObjArray, age: FloatArray, height: FloatArray, weight: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Predicted distance and lower limit of normal (m); NaN where not computable or ≤ 0."""
    predicted = np.full(age.shape, np.nan)
    lln = np.full(age.shape, np.nan)
    for eq in EQUATIONS:
        rows = sex == eq.sex
        value = eq.predict(height, weight, age)
        predicted = np.where(rows, value, predicted)
        lln = np.where(rows, value - eq.lln_offset, lln)
    with np.errstate(invalid="ignore"):
        shown = predicted > 0
    # to the centimetre, so that a distance equal to the printed LLN is not "below" it
    predicted, lln = round_half_up(predicted, 2), round_half_up(lln, 2)
    return np.where(shown, predicted, np.nan), np.where(shown, lln, np.nan)


class SixMinuteWalk(PerformanceTest):
    id = "six_mwt"

    def fields(self) -> tuple[FieldSpec, ...]:
        return (
            FieldSpec("distance_m", "m", 0, 1000),
            AGE,
            SEX,
            FieldSpec("height_cm", "cm", 100, 230, required=False),
            FieldSpec("weight_kg", "kg", 25, 300, required=False),
        )

    def compute(self, cols: Mapping[str, npt.NDArray[Any]]) -> Computed:
        distance = floats(cols, "distance_m")
        n = distance.shape[0]
        predicted, lln = predicted_distance(
            choices(cols, "sex", n),
            floats(cols, "age"),
            floats(cols, "height_cm"),
            floats(cols, "weight_kg"),
        )
        ok = np.asarray(~np.isnan(distance), dtype=bool)
        why: list[str | None] = [None if good else "distance_m is required" for good in ok]
        return Computed(
            value=distance,
            ok=ok,
            why=why,
            details={
                "predicted_m": predicted,
                "lln_m": lln,
                "percent_predicted": 100.0 * distance / predicted,
            },
        )

    def norms(self, score: Score, patient: Patient) -> tuple[NormFinding, ...]:
        found = list(super().norms(score, patient))
        height, weight = score.inputs.get("height_cm"), score.inputs.get("weight_kg")
        eq = next((e for e in EQUATIONS if e.sex == patient.sex), None)
        if score.value is None or eq is None or patient.age is None:
            return tuple(found)
        if not isinstance(height, int | float) or not isinstance(weight, int | float):
            return tuple(found)
        predicted_a, lln_a = predicted_distance(
            np.array([eq.sex], dtype=object),
            np.array([patient.age]),
            np.array([float(height)]),
            np.array([float(weight)]),
        )
        predicted, lln = float(predicted_a[0]), float(lln_a[0])
        if np.isnan(predicted):
            return tuple(found)
        who = f"{'men' if eq.sex == 'male' else 'women'}; age {patient.age:g}"
        found.append(
            NormFinding(
                "Enright & Sherrill 1998 predicted distance",
                "percent of predicted",
                f"{score.value:g} m is {100 * score.value / predicted:.0f}% of the predicted "
                f"{predicted:.0f} m ({who}, {height:g} cm, {weight:g} kg)",
                Source(ENRIGHT, Confidence.VERIFIED),
            )
        )
        below = score.value < lln
        note = f"; {eq.lln_note}" if eq.lln_note else ""
        found.append(
            NormFinding(
                "Enright & Sherrill 1998 lower limit of normal",
                "below the lower limit of normal"
                if below
                else "at or above the lower limit of normal",
                f"lower limit of normal {lln:.0f} m = predicted − {eq.lln_offset:g} m{note}",
                Source(ENRIGHT, eq.lln_confidence, eq.lln_note),
            )
        )
        return tuple(found)

    def warnings(self, row: Mapping[str, Any]) -> tuple[str, ...]:
        out: list[str] = []
        if float(row["distance_m"]) > REVIEW_ABOVE_M:
            out.append(
                f"distance {row['distance_m']:g} m is above {REVIEW_ABOVE_M:g} m, unusual for "
                "older adults: check the entry and the track length"
            )
        age, height, weight = row.get("age"), row.get("height_cm"), row.get("weight_kg")
        if age is None or height is None or weight is None or row.get("sex") is None:
            return tuple(out)
        lo, hi = EQUATION_AGES
        if not lo <= float(age) <= hi:
            out.append(
                f"age {age:g} is outside {lo:g}-{hi:g}, the ages of the Enright & Sherrill "
                "sample: the predicted distance is an extrapolation"
            )
        sex = np.array([row["sex"]], dtype=object)
        arrays = [np.array([float(v)]) for v in (age, height, weight)]
        if np.isnan(predicted_distance(sex, *arrays)[0][0]):
            out.append("the reference equation gives no positive prediction for these inputs")
        return tuple(out)
