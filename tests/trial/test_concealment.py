"""Concealed allocation: one slot at a time, eligible and consented only, hash-chained log."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hipback.errors import Conflict, InvalidInput
from hipback.trial.commitment import commit
from hipback.trial.concealment import (
    ConcealedList,
    RandomisationRequest,
    verify_log,
)
from hipback.trial.randomisation import AllocationList, RandomisationConfig, generate_list

CONFIG: dict[str, Any] = {
    "arms": ["hip", "spine"],
    "ratio": [1, 1],
    "block_sizes": [2, 4],
    "slots_per_stratum": 6,
    "factors": [
        {"name": "site", "levels": ["delaware", "duke"]},
        {"name": "sex", "levels": ["female", "male"]},
    ],
}
SEED = bytes(range(32))
WHEN = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


def _setup() -> tuple[AllocationList, str]:
    allocation = generate_list(RandomisationConfig.from_mapping(CONFIG), SEED)
    return allocation, commit(allocation, SEED)


def _request(pid: str, site: str = "duke", sex: str = "female", **kw: Any) -> RandomisationRequest:
    base: dict[str, Any] = {
        "participant_id": pid,
        "strata": {"site": site, "sex": sex},
        "eligible": True,
        "consented": True,
        "randomised_by": "R. Coordinator",
        "at": WHEN,
    }
    base.update(kw)
    return RandomisationRequest(**base)


def test_reveals_the_stratum_slots_in_order_and_logs_each() -> None:
    allocation, commitment = _setup()
    concealed = ConcealedList(allocation, commitment)
    records = [concealed.randomise(_request(f"P{i}")) for i in range(4)]
    expected = [s.arm for s in allocation.slots("site=duke|sex=female")[:4]]
    assert [r.arm for r in records] == expected
    assert [r.position for r in records] == [0, 1, 2, 3]
    assert records[0].previous_hash == commitment
    assert [r.previous_hash for r in records[1:]] == [r.record_hash for r in records[:-1]]
    # Other strata are untouched.
    other = concealed.randomise(_request("Q1", site="delaware", sex="male"))
    assert other.position == 0 and other.arm == allocation.slots("site=delaware|sex=male")[0].arm
    assert verify_log(concealed.records, allocation, commitment) == []


def test_public_api_has_no_way_to_read_future_slots() -> None:
    allocation, commitment = _setup()
    concealed = ConcealedList(allocation, commitment)
    public = {name for name in dir(concealed) if not name.startswith("_")}
    assert public == {
        "commitment",
        "find",
        "randomise",
        "randomised_in",
        "records",
        "remaining",
        "stratum_of",
    }
    assert "hip" not in repr(concealed) and "spine" not in repr(concealed)
    assert concealed.remaining("site=duke|sex=female") == len(
        allocation.slots("site=duke|sex=female")
    )


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"eligible": False}, "eligible"),
        ({"consented": False}, "consented"),
        ({"randomised_by": " "}, "randomised_by"),
        ({"at": datetime(2026, 1, 5, 9, 30)}, "at"),
        ({"participant_id": ""}, "participant_id"),
    ],
)
def test_refuses_ineligible_unconsented_or_incomplete_requests(
    override: dict[str, Any], field: str
) -> None:
    allocation, commitment = _setup()
    concealed = ConcealedList(allocation, commitment)
    with pytest.raises(InvalidInput) as info:
        concealed.randomise(_request("P1", **override))
    assert [p.field for p in info.value.problems] == [field]
    assert concealed.records == ()  # nothing revealed, nothing consumed
    assert concealed.randomised_in("site=duke|sex=female") == 0


def test_refuses_second_randomisation_and_exhausted_stratum() -> None:
    allocation, commitment = _setup()
    concealed = ConcealedList(allocation, commitment)
    concealed.randomise(_request("P1"))
    with pytest.raises(Conflict, match="already randomised"):
        concealed.randomise(_request("P1", site="delaware"))
    n = len(allocation.slots("site=duke|sex=male"))
    for i in range(n):
        concealed.randomise(_request(f"M{i}", sex="male"))
    with pytest.raises(Conflict, match="used up"):
        concealed.randomise(_request("M-extra", sex="male"))


def test_restores_state_from_a_log_and_continues() -> None:
    allocation, commitment = _setup()
    first = ConcealedList(allocation, commitment)
    for i in range(3):
        first.randomise(_request(f"P{i}"))
    again = ConcealedList(allocation, commitment, first.records)
    nxt = again.randomise(_request("P3"))
    assert nxt.position == 3 and nxt.sequence == 4
    assert nxt.arm == allocation.slots("site=duke|sex=female")[3].arm


def test_tampered_logs_are_detected() -> None:
    allocation, commitment = _setup()
    concealed = ConcealedList(allocation, commitment)
    for i in range(4):
        concealed.randomise(_request(f"P{i}"))
    records = list(concealed.records)
    flipped = replace(records[1], arm="spine" if records[1].arm == "hip" else "hip")
    assert verify_log([records[0], flipped, *records[2:]], allocation, commitment)
    assert verify_log([records[0], *records[2:]], allocation, commitment)  # one deleted
    assert verify_log([records[1], records[0], *records[2:]], allocation, commitment)  # reordered
    assert verify_log(records, allocation, "f" * 64)  # different commitment
    with pytest.raises(Conflict, match="does not match"):
        ConcealedList(allocation, commitment, [records[0], flipped])


def test_record_round_trips_through_dict() -> None:
    allocation, commitment = _setup()
    record = ConcealedList(allocation, commitment).randomise(_request("P1"))
    assert type(record).from_dict(record.as_dict()) == record
    with pytest.raises(InvalidInput):
        type(record).from_dict({**record.as_dict(), "extra": 1})


@given(
    st.lists(
        st.sampled_from(
            [("delaware", "female"), ("delaware", "male"), ("duke", "female"), ("duke", "male")]
        ),
        max_size=30,
    )
)
def test_any_enrolment_order_reveals_each_stratum_list_in_order(
    order: list[tuple[str, str]],
) -> None:
    allocation, commitment = _setup()
    concealed = ConcealedList(allocation, commitment)
    revealed: dict[str, list[str]] = {}
    for i, (site, sex) in enumerate(order):
        stratum = f"site={site}|sex={sex}"
        if concealed.remaining(stratum) == 0:
            with pytest.raises(Conflict):
                concealed.randomise(_request(f"P{i}", site, sex))
            continue
        record = concealed.randomise(_request(f"P{i}", site, sex))
        revealed.setdefault(stratum, []).append(record.arm)
    for stratum, arms in revealed.items():
        assert arms == [s.arm for s in allocation.slots(stratum)[: len(arms)]]
    assert verify_log(concealed.records, allocation, commitment) == []
