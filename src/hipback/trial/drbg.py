"""A deterministic random generator derived from a secret seed with HMAC-SHA256.

The allocation list must be reproducible from its seed (so anyone holding the seed can check it
after the trial) and unpredictable without it (so staff who have seen every past allocation learn
nothing about future ones beyond what the block design itself implies). ``random.Random`` is
reproducible but not unpredictable: the Mersenne Twister state can be reconstructed from its
outputs. This module instead uses HMAC-SHA256 as a pseudo-random function in counter mode:

* ``derive_key(seed, info) = HMAC-SHA256(seed, b"hipback.trial.drbg.v1|" + info)`` gives an
  independent key per purpose (one per stratum), so strata never share a stream.
* Output block ``i`` of a stream is ``HMAC-SHA256(key, i as 8-byte big-endian)``; the generator
  reads the blocks in order, 8 bytes at a time, as unsigned big-endian 64-bit integers.
* ``randbelow(n)`` uses rejection sampling (discard values >= ``2**64 - 2**64 % n``), so every
  result is exactly uniform; ``shuffle`` is Fisher-Yates driven by ``randbelow``.

Without the seed, predicting an output of HMAC-SHA256 is as hard as breaking HMAC-SHA256 as a
PRF (Bellare 2006), whatever earlier outputs were seen. The construction is small and fully
specified here so that an independent verifier can re-implement it.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from typing import TypeVar

from hipback.errors import InvalidInput

_T = TypeVar("_T")
_DOMAIN = b"hipback.trial.drbg.v1|"
_TWO_64 = 1 << 64


def derive_key(seed: bytes, info: str) -> bytes:
    """A 32-byte key for one purpose (``info``), derived from the master seed."""
    if len(seed) < 16:
        raise InvalidInput.one("seed", f"{len(seed)} bytes", ">= 16 bytes", "seed too short")
    return hmac.new(seed, _DOMAIN + info.encode("utf-8"), hashlib.sha256).digest()


class HmacDrbg:
    """Counter-mode HMAC-SHA256 stream; see the module docstring for the exact definition."""

    __slots__ = ("_buffer", "_counter", "_key")

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._counter = 0
        self._buffer = b""

    def _block(self) -> bytes:
        block = hmac.new(self._key, self._counter.to_bytes(8, "big"), hashlib.sha256).digest()
        self._counter += 1
        return block

    def next_uint64(self) -> int:
        """The next unsigned 64-bit integer of the stream."""
        if len(self._buffer) < 8:
            self._buffer += self._block()
        value = int.from_bytes(self._buffer[:8], "big")
        self._buffer = self._buffer[8:]
        return value

    def randbelow(self, n: int) -> int:
        """A uniform integer in ``[0, n)`` by rejection sampling."""
        if n < 1:
            raise InvalidInput.one("n", n, ">= 1")
        limit = _TWO_64 - (_TWO_64 % n)
        while True:
            value = self.next_uint64()
            if value < limit:
                return value % n

    def weighted_index(self, weights: Sequence[int]) -> int:
        """Index ``i`` with probability ``weights[i] / sum(weights)`` (positive integer weights)."""
        if not weights or any(w < 1 for w in weights):
            raise InvalidInput.one("weights", list(weights), "non-empty, each an integer >= 1")
        draw = self.randbelow(sum(weights))
        for index, weight in enumerate(weights[:-1]):
            if draw < weight:
                return index
            draw -= weight
        return len(weights) - 1

    def shuffled(self, items: Sequence[_T]) -> list[_T]:
        """A uniformly random permutation of ``items`` (Fisher-Yates, from the last position)."""
        out = list(items)
        for i in range(len(out) - 1, 0, -1):
            j = self.randbelow(i + 1)
            out[i], out[j] = out[j], out[i]
        return out
