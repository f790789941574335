"""Concealed allocation: reveal one slot at a time, only for an eligible, consented participant.

:class:`ConcealedList` wraps the secret :class:`~hipback.trial.randomisation.AllocationList`.
Its public API answers "randomise this participant" and "how many slots are left in this
stratum"; it has no method that returns a future slot, its ``repr`` shows no arm, and the only
arms it ever hands out are in the :class:`RandomisationRecord` of a participant just randomised.

Every randomisation produces a record chained to the previous one by SHA-256
(``previous_hash`` of the first record is the published commitment), so a log that was edited,
reordered or truncated in the middle fails :func:`verify_log`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime

from hipback.errors import Conflict, InvalidInput, NotFound, Problem
from hipback.trial.randomisation import AllocationList


@dataclass(frozen=True)
class RandomisationRequest:
    """What the randomiser supplies: who, stratum, eligibility, consent, when and by whom."""

    participant_id: str
    strata: Mapping[str, str]
    eligible: bool
    consented: bool
    randomised_by: str
    at: datetime


@dataclass(frozen=True)
class RandomisationRecord:
    """One line of the randomisation log."""

    sequence: int
    participant_id: str
    stratum: str
    position: int
    arm: str
    randomised_by: str
    at: str
    previous_hash: str
    record_hash: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> RandomisationRecord:
        fields = cls.__dataclass_fields__
        unknown = sorted(set(data) - set(fields))
        missing = sorted(set(fields) - set(data))
        if unknown or missing:
            raise InvalidInput.one(
                "randomisation record",
                sorted(data),
                ", ".join(fields),
                f"unknown {unknown}, missing {missing}",
            )
        return cls(
            sequence=int(str(data["sequence"])),
            participant_id=str(data["participant_id"]),
            stratum=str(data["stratum"]),
            position=int(str(data["position"])),
            arm=str(data["arm"]),
            randomised_by=str(data["randomised_by"]),
            at=str(data["at"]),
            previous_hash=str(data["previous_hash"]),
            record_hash=str(data["record_hash"]),
        )


def record_hash(
    sequence: int,
    participant_id: str,
    stratum: str,
    position: int,
    arm: str,
    randomised_by: str,
    at: str,
    previous_hash: str,
) -> str:
    body = {
        "sequence": sequence,
        "participant_id": participant_id,
        "stratum": stratum,
        "position": position,
        "arm": arm,
        "randomised_by": randomised_by,
        "at": at,
        "previous_hash": previous_hash,
    }
    data = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(data.encode("ascii")).hexdigest()


def _check_request(request: RandomisationRequest) -> None:
    problems = []
    if not request.participant_id.strip():
        problems.append(Problem("participant_id", request.participant_id, "a non-empty id"))
    if not request.eligible:
        problems.append(
            Problem("eligible", False, "true", "only eligible participants are randomised")
        )
    if not request.consented:
        problems.append(
            Problem("consented", False, "true", "randomisation needs recorded informed consent")
        )
    if not request.randomised_by.strip():
        problems.append(Problem("randomised_by", request.randomised_by, "the randomiser's name"))
    if request.at.tzinfo is None:
        problems.append(Problem("at", request.at.isoformat(), "a timezone-aware date-time"))
    if problems:
        raise InvalidInput(problems)


class ConcealedList:
    """The allocation list behind a counter per stratum; reveals nothing ahead of use."""

    __slots__ = ("__list", "__next", "__records", "_commitment")

    def __init__(
        self,
        allocation: AllocationList,
        commitment: str,
        records: Iterable[RandomisationRecord] = (),
    ) -> None:
        self.__list = allocation
        self._commitment = commitment
        self.__next = dict.fromkeys(allocation.config.strata(), 0)
        self.__records: list[RandomisationRecord] = []
        history = list(records)
        problems = verify_log(history, allocation, commitment)
        if problems:
            raise Conflict("randomisation log does not match the list: " + "; ".join(problems))
        for record in history:
            self.__next[record.stratum] += 1
            self.__records.append(record)

    def __repr__(self) -> str:
        return (
            f"ConcealedList(commitment={self._commitment[:12]}…, randomised={len(self.__records)})"
        )

    @property
    def commitment(self) -> str:
        return self._commitment

    @property
    def records(self) -> tuple[RandomisationRecord, ...]:
        return tuple(self.__records)

    def stratum_of(self, strata: Mapping[str, str]) -> str:
        return self.__list.config.stratum_key(strata)

    def randomised_in(self, stratum: str) -> int:
        return self.__next[self._known(stratum)]

    def remaining(self, stratum: str) -> int:
        return len(self.__list.slots(self._known(stratum))) - self.__next[stratum]

    def _known(self, stratum: str) -> str:
        if stratum not in self.__next:
            raise NotFound(f"unknown stratum {stratum!r}; known: {', '.join(self.__next)}")
        return stratum

    def find(self, participant_id: str) -> RandomisationRecord | None:
        return next((r for r in self.__records if r.participant_id == participant_id), None)

    def randomise(self, request: RandomisationRequest) -> RandomisationRecord:
        """Reveal the next slot of the participant's stratum, and log it."""
        _check_request(request)
        stratum = self.stratum_of(request.strata)
        if self.find(request.participant_id) is not None:
            raise Conflict(f"participant {request.participant_id!r} is already randomised")
        position = self.__next[stratum]
        slots = self.__list.slots(stratum)
        if position >= len(slots):
            raise Conflict(
                f"the list for stratum {stratum} is used up ({len(slots)} slots); "
                "set up and commit an extension list before enrolling more"
            )
        previous = self.__records[-1].record_hash if self.__records else self._commitment
        sequence = len(self.__records) + 1
        at = request.at.isoformat()
        arm = slots[position].arm
        record = RandomisationRecord(
            sequence,
            request.participant_id,
            stratum,
            position,
            arm,
            request.randomised_by,
            at,
            previous,
            record_hash(
                sequence,
                request.participant_id,
                stratum,
                position,
                arm,
                request.randomised_by,
                at,
                previous,
            ),
        )
        self.__next[stratum] = position + 1
        self.__records.append(record)
        return record


