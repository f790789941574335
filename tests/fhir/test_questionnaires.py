"""QuestionnaireResponse items ↔ response objects: lossless for every questionnaire instrument."""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponseItem
from hypothesis import given
from hypothesis import strategies as st

from hipback import measures
from hipback.fhir.questionnaires import response_items, responses_from
from hipback.measures.questionnaire import Questionnaire

QUESTIONNAIRES = [i for i in measures.ids() if isinstance(measures.get(i), Questionnaire)]


@st.composite
def answer_sets(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    instrument = draw(st.sampled_from(QUESTIONNAIRES))
    items = []
    for item in measures.get(instrument).spec.items:
        answer = st.integers(int(item.min), int(item.max))
        items.append(draw(st.one_of(st.none(), answer, st.booleans() if item.max == 1 else answer)))
    return instrument, {"items": items}


@given(answer_sets())
def test_items_round_trip_with_missing_answers(case: tuple[str, dict[str, Any]]) -> None:
    instrument, responses = case
    items = response_items(instrument, responses)
    for item in items:
        QuestionnaireResponseItem.model_validate(item)
    back = responses_from(instrument, items)
    assert back == responses
    # bool vs int is kept (True == 1 in Python, so compare types too)
    assert [type(v) for v in back["items"]] == [type(v) for v in responses["items"]]
    assert len(items) == sum(a is not None for a in responses["items"])


def test_other_keys_keep_null_and_nested_values() -> None:
    responses = {"score": 4, "site": "low back", "recall": None, "extra": {"a": [1, 2]}}
    items = response_items("nprs", responses)
    assert [i["linkId"] for i in items] == ["extra", "recall", "score", "site"]
    assert "answer" not in items[1]
    assert responses_from("nprs", items) == responses
