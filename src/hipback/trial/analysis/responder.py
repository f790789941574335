"""Responder analysis by MCID: per arm and visit, the proportion whose improvement from baseline
is at least the MCID, and each arm minus the reference arm as a risk difference with Newcombe's
hybrid score interval (Newcombe 1998, Stat Med 17:873, method 10; Wilson intervals per arm).

Available-case analysis: a participant missing the visit is not counted at that visit (reported
as ``missing``); it is not imputed as a non-responder. Say so when reporting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

import numpy as np

from hipback.errors import InvalidInput
from hipback.trial.analysis.dataset import LongDataset

Direction = Literal["decrease", "increase"]


def wilson(successes: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion (no continuity correction)."""
    z = NormalDist().inv_cdf(0.5 + level / 2.0)
    p = successes / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe_difference(
    x1: int, n1: int, x2: int, n2: int, level: float = 0.95
) -> tuple[float, float, float]:
    """p1 - p2 with Newcombe's hybrid score (method 10) interval."""
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson(x1, n1, level)
    l2, u2 = wilson(x2, n2, level)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, low, high


@dataclass(frozen=True)
class ArmResponders:
    arm: str
    visit: str
    responders: int
    n: int
    missing: int

    @property
    def proportion(self) -> float:
        return self.responders / self.n if self.n else math.nan

    def as_dict(self) -> dict[str, object]:
        return {
            "arm": self.arm,
            "visit": self.visit,
            "responders": self.responders,
            "n": self.n,
            "missing": self.missing,
            "proportion": self.proportion,
        }


@dataclass(frozen=True)
class RiskDifference:
    visit: str
    arm: str
    reference: str
    difference: float
    ci_low: float
    ci_high: float

    def as_dict(self) -> dict[str, object]:
        return {
            "visit": self.visit,
            "arm": self.arm,
            "reference": self.reference,
            "difference": self.difference,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "method": "Newcombe hybrid score (method 10)",
        }


@dataclass(frozen=True)
class ResponderResult:
    mcid: float
    improvement: Direction
    level: float
    arms: tuple[ArmResponders, ...]
    differences: tuple[RiskDifference, ...]

    def as_dict(self) -> dict[str, object]:
        rule = "<= -" if self.improvement == "decrease" else ">= "
        return {
            "mcid": self.mcid,
            "improvement": self.improvement,
            "definition": f"responder: change from baseline {rule}{self.mcid:g} (available cases)",
            "confidence_level": self.level,
            "arms": [a.as_dict() for a in self.arms],
            "differences": [d.as_dict() for d in self.differences],
        }


def responder_analysis(
    data: LongDataset,
    mcid: float,
    improvement: Direction,
    reference: str,
    level: float = 0.95,
) -> ResponderResult:
    """Responders per arm and visit and risk differences versus ``reference``."""
    if not (math.isfinite(mcid) and mcid > 0):
        raise InvalidInput.one("mcid", mcid, "a positive number on the outcome's scale")
    if improvement not in ("decrease", "increase"):
        raise InvalidInput.one("improvement", improvement, "decrease, increase")
    arms = sorted(set(data.arm))
    if reference not in arms:
        raise InvalidInput.one("--reference", reference, ", ".join(arms), "no such arm in DATA")
    order = [reference, *(a for a in arms if a != reference)]
    gain = -data.change if improvement == "decrease" else data.change
    arm = np.array(data.arm)
    counts: dict[tuple[str, str], ArmResponders] = {}
    for j, visit in enumerate(data.visits):
        for a in order:
            col = gain[arm == a, j]
            seen = col[~np.isnan(col)]
            counts[a, visit] = ArmResponders(
                a, visit, int((seen >= mcid - 1e-12).sum()), seen.size, col.size - seen.size
            )
    diffs = []
    for visit in data.visits:
        ref = counts[reference, visit]
        for a in order[1:]:
            other = counts[a, visit]
            if ref.n == 0 or other.n == 0:
                empty = reference if ref.n == 0 else a
                raise InvalidInput.one(
                    "visit", visit, "at least one observed outcome per arm",
                    f"arm {empty!r} has no observed outcome at this visit",
                )  # fmt: skip
            d, low, high = newcombe_difference(
                other.responders, other.n, ref.responders, ref.n, level
            )
            diffs.append(RiskDifference(visit, a, reference, d, low, high))
    return ResponderResult(
        mcid=mcid,
        improvement=improvement,
        level=level,
        arms=tuple(counts.values()),
        differences=tuple(diffs),
    )
