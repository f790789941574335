"""A SHA-256 commitment to the allocation list, published before the first enrolment.

``commitment = SHA-256(b"hipback-commitment/1\\n" + seed + b"\\n" + canonical_bytes(list))``
as lowercase hex, where ``canonical_bytes`` is the UTF-8 JSON of::

    {"format": "hipback-allocation-list/1",
     "config": <the randomisation configuration>,
     "strata": {"<stratum key>": [[<arm>, <block>, <block size>], ...], ...}}

with keys sorted, no whitespace (``separators=(",", ":")``) and ASCII escapes. The seed acts as a
secret salt: the published hash reveals nothing about the list (a list cannot be guessed and
checked against the hash without the 256-bit seed), yet once the seed and list are disclosed at
the end of the trial anyone can recompute the hash (:func:`verify`) and also regenerate the list
from the seed, proving it came from the documented generator rather than being hand-picked.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from hipback.trial.randomisation import (
    AllocationList,
    RandomisationConfig,
    Slot,
    generate_list,
)

FORMAT = "hipback-allocation-list/1"
_PREFIX = b"hipback-commitment/1\n"


def canonical_document(allocation: AllocationList) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "config": allocation.config.model_dump(mode="json"),
        "strata": {
            stratum: [[s.arm, s.block, s.block_size] for s in allocation.slots(stratum)]
            for stratum in allocation.config.strata()
        },
    }


def canonical_bytes(allocation: AllocationList) -> bytes:
    """The exact bytes the commitment is computed over."""
    return json.dumps(
        canonical_document(allocation), sort_keys=True, separators=(",", ":"), ensure_ascii=True
    ).encode("ascii")


def commit(allocation: AllocationList, seed: bytes) -> str:
    """The commitment as 64 lowercase hex characters."""
    return hashlib.sha256(_PREFIX + seed + b"\n" + canonical_bytes(allocation)).hexdigest()


def allocation_from_document(document: dict[str, Any]) -> AllocationList:
    """Rebuild a list from its canonical document (as stored or disclosed)."""
    config = RandomisationConfig.from_mapping(document["config"])
    slots = {
        stratum: tuple(
            Slot(stratum, position, str(arm), int(block), int(size))
            for position, (arm, block, size) in enumerate(rows)
        )
        for stratum, rows in document["strata"].items()
    }
    return AllocationList(config, slots)


@dataclass(frozen=True)
class Verification:
    """Outcome of checking a disclosed list and seed against a published commitment."""

    hash_matches: bool
    regenerates_from_seed: bool
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.hash_matches and self.regenerates_from_seed

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "hash_matches": self.hash_matches,
            "regenerates_from_seed": self.regenerates_from_seed,
            "problems": list(self.problems),
        }


def verify(allocation: AllocationList, seed: bytes, commitment: str) -> Verification:
    """Check that ``allocation`` is the list committed to and is what ``seed`` generates."""
    problems: list[str] = []
    recomputed = commit(allocation, seed)
    hash_matches = hmac.compare_digest(recomputed, commitment.strip().lower())
    if not hash_matches:
        problems.append(
            f"commitment mismatch: published {commitment.strip()!r}, recomputed {recomputed!r}"
        )
    regenerated = generate_list(allocation.config, seed)
    regenerates = canonical_bytes(regenerated) == canonical_bytes(allocation)
    if not regenerates:
        differing = [
            stratum
            for stratum in allocation.config.strata()
            if [
                (s.arm, s.block, s.block_size) for s in allocation.slots_by_stratum.get(stratum, ())
            ]
            != [(s.arm, s.block, s.block_size) for s in regenerated.slots(stratum)]
        ]
        problems.append(
            "list differs from the one the seed generates"
            + (f" in strata: {', '.join(differing)}" if differing else " (extra strata)")
        )
    return Verification(hash_matches, regenerates, tuple(problems))
