"""How predictable is a block design to someone who has seen every past allocation?

Two guessers are modelled, both knowing the design (arms, ratio, block sizes and their weights)
and every earlier allocation in the stratum, but not the seed:

* the **convergence strategy** of Blackwell and Hodges (Ann Math Stat 1957;28:449-460): guess the
  arm furthest behind its target share so far (ties shared equally). For a 1:1 block of size
  ``2m`` whose start is known, the expected number of correct guesses is
  ``m + 2**(2m-1) / C(2m, m) - 1/2`` (Matts & Lachin, Control Clin Trials 1988;9:327-344);
  :func:`block_convergence_expectation` computes it for any ratio by exact recursion.
* the **Bayes-optimal guesser**: it tracks the posterior over "which block size, how far into the
  block" and guesses the most probable next arm (:func:`optimal_guesses`). It also tells when the
  next arm is *certain* (probability 1), which is what a visible block end would give away.

With fixed blocks the last slot of every block is certain; with random sizes a slot is certain only
when the stratum's imbalance has reached its largest possible value, which is rare.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from math import comb

from hipback.trial.randomisation import RandomisationConfig, generate_list


def _block_composition(config: RandomisationConfig, size: int) -> tuple[int, ...]:
    unit = size // sum(config.ratio)
    return tuple(r * unit for r in config.ratio)


def convergence_guesses(counts: Sequence[int], ratio: Sequence[int]) -> tuple[int, ...]:
    """Arms (indices) the convergence strategy would guess next: largest deficit vs target."""
    n = sum(counts)
    total = sum(ratio)
    deficits = [Fraction(r * (n + 1), total) - c for r, c in zip(ratio, counts, strict=True)]
    best = max(deficits)
    return tuple(i for i, d in enumerate(deficits) if d == best)


def block_convergence_expectation(composition: tuple[int, ...], ratio: tuple[int, ...]) -> Fraction:
    """Expected correct convergence-strategy guesses over one block (start known), exactly."""

    @cache
    def expect(counts: tuple[int, ...]) -> Fraction:
        left = sum(composition) - sum(counts)
        if left == 0:
            return Fraction(0)
        guesses = convergence_guesses(counts, ratio)
        total = Fraction(0)
        for i, k in enumerate(composition):
            if counts[i] == k:
                continue
            p_next = Fraction(k - counts[i], left)
            hit = Fraction(1, len(guesses)) if i in guesses else Fraction(0)
            after = (*counts[:i], counts[i] + 1, *counts[i + 1 :])
            total += p_next * (hit + expect(after))
        return total

    return expect((0,) * len(composition))


def blackwell_hodges_closed_form(m: int) -> Fraction:
    """``m + 2**(2m-1)/C(2m,m) - 1/2``: correct guesses in a 1:1 block of size 2m."""
    return m + Fraction(2 ** (2 * m - 1), comb(2 * m, m)) - Fraction(1, 2)


def design_convergence_rate(config: RandomisationConfig) -> Fraction:
    """Long-run share of correct convergence guesses for the design, exactly.

    Every block is balanced, so each block starts at zero deficit and the guesser's behaviour in
    a block does not depend on earlier blocks: the rate is ``sum w_b E_b / sum w_b b``.
    """
    ratio = tuple(config.ratio)
    hits = sum(
        w * block_convergence_expectation(_block_composition(config, b), ratio)
        for b, w in zip(config.block_sizes, config.weights, strict=True)
    )
    slots = sum(w * b for b, w in zip(config.block_sizes, config.weights, strict=True))
    return Fraction(hits) / slots


def convergence_hits(arms: Sequence[str], config: RandomisationConfig) -> float:
    """Expected number of correct convergence guesses along an observed sequence."""
    index = {arm: i for i, arm in enumerate(config.arms)}
    counts = [0] * len(config.arms)
    hits = 0.0
    for arm in arms:
        guesses = convergence_guesses(counts, config.ratio)
        if index[arm] in guesses:
            hits += 1 / len(guesses)
        counts[index[arm]] += 1
    return hits


@dataclass(frozen=True)
class OptimalGuessing:
    """Bayes-optimal guessing along a sequence: expected hits and certain predictions."""

    n: int
    hits: float
    certain: int

    @property
    def hit_rate(self) -> float:
        return self.hits / self.n if self.n else 0.0

    @property
    def certain_rate(self) -> float:
        return self.certain / self.n if self.n else 0.0


_State = tuple[int, tuple[int, ...]]  # (block size, counts so far in the block)


def optimal_guesses(arms: Sequence[str], config: RandomisationConfig) -> OptimalGuessing:
    """Run the posterior-tracking guesser along ``arms`` (one stratum, from its first slot)."""
    index = {arm: i for i, arm in enumerate(config.arms)}
    k = len(config.arms)
    compositions = {b: _block_composition(config, b) for b in config.block_sizes}
    total_w = sum(config.weights)
    fresh: dict[_State, float] = {
        (b, (0,) * k): w / total_w for b, w in zip(config.block_sizes, config.weights, strict=True)
    }
    states = dict(fresh)
    hits = 0.0
    certain = 0
    for arm in arms:
        predictive = [0.0] * k
        for (b, counts), p in states.items():
            left = b - sum(counts)
            for i in range(k):
                predictive[i] += p * (compositions[b][i] - counts[i]) / left
        best = max(predictive)
        winners = [i for i, q in enumerate(predictive) if q >= best - 1e-12]
        observed = index[arm]
        if observed in winners:
            hits += 1 / len(winners)
        if best > 1 - 1e-12:
            certain += 1
        updated: dict[_State, float] = {}
        for (b, counts), p in states.items():
            left = b - sum(counts)
            likelihood = (compositions[b][observed] - counts[observed]) / left
            if likelihood == 0:
                continue
            after = (*counts[:observed], counts[observed] + 1, *counts[observed + 1 :])
            mass = p * likelihood
            if sum(after) == b:
                for state, q in fresh.items():
                    updated[state] = updated.get(state, 0.0) + mass * q
            else:
                updated[(b, after)] = updated.get((b, after), 0.0) + mass
        norm = sum(updated.values())
        states = {s: q / norm for s, q in updated.items()}
    return OptimalGuessing(len(arms), hits, certain)


def design_report(config: RandomisationConfig, seed: bytes) -> dict[str, float]:
    """Exact and observed guessability of a design, on the list that ``seed`` generates.

    The observed figures pool every stratum's sequence (each guessed from its own start). This
    is how the table in docs/trial.md was made (seed ``b"docs-table-seed-0000000000000001"``,
    100,000 slots per stratum, no factors).
    """
    allocation = generate_list(config, seed)
    n = hits = 0.0
    optimal_hits = certain = 0.0
    for stratum in config.strata():
        arms = [s.arm for s in allocation.slots(stratum)]
        n += len(arms)
        hits += convergence_hits(arms, config)
        run = optimal_guesses(arms, config)
        optimal_hits += run.hits
        certain += run.certain
    return {
        "convergence_exact": float(design_convergence_rate(config)),
        "convergence_observed": hits / n,
        "optimal_observed": optimal_hits / n,
        "certain_observed": certain / n,
        "slots": n,
    }
