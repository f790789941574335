"""CONSORT flow counts add up, and the SVG is well-formed and readable (hipback.trial.consort)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hipback.errors import InvalidInput
from hipback.trial.consort import ConsortFlow, FlowRecords, Reasons, consort_flow
from hipback.trial.consort_svg import BOX_W, FONT, PAD, WRAP, consort_svg

SVG = "{http://www.w3.org/2000/svg}"

SMALL: dict[str, Any] = {
    "arms": ["hip", "spine"],
    "visits": ["week8", "month6"],
    "visit_labels": {"week8": "8 weeks", "month6": "6 months"},
    "participants": [
        {
            "id": "S1",
            "exclusion": {"category": "not_meeting_inclusion", "reason": "HOOS pain <= 5"},
        },
        {
            "id": "S2",
            "exclusion": {"category": "not_meeting_inclusion", "reason": "HOOS pain <= 5"},
        },
        {"id": "S3", "exclusion": {"category": "declined", "reason": "Travel"}},
        {
            "id": "H1",
            "arm": "hip",
            "received_intervention": True,
            "followup": {"week8": {"status": "completed"}, "month6": {"status": "completed"}},
        },
        {
            "id": "H2",
            "arm": "hip",
            "received_intervention": False,
            "not_received_reason": "Illness",
            "followup": {"week8": {"status": "lost", "reason": "No contact"}},
        },
        {
            "id": "P1",
            "arm": "spine",
            "received_intervention": True,
            "discontinued_reason": "Time commitment",
            "followup": {
                "week8": {"status": "completed"},
                "month6": {"status": "withdrew", "reason": "Moved"},
            },
        },
    ],
}


def test_small_example_counted_by_hand() -> None:
    flow = consort_flow(FlowRecords.from_mapping(SMALL))
    # 6 screened; excluded 3 (2 not meeting inclusion, 1 declined); randomised 3 (hip 2, spine 1)
    assert (flow.assessed, flow.excluded_total, flow.randomised) == (6, 3, 3)
    assert flow.excluded["not_meeting_inclusion"] == Reasons(2, {"HOOS pain <= 5": 2})
    hip, spine = flow.arms
    assert (hip.allocated, hip.received, hip.not_received.total) == (2, 1, 1)
    week8, month6 = hip.followup
    assert (week8.assessed, week8.not_assessed["lost"].total, week8.pending) == (1, 1, 0)
    assert (month6.assessed, month6.pending) == (1, 1)  # H2 has no 6-month status
    # ITT with available data: H2 has no completed follow-up, so it is not analysed.
    assert (hip.analysed, hip.excluded_from_analysis.total) == (1, 1)
    assert spine.discontinued == Reasons(1, {"Time commitment": 1})
    assert spine.followup[1].not_assessed["withdrew"] == Reasons(1, {"Moved": 1})
    assert flow.check() == []
    assert flow.as_dict()["randomised"] == 3


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    arms = ["a", "b", "c"][: draw(st.integers(1, 3))]
    visits = ["v1", "v2"][: draw(st.integers(0, 2))]
    people = []
    for i in range(draw(st.integers(0, 40))):
        if draw(st.booleans()):
            category = draw(st.sampled_from(["not_meeting_inclusion", "declined", "other"]))
            people.append(
                {
                    "id": f"x{i}",
                    "exclusion": {"category": category, "reason": draw(st.sampled_from("rst"))},
                }
            )
            continue
        followup = {
            v: {"status": draw(st.sampled_from(["completed", "lost", "withdrew", "missed"]))}
            for v in visits
            if draw(st.booleans())
        }
        people.append(
            {
                "id": f"p{i}",
                "arm": draw(st.sampled_from(arms)),
                "received_intervention": draw(st.none() | st.booleans()),
                "analysed": draw(st.none() | st.booleans()),
                "followup": followup,
            }
        )
    return {"arms": arms, "visits": visits, "participants": people}


@given(records())
def test_numbers_always_add_up(data: dict[str, Any]) -> None:
    flow = consort_flow(FlowRecords.from_mapping(data))
    assert flow.check() == []
    assert flow.assessed == len(data["participants"])
    svg = consort_svg(flow)
    ET.fromstring(svg)  # well-formed for any records


def test_check_catches_inconsistent_flow() -> None:
    flow = consort_flow(FlowRecords.from_mapping(SMALL))
    broken = ConsortFlow(flow.assessed + 1, flow.excluded, flow.randomised, flow.arms)
    assert broken.check() == ["assessed != excluded + randomised"]


@pytest.mark.parametrize(
    ("participant", "fragment"),
    [
        ({"id": "Z"}, "exclusion"),
        ({"id": "Z", "arm": "hip", "exclusion": {"category": "other"}}, "cannot also"),
        ({"id": "Z", "arm": "knee"}, "not in"),
        ({"id": "Z", "arm": "hip", "followup": {"week9": {"status": "completed"}}}, "week9"),
        ({"id": "Z", "arm": "hip", "shoe_size": 9}, "Extra inputs"),
        ({"id": "Z", "exclusion": {"category": "bored"}}, "not_meeting_inclusion"),
        ({"id": "H1", "arm": "hip"}, "appears 2 times"),
    ],
)
def test_bad_records_are_refused_with_a_reason(participant: dict[str, Any], fragment: str) -> None:
    data = {**SMALL, "participants": [*SMALL["participants"], participant]}
    with pytest.raises(InvalidInput, match=re.escape(fragment)):
        FlowRecords.from_mapping(data)


def test_svg_is_well_formed_shows_every_count_and_boxes_do_not_overlap() -> None:
    flow = consort_flow(FlowRecords.from_mapping(SMALL))
    svg = consort_svg(flow, title="Trial <example> & flow")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    joined = "\n".join(texts)
    for expected in [
        "Assessed for eligibility (n=6)",
        "Excluded (n=3)",
        "Randomised (n=3)",
        "Allocated to hip (n=2)",
        "Allocated to spine (n=1)",
        "8 weeks: assessed (n=1)",
        "Analysed (n=1)",
        "Trial <example> & flow",
        "– HOOS pain <= 5 (n=2)",
    ]:
        assert expected in joined, expected
    # Readability: every line fits its box at a conservative 0.6 em per character.
    assert all(len(t) <= WRAP for t in texts if not t.startswith("Trial"))
    assert WRAP * 0.6 * FONT <= BOX_W - 2 * PAD
    boxes = [
        tuple(float(r.get(k, "0")) for k in ("x", "y", "width", "height"))
        for r in root.iter(f"{SVG}rect")
        if r.get("fill") == "#ffffff" and r.get("x") is not None
    ]
    for i, (x1, y1, w1, h1) in enumerate(boxes):
        for x2, y2, w2, h2 in boxes[i + 1 :]:
            overlap = x1 < x2 + w2 and x2 < x1 + w1 and y1 < y2 + h2 and y2 < y1 + h1
            assert not overlap, ((x1, y1, w1, h1), (x2, y2, w2, h2))
