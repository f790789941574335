"""Properties of the stratified permuted-block generator (hipback.trial.randomisation).

The bounds tested here are proved in docs/trial.md §Randomisation: inside a block of size b with
k_i slots of arm i, after n' of its slots the count of arm i lies in
[max(0, n' - (b - k_i)), min(n', k_i)], so |count_i - n' k_i / b| <= k_i (b - k_i) / b <= b / 4.
Completed blocks contribute zero deviation, hence for a whole stratum prefix
|count_i - n r_i / R| <= b_max / 4 and, for two arms 1:1, |n_A - n_B| <= b_max / 2.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hipback.errors import InvalidInput
from hipback.trial.randomisation import RandomisationConfig, generate_list, new_seed

MASH_LIKE: dict[str, Any] = {
    "arms": ["hip", "spine"],
    "ratio": [1, 1],
    "block_sizes": [2, 4, 6],
    "slots_per_stratum": 40,
    "factors": [
        {"name": "site", "levels": ["delaware", "pittsburgh", "duke"]},
        {"name": "sex", "levels": ["female", "male"]},
    ],
}


@st.composite
def configs(draw: st.DrawFn) -> RandomisationConfig:
    n_arms = draw(st.integers(2, 4))
    ratio = draw(st.lists(st.integers(1, 3), min_size=n_arms, max_size=n_arms))
    multipliers = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3, unique=True))
    sizes = [m * sum(ratio) for m in multipliers]
    weights = draw(
        st.none() | st.lists(st.integers(1, 5), min_size=len(sizes), max_size=len(sizes))
    )
    n_factors = draw(st.integers(0, 2))
    factors = [
        {"name": f"f{i}", "levels": [f"l{j}" for j in range(draw(st.integers(1, 3)))]}
        for i in range(n_factors)
    ]
    return RandomisationConfig.from_mapping(
        {
            "arms": [f"arm{i}" for i in range(n_arms)],
            "ratio": ratio,
            "block_sizes": sizes,
            "block_size_weights": weights,
            "slots_per_stratum": draw(st.integers(1, 80)),
            "factors": factors,
        }
    )


seeds = st.binary(min_size=16, max_size=32)


@given(configs(), seeds)
def test_every_block_is_complete_and_balanced_per_ratio(
    config: RandomisationConfig, seed: bytes
) -> None:
    allocation = generate_list(config, seed)
    total = sum(config.ratio)
    for stratum in config.strata():
        slots = allocation.slots(stratum)
        assert (
            config.slots_per_stratum
            <= len(slots)
            < config.slots_per_stratum + max(config.block_sizes)
        )
        assert [s.position for s in slots] == list(range(len(slots)))
        blocks: dict[int, list[str]] = {}
        for s in slots:
            assert s.block_size in config.block_sizes
            blocks.setdefault(s.block, []).append(s.arm)
        assert list(blocks) == list(range(len(blocks)))  # consecutive, in order
        for arms in blocks.values():
            size = len(arms)
            assert size in config.block_sizes
            expected = {
                a: r * size // total for a, r in zip(config.arms, config.ratio, strict=True)
            }
            assert Counter(arms) == expected


@given(configs(), seeds)
def test_running_imbalance_never_exceeds_a_quarter_of_the_largest_block_per_arm(
    config: RandomisationConfig, seed: bytes
) -> None:
    allocation = generate_list(config, seed)
    total = sum(config.ratio)
    bound = max(config.block_sizes) / 4
    for stratum in config.strata():
        counts = Counter[str]()
        for n, slot in enumerate(allocation.slots(stratum), start=1):
            counts[slot.arm] += 1
            for arm, r in zip(config.arms, config.ratio, strict=True):
                assert abs(counts[arm] - n * r / total) <= bound + 1e-9


@given(
    st.lists(st.sampled_from([2, 4, 6, 8, 10]), min_size=1, max_size=5, unique=True),
    st.integers(1, 120),
    seeds,
)
def test_two_arm_imbalance_never_exceeds_half_the_largest_block(
    sizes: list[int], slots: int, seed: bytes
) -> None:
    config = RandomisationConfig.from_mapping(
        {**MASH_LIKE, "block_sizes": sizes, "slots_per_stratum": slots}
    )
    allocation = generate_list(config, seed)
    for stratum in config.strata():
        diff = 0
        worst = 0
        for slot in allocation.slots(stratum):
            diff += 1 if slot.arm == "hip" else -1
            worst = max(worst, abs(diff))
        assert worst <= max(sizes) // 2


@given(configs(), seeds)
def test_same_seed_same_list_and_strata_are_independent(
    config: RandomisationConfig, seed: bytes
) -> None:
    first = generate_list(config, seed)
    second = generate_list(config, seed)
    assert list(first) == list(second)
    # Adding a level to a factor adds strata but leaves every existing stratum's list unchanged:
    # each stratum has its own HMAC stream keyed by its name.
    if config.factors:
        factors = [f.model_dump() for f in config.factors]
        factors[0]["levels"] = [*factors[0]["levels"], "extra"]
        bigger = RandomisationConfig.from_mapping({**config.model_dump(), "factors": factors})
        grown = generate_list(bigger, seed)
        for stratum in config.strata():
            assert grown.slots(stratum) == first.slots(stratum)


def test_different_seeds_give_different_lists() -> None:
    config = RandomisationConfig.from_mapping(MASH_LIKE)
    # 6 strata x >= 40 slots: the chance two fresh 256-bit seeds give the same list is < 2**-40.
    assert list(generate_list(config, new_seed())) != list(generate_list(config, new_seed()))


def test_mash_like_strata_are_site_by_sex() -> None:
    config = RandomisationConfig.from_mapping(MASH_LIKE)
    assert len(config.strata()) == 6  # 3 sites x 2 sexes (mash.md §3)
    assert config.stratum_key({"site": "duke", "sex": "female"}) == "site=duke|sex=female"


def test_repr_never_shows_arms() -> None:
    allocation = generate_list(RandomisationConfig.from_mapping(MASH_LIKE), bytes(32))
    assert "hip" not in repr(allocation) and "spine" not in repr(allocation)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ratio": [1, 2]}, "randomisation"),  # 2 and 4 are not multiples of 3
        ({"ratio": [1]}, "randomisation"),
        ({"arms": ["hip", "hip"]}, "randomisation"),
        ({"block_sizes": [4, 4]}, "randomisation"),
        ({"slots_per_stratum": 0}, "randomisation.slots_per_stratum"),
        ({"colour": "blue"}, "randomisation.colour"),
        ({"factors": [{"name": "Site!", "levels": ["a"]}]}, "randomisation.factors.0.name"),
    ],
)
def test_bad_configuration_names_field_and_value(change: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        RandomisationConfig.from_mapping({**MASH_LIKE, **change})
    assert info.value.problems[0].field == field


def test_unknown_stratum_level_names_allowed_levels() -> None:
    config = RandomisationConfig.from_mapping(MASH_LIKE)
    with pytest.raises(InvalidInput) as info:
        config.stratum_key({"site": "boston", "sex": "female"})
    problem = info.value.problems[0]
    assert (problem.field, problem.value) == ("site", "boston")
    assert problem.allowed == "delaware, pittsburgh, duke"
    with pytest.raises(InvalidInput, match="not a stratification factor"):
        config.stratum_key({"site": "duke", "sex": "male", "age": "old"})