def verify_log(
    records: Iterable[RandomisationRecord], allocation: AllocationList, commitment: str
) -> list[str]:
    """Problems with a randomisation log: broken chain, wrong arm, skipped or reused slots."""
    problems: list[str] = []
    previous = commitment
    next_position = dict.fromkeys(allocation.config.strata(), 0)
    seen: set[str] = set()
    for index, r in enumerate(records, start=1):
        where = f"record {index}"
        if r.sequence != index:
            problems.append(f"{where}: sequence {r.sequence}, expected {index}")
        if r.previous_hash != previous:
            problems.append(f"{where}: previous_hash does not chain to the prior record")
        expected = record_hash(
            r.sequence,
            r.participant_id,
            r.stratum,
            r.position,
            r.arm,
            r.randomised_by,
            r.at,
            r.previous_hash,
        )
        if r.record_hash != expected:
            problems.append(f"{where}: record_hash does not match its content")
        if r.participant_id in seen:
            problems.append(f"{where}: participant {r.participant_id!r} randomised twice")
        seen.add(r.participant_id)
        if r.stratum not in next_position:
            problems.append(f"{where}: unknown stratum {r.stratum!r}")
        else:
            slots = allocation.slots(r.stratum)
            if r.position != next_position[r.stratum]:
                problems.append(
                    f"{where}: used slot {r.position} of {r.stratum}, "
                    f"expected {next_position[r.stratum]}"
                )
            elif r.position >= len(slots) or slots[r.position].arm != r.arm:
                problems.append(f"{where}: arm differs from the committed list")
            next_position[r.stratum] += 1
        previous = r.record_hash
    return problems
