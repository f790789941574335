"""Unpredictability of random block sizes (hipback.trial.predictability).

Blackwell & Hodges (Ann Math Stat 1957;28:449-460) "convergence strategy": guess the arm that is
behind. Hand calculation for a 1:1 block of 4 (AABB in random order, 6 equally likely orders):
guess 1 is a tie (1/2); after one allocation the other arm is guessed and is next with
probability 2/3; after two, the pair was equal with probability 1/3 (then the guess is certain)
or mixed with probability 2/3 (tie, 1/2), so 1/3 + 1/3 = 2/3; the last slot is always guessed
right. Total 1/2 + 2/3 + 2/3 + 1 = 17/6, i.e. a rate of 17/24 = 0.708. For a block of 2:
1/2 + 1 = 3/2 (rate 0.75). These match m + 2^(2m-1)/C(2m,m) - 1/2 (Matts & Lachin 1988).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import pytest

from hipback.trial.predictability import (
    blackwell_hodges_closed_form,
    block_convergence_expectation,
    convergence_hits,
    design_convergence_rate,
    design_report,
    optimal_guesses,
)
from hipback.trial.randomisation import RandomisationConfig, generate_list

SEED = b"predictability-test-seed-0000001"


def _config(sizes: list[int], slots: int = 12_000, **extra: Any) -> RandomisationConfig:
    return RandomisationConfig.from_mapping(
        {
            "arms": ["hip", "spine"],
            "ratio": [1, 1],
            "block_sizes": sizes,
            "slots_per_stratum": slots,
            **extra,
        }
    )


def test_hand_calculations() -> None:
    assert block_convergence_expectation((1, 1), (1, 1)) == Fraction(3, 2)
    assert block_convergence_expectation((2, 2), (1, 1)) == Fraction(17, 6)


@pytest.mark.parametrize("m", [1, 2, 3, 4, 5, 6])
def test_recursion_matches_the_closed_form(m: int) -> None:
    assert block_convergence_expectation((m, m), (1, 1)) == blackwell_hodges_closed_form(m)


def test_design_rate_for_random_sizes_2_4_6() -> None:
    # (3/2 + 17/6 + 41/10) / (2 + 4 + 6) = (253/30) / 12 = 253/360 = 0.7028
    assert design_convergence_rate(_config([2, 4, 6])) == Fraction(253, 360)


def test_empirical_convergence_rate_matches_theory_and_stays_below_fixed_blocks_of_two() -> None:
    config = _config([2, 4, 6])
    arms = [s.arm for s in generate_list(config, SEED)]
    rate = convergence_hits(arms, config) / len(arms)
    expected = float(design_convergence_rate(config))
    # Guesses are at most correlated within a block; treating them as independent Bernoulli
    # trials gives SE ~ sqrt(.7 * .3 / 12000) = 0.0042; 5 SE tolerates mild within-block
    # correlation while still detecting a generator that leaks (e.g. 0.75 for blocks of 2).
    se = math.sqrt(expected * (1 - expected) / len(arms))
    assert abs(rate - expected) < 5 * se
    assert rate < 0.75 - 5 * se  # strictly better than the worst (fixed size 2) design
    # The Bayes-optimal guesser that knows the design does no better than the convergence
    # strategy by more than noise: there is no hidden pattern to exploit.
    optimal = optimal_guesses(arms, config)
    assert optimal.hit_rate < expected + 5 * se


def test_block_ends_are_invisible_with_random_sizes() -> None:
    fixed = _config([4])
    random_sizes = _config([2, 4, 6])
    fixed_run = optimal_guesses([s.arm for s in generate_list(fixed, SEED)], fixed)
    random_run = optimal_guesses([s.arm for s in generate_list(random_sizes, SEED)], random_sizes)
    # Fixed blocks of 4: the 4th slot is always certain and the 3rd when the first two agree
    # (probability 2/6), so (1 + 1/3) / 4 = 1/3 of allocations are certain.
    assert abs(fixed_run.certain_rate - 1 / 3) < 0.02
    # Random sizes 2/4/6: certainty only when the imbalance is already at its maximum of 3
    # (or a parse forces it), observed around 4%; we require under 8%, i.e. < 1/4 of fixed-4.
    assert random_run.certain_rate < 0.08


@pytest.mark.parametrize(
    ("sizes", "expected"),
    [
        # E_2 = 3/2, E_4 = 17/6, E_6 = 41/10, E_8 = 373/70 (closed form above)
        ([2], Fraction(3, 4)),
        ([4], Fraction(17, 24)),
        ([2, 4], Fraction(13, 18)),  # (3/2 + 17/6) / (2 + 4) = (26/6) / 6 = 13/18
        ([4, 6, 8], (Fraction(17, 6) + Fraction(41, 10) + Fraction(373, 70)) / 18),
    ],
)
def test_exact_rates_in_the_docs_table(sizes: list[int], expected: Fraction) -> None:
    assert design_convergence_rate(_config(sizes)) == expected


def test_design_report_pools_strata() -> None:
    config = _config([2, 4, 6], slots=600, factors=[{"name": "site", "levels": ["a", "b"]}])
    report = design_report(config, SEED)
    assert report["slots"] >= 1200
    assert report["convergence_exact"] == pytest.approx(253 / 360)
    assert 0.5 < report["convergence_observed"] < 0.8
    assert report["optimal_observed"] >= report["convergence_observed"] - 0.02
