"""Bang blinding index per arm from assessors' guesses of the allocation.

Guesses are the arm names or ``dont_know`` (for MASH: hip, spine, don't know). Re-exported by
:mod:`hipback.trial.blinding`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from statistics import NormalDist
from typing import Literal

from hipback.errors import InvalidInput, Problem

DONT_KNOW = "dont_know"

Alternative = Literal["two-sided", "greater", "less"]


@dataclass(frozen=True)
class BangIndex:
    """Bang blinding index of one arm (Bang, Ni & Davis, Control Clin Trials 2004;25:143-156).

    ``estimate = (correct - incorrect) / n`` with ``n`` including "don't know"; 1 = every guess
    right (unblinded), 0 = consistent with random guessing, -1 = every guess wrong.
    ``se = sqrt((p_c (1 - p_c) + p_i (1 - p_i) + 2 p_c p_i) / n)`` (multinomial variance of
    p_c - p_i); the confidence limits are Wald limits, clipped at the extreme of the index on the
    non-tested side for one-sided intervals (Bang 2004 prefers one-sided intervals).
    """

    arm: str
    n: int
    correct: int
    incorrect: int
    dont_know: int
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    confidence: float
    alternative: Alternative

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def bang_index(
    correct: int,
    incorrect: int,
    dont_know: int,
    *,
    arm: str = "",
    confidence: float = 0.95,
    alternative: Alternative = "two-sided",
) -> BangIndex:
    counts = {"correct": correct, "incorrect": incorrect, "dont_know": dont_know}
    problems = [Problem(k, v, "an integer >= 0") for k, v in counts.items() if v < 0]
    if not 0 < confidence < 1:
        problems.append(Problem("confidence", confidence, "between 0 and 1 (exclusive)"))
    if alternative not in ("two-sided", "greater", "less"):
        problems.append(Problem("alternative", alternative, "two-sided, greater, less"))
    n = correct + incorrect + dont_know
    if n == 0 and not problems:
        problems.append(Problem("n", 0, ">= 1 guess", "no guesses recorded for this arm"))
    if problems:
        raise InvalidInput(problems)
    p_c, p_i = correct / n, incorrect / n
    estimate = p_c - p_i
    se = math.sqrt((p_c * (1 - p_c) + p_i * (1 - p_i) + 2 * p_c * p_i) / n)
    tail = (1 - confidence) / 2 if alternative == "two-sided" else 1 - confidence
    z = NormalDist().inv_cdf(1 - tail)
    low, high = estimate - z * se, estimate + z * se
    if alternative == "greater":
        high = 1.0
    elif alternative == "less":
        low = -1.0
    return BangIndex(
        arm, n, correct, incorrect, dont_know, estimate, se, low, high, confidence, alternative
    )


def bang_by_arm(
    guesses: Iterable[tuple[str, str]],
    arms: Iterable[str],
    *,
    confidence: float = 0.95,
    alternative: Alternative = "two-sided",
) -> dict[str, BangIndex]:
    """Bang index per arm from ``(true arm, guess)`` pairs; a guess is an arm or ``dont_know``."""
    arm_list = list(arms)
    tally = {a: [0, 0, 0] for a in arm_list}
    problems = []
    for index, (true_arm, guess) in enumerate(guesses):
        if true_arm not in tally:
            problems.append(Problem(f"guesses[{index}].arm", true_arm, ", ".join(arm_list)))
        elif guess == DONT_KNOW:
            tally[true_arm][2] += 1
        elif guess in tally:
            tally[true_arm][0 if guess == true_arm else 1] += 1
        else:
            problems.append(
                Problem(f"guesses[{index}].guess", guess, ", ".join([*arm_list, DONT_KNOW]))
            )
    if problems:
        raise InvalidInput(problems)
    return {
        arm: bang_index(c, i, d, arm=arm, confidence=confidence, alternative=alternative)
        for arm, (c, i, d) in tally.items()
    }


@dataclass(frozen=True)
class AssessorGuess:
    """A masked assessor's guess of a participant's arm after a follow-up assessment."""

    participant_id: str
    visit: str
    guess: str
    assessor: str
    at: datetime

    def as_dict(self) -> dict[str, str]:
        return {
            "participant_id": self.participant_id,
            "visit": self.visit,
            "guess": self.guess,
            "assessor": self.assessor,
            "at": self.at.isoformat(),
        }


def record_guess(
    *,
    participant_id: str,
    visit: str,
    guess: str,
    assessor: str,
    at: datetime,
    arms: Iterable[str],
) -> AssessorGuess:
    """Validate a guess; the choices are the arm names and ``dont_know``."""
    choices = [*arms, DONT_KNOW]
    problems = []
    if guess not in choices:
        problems.append(Problem("guess", guess, ", ".join(choices)))
    for field, value in (
        ("participant_id", participant_id),
        ("visit", visit),
        ("assessor", assessor),
    ):
        if not value.strip():
            problems.append(Problem(field, value, "a non-empty value"))
    if at.tzinfo is None:
        problems.append(Problem("at", at.isoformat(), "a timezone-aware date-time"))
    if problems:
        raise InvalidInput(problems)
    return AssessorGuess(participant_id, visit, guess, assessor, at)


def bang_for_visit(
    guesses: Iterable[AssessorGuess],
    arm_of: Mapping[str, str],
    arms: Iterable[str],
    visit: str,
    *,
    confidence: float = 0.95,
    alternative: Alternative = "two-sided",
) -> dict[str, BangIndex]:
    """Join one visit's guesses with the allocations (an unblinded step) and compute Bang's BI."""
    pairs = []
    missing = []
    for g in guesses:
        if g.visit != visit:
            continue
        if g.participant_id not in arm_of:
            missing.append(Problem("participant_id", g.participant_id, "a randomised participant"))
            continue
        pairs.append((arm_of[g.participant_id], g.guess))
    if missing:
        raise InvalidInput(missing)
    return bang_by_arm(pairs, arms, confidence=confidence, alternative=alternative)
