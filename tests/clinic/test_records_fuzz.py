"""Fuzz every clinic form model: any JSON-like input either validates or raises InvalidInput
naming real fields, never another exception."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hipback.clinic.records import (
    ExerciseLogEntry,
    OutcomeEntry,
    PatientCreate,
    SessionDocumentation,
    validate,
)
from hipback.errors import InvalidInput
from hipback.protocol import load_session
from hipback.screening import load_evaluation

MODELS = [PatientCreate, ExerciseLogEntry, OutcomeEntry, SessionDocumentation]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.dates().map(str),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


def _object_for(model: Any) -> st.SearchStrategy[dict[str, Any]]:
    keys = st.sampled_from([*model.model_fields, "unknown_field"])
    return st.dictionaries(keys, json_values, max_size=len(model.model_fields) + 1)


def _only_invalid_input(loader: Any, obj: dict[str, Any]) -> None:
    problems: tuple[Any, ...] = ()
    try:
        loader(obj)
    except InvalidInput as exc:
        problems = exc.problems
    assert all(p.field and p.allowed for p in problems)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@given(data=st.data())
@settings(max_examples=150)
def test_form_models_never_raise_anything_else(model: Any, data: st.DataObject) -> None:
    obj = data.draw(_object_for(model))
    _only_invalid_input(lambda o: validate(model, o), obj)


@given(
    obj=st.dictionaries(
        st.sampled_from(["patient", "assessed_on", "hip_exam", "red_flags", "junk"]),
        json_values,
        max_size=5,
    )
)
@settings(max_examples=150)
def test_evaluation_loader_only_raises_invalid_input(obj: dict[str, Any]) -> None:
    _only_invalid_input(load_evaluation, obj)


@given(
    obj=st.dictionaries(
        st.sampled_from(["session", "items", "measures", "junk"]), json_values, max_size=4
    )
)
@settings(max_examples=150)
def test_session_loader_only_raises_invalid_input(obj: dict[str, Any]) -> None:
    _only_invalid_input(load_session, obj)
