"""The HMAC-SHA256 counter-mode generator matches its written definition (hipback.trial.drbg)."""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter

import pytest

from hipback.errors import InvalidInput
from hipback.trial.drbg import HmacDrbg, derive_key


def test_matches_the_documented_construction_recomputed_independently() -> None:
    seed = bytes(range(32))
    # Definition from the module docstring, re-implemented here with hashlib/hmac only.
    key = hmac.new(seed, b"hipback.trial.drbg.v1|stratum:all", hashlib.sha256).digest()
    assert derive_key(seed, "stratum:all") == key
    block0 = hmac.new(key, (0).to_bytes(8, "big"), hashlib.sha256).digest()
    block1 = hmac.new(key, (1).to_bytes(8, "big"), hashlib.sha256).digest()
    expected = [
        int.from_bytes(b[i : i + 8], "big") for b in (block0, block1) for i in (0, 8, 16, 24)
    ]
    rng = HmacDrbg(key)
    assert [rng.next_uint64() for _ in range(8)] == expected


def test_randbelow_is_uniform_enough() -> None:
    rng = HmacDrbg(derive_key(bytes(32), "uniformity"))
    counts = Counter(rng.randbelow(6) for _ in range(60_000))
    # Chi-square with 5 df; the 99.9% quantile is 20.52 (standard table), so a fair generator
    # fails this with probability 0.001 -- and the stream is fixed, so the test is deterministic.
    chi2 = sum((c - 10_000) ** 2 / 10_000 for c in counts.values())
    assert set(counts) == set(range(6))
    assert chi2 < 20.52


def test_weighted_index_follows_weights() -> None:
    rng = HmacDrbg(derive_key(bytes(32), "weights"))
    counts = Counter(rng.weighted_index([1, 3]) for _ in range(40_000))
    # Expected 10,000 vs 30,000; SD of the first count = sqrt(40000 * .25 * .75) = 86.6.
    assert abs(counts[0] - 10_000) < 5 * 86.6


def test_shuffle_is_a_permutation() -> None:
    rng = HmacDrbg(derive_key(bytes(32), "shuffle"))
    items = list(range(10))
    assert sorted(rng.shuffled(items)) == items


def test_rejects_short_seed_and_bad_bounds() -> None:
    with pytest.raises(InvalidInput, match="seed"):
        derive_key(b"short", "x")
    rng = HmacDrbg(bytes(32))
    with pytest.raises(InvalidInput):
        rng.randbelow(0)
    with pytest.raises(InvalidInput):
        rng.weighted_index([1, 0])
