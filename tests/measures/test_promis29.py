"""PROMIS-29 v2.1: raw domain sums → T-scores (tables in shared/reference/measures.md §10).

Every expected T-score below is read from the table in measures.md §10 (⚠️ values from public
code citing the HealthMeasures PROMIS Adult Profile Scoring Manual); the raw sums are hand-added
from the answers given. Item order: PF 0-3, anxiety 4-7, depression 8-11, fatigue 12-15,
sleep 16-19, social roles 20-23, pain interference 24-27, pain intensity 28.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from hipback.core import Confidence
from hipback.errors import ConfigurationError, InvalidInput
from hipback.measures import compare, get, interpret, score, score_batch
from hipback.measures.base import Patient, Score
from hipback.measures.promis29 import Promis29
from hipback.measures.promis_tables import load_tables, parse_tables

DOMAINS = [
    "physical_function",
    "anxiety",
    "depression",
    "fatigue",
    "sleep_disturbance",
    "social_roles",
    "pain_interference",
]


def four(raw: int) -> list[int]:
    """Four answers 1-5 adding up to ``raw`` (4-20), e.g. 10 → [3, 3, 2, 2]."""
    base, extra = divmod(raw, 4)
    return [base + 1 if k < extra else base for k in range(4)]


def form(raws: dict[str, int | None], pain: int | None = 5) -> dict[str, Any]:
    items: list[int | None] = []
    for key in DOMAINS:
        raw = raws.get(key, 12)
        items += [None] * 4 if raw is None else four(raw)
    return {"items": [*items, pain]}


@pytest.mark.parametrize(
    ("domain", "raw", "t"),
    [
        # measures.md §10 table, one column each, at the edges and in the middle
        ("physical_function", 4, 22.5),
        ("physical_function", 12, 36.7),
        ("physical_function", 19, 48.3),
        ("physical_function", 20, 57.0),
        ("anxiety", 4, 40.3),
        ("anxiety", 10, 59.5),
        ("anxiety", 20, 81.6),
        ("depression", 13, 63.9),
        ("depression", 20, 79.4),
        ("fatigue", 5, 39.7),
        ("fatigue", 17, 66.7),
        ("sleep_disturbance", 8, 46.2),
        ("sleep_disturbance", 20, 73.3),
        ("social_roles", 4, 27.5),
        ("social_roles", 15, 50.0),
        ("pain_interference", 4, 41.6),
        ("pain_interference", 11, 59.9),
        ("pain_interference", 20, 75.6),
    ],
)
def test_t_score_lookup(domain: str, raw: int, t: float) -> None:
    s = score("promis29", form({domain: raw}))
    assert s.subscores[domain] == pytest.approx(t)
    assert s.details[f"{domain}_raw"] == raw


def test_full_profile_hand_checked() -> None:
    # PF 5,5,4,4 = 18 → 45.5 (SE 2.8); anxiety 1,1,1,1 = 4 → 40.3; depression 2,2,2,2 = 8 → 55.7;
    # fatigue 3,3,3,3 = 12 → 57.0; sleep 4,4,4,4 = 16 → 61.7; social 5,5,5,5 = 20 → 64.2;
    # pain interference 2,3,2,3 = 10 → 58.5; pain intensity 6 (raw)
    items = [5, 5, 4, 4, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 2, 3, 2, 3, 6]
    s = score("promis29", {"items": items})
    assert s.value is None
    assert dict(s.subscores) == pytest.approx(
        {
            "physical_function": 45.5,
            "anxiety": 40.3,
            "depression": 55.7,
            "fatigue": 57.0,
            "sleep_disturbance": 61.7,
            "social_roles": 64.2,
            "pain_interference": 58.5,
            "pain_intensity": 6.0,
        }
    )
    assert s.details["physical_function_se"] == pytest.approx(2.8)
    assert s.warnings == ()
    assert s.category is None


def test_pain_interference_discrepancy_is_warned() -> None:
    # measures.md §10: PI raw 20 = 75.6 here, 75.8 in another public file
    s = score("promis29", form({"pain_interference": 20}))
    assert s.subscores["pain_interference"] == pytest.approx(75.6)
    assert any("75.8" in w for w in s.warnings)


def test_domain_with_missing_item_is_not_scored_others_are() -> None:
    # HealthMeasures: lookup tables are valid only for complete short forms (no pro-rating)
    items = form({})["items"]
    items[5] = None  # an anxiety item
    s = score("promis29", {"items": items})
    assert s.subscores["anxiety"] is None
    assert s.details["anxiety_raw"] is None
    assert s.subscores["depression"] == pytest.approx(62.2)  # raw 12
    assert len(s.warnings) == 1
    assert "items[5]" in s.warnings[0] and "Anxiety" in s.warnings[0]


def test_missing_pain_intensity_alone_is_reported() -> None:
    s = score("promis29", form({}, pain=None))
    assert s.subscores["pain_intensity"] is None
    assert s.subscores["physical_function"] == pytest.approx(36.7)
    assert s.warnings == ("pain intensity not reported: items[28] missing",)


def test_only_pain_intensity_is_still_a_result() -> None:
    s = score("promis29", form(dict.fromkeys(DOMAINS), pain=3))
    assert s.subscores["pain_intensity"] == 3.0
    assert all(s.subscores[d] is None for d in DOMAINS)
    assert len(s.warnings) == 7


def test_empty_form_refused_naming_every_item() -> None:
    with pytest.raises(InvalidInput) as err:
        score("promis29", {"items": [None] * 29})
    fields = [p.field for p in err.value.problems]
    assert fields == [f"items[{i}]" for i in range(29)]


@pytest.mark.parametrize(("index", "value"), [(0, 6), (3, 0), (27, 6), (28, 11), (28, -1)])
def test_out_of_range_names_the_item(index: int, value: int) -> None:
    items = form({})["items"]
    items[index] = value
    with pytest.raises(InvalidInput) as err:
        score("promis29", {"items": items})
    assert [p.field for p in err.value.problems] == [f"items[{index}]"]
    assert ("0 to 10" if index == 28 else "1 to 5") in err.value.problems[0].allowed


def test_wrong_length_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        score("promis29", {"items": [3] * 28})
    assert err.value.problems[0].field == "items"


def test_batch_matrix_matches_single_and_handles_partial_domains() -> None:
    full = form({"physical_function": 16, "pain_interference": 8})["items"]
    partial = list(full)
    partial[0] = None
    matrix = np.array([full, partial, [None] * 29], dtype=np.float64)
    out = score_batch("promis29", matrix)
    assert out.ok.tolist() == [True, True, False]
    assert out.subscores["physical_function"][0] == pytest.approx(41.9)  # raw 16
    assert np.isnan(out.subscores["physical_function"][1])
    assert out.subscores["pain_interference"][1] == pytest.approx(55.6)  # raw 8
    assert np.isnan(out.scores).all()


def test_compare_uses_each_domain_direction() -> None:
    # PF raw 12 → 16: T 36.7 → 41.9, +5.2 ≥ MID 3.6 (higher = better) → improved.
    # Anxiety raw 8 → 12: T 55.8 → 63.4, +7.6 ≥ 5 (higher = worse) → worsened.
    # PI raw 12 → 10: T 61.2 → 58.5, 2.7 < 3 (Chen 2018, upper end) → no meaningful change.
    # Pain intensity 7 → 5: 2 points meets MIC 2 and MDC 2 → improved.
    before = form({"physical_function": 12, "anxiety": 8, "pain_interference": 12}, pain=7)
    after = form({"physical_function": 16, "anxiety": 12, "pain_interference": 10}, pain=5)
    result = compare("promis29", before, after)
    changes = {c.name: c for c in result.changes}
    assert changes["physical_function"].verdict == "improved"
    assert changes["physical_function"].improvement == pytest.approx(5.2)
    assert changes["anxiety"].verdict == "worsened"
    assert changes["pain_interference"].verdict == "no_meaningful_change"
    assert changes["pain_interference"].improvement == pytest.approx(2.7)
    assert changes["pain_intensity"].verdict == "improved"
    assert changes["depression"].verdict == "no_meaningful_change"
    assert "score" not in changes  # a profile has no headline score


def test_compare_skips_a_domain_missing_at_one_visit() -> None:
    after = form({"physical_function": None})
    names = [c.name for c in compare("promis29", form({}), after).changes]
    assert "physical_function" not in names and "anxiety" in names


def _band(domain: str, t: float) -> list[str]:
    s = Score("promis29", None, "T-score", "higher_is_worse", subscores={domain: t})
    return [f.category for f in get("promis29").norms(s, Patient())]


@pytest.mark.parametrize(
    ("t", "band"),
    [
        (54.9, "within normal limits"),
        (55.0, "mild"),
        (59.9, "mild"),
        (60.0, "moderate"),
        (69.9, "moderate"),
        (70.0, "severe"),
    ],
)
def test_symptom_band_edges(t: float, band: str) -> None:
    # HealthMeasures: < 55 normal, 55-60 mild, 60-70 moderate, >= 70 severe (⚠️)
    assert _band("pain_interference", t) == [band]
    assert _band("anxiety", t) == [band]


@pytest.mark.parametrize(
    ("t", "band"),
    [
        (45.1, "within normal limits"),
        (45.0, "mild"),
        (40.0, "mild"),
        (39.9, "moderate"),
        (30.0, "moderate"),
        (29.9, "severe"),
    ],
)
def test_function_band_edges(t: float, band: str) -> None:
    # HealthMeasures: > 45 normal, 40-45 mild, 30-40 moderate, < 30 severe (⚠️)
    assert _band("physical_function", t) == [band]
    assert _band("social_roles", t) == [band]


def test_interpret_flags_unverified_scoring_and_bands() -> None:
    s = score("promis29", form({"physical_function": 5}))  # T 26.6 → severe
    out = interpret(s)
    assert "scoring" in out["unverified"]
    pf = [n for n in out["norms"] if n["category"] == "severe"]
    assert pf and pf[0]["verified"] is False
    assert s.confidence is Confidence.UNCERTAIN


def test_tables_and_loinc_carry_their_uncertainty() -> None:
    tables = load_tables()
    assert tables.confidence is Confidence.UNCERTAIN
    measure = get("promis29")
    assert isinstance(measure, Promis29)
    codes = measure.loinc_codes()
    assert codes["social_roles"].confidence is Confidence.UNVERIFIED
    assert codes["pain_interference"].code == "71961-7"
    assert all(c.confidence is not Confidence.VERIFIED for c in codes.values())


def test_every_tabled_t_score_is_within_the_declared_range() -> None:
    spec = get("promis29").spec
    values = [t for d in load_tables().domains for t in d.t_scores]
    assert min(values) == spec.score_min and max(values) == spec.score_max


def test_spec_items_match_table_items() -> None:
    spec_ids = tuple(i.id for i in get("promis29").spec.items)
    assert spec_ids == load_tables().item_ids
    assert len(spec_ids) == 29


SHORT = """
schema_version = 1
instrument = "promis29"
version = "2.1"
manual = "x"
citation = "x"
confidence = "uncertain"
[[domains]]
key = "anxiety"
name = "Anxiety"
direction = "higher_is_worse"
items = ["a", "b", "c", "d"]
raw_min = 4
t_scores = {values}
[pain_intensity]
key = "pain_intensity"
item = "p"
min = 0
max = 10
"""


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ("[40.0, 41.0]", "expected 17"),
        (str([50.0 - k for k in range(17)]), "must not decrease"),
    ],
)
def test_table_schema_rejects_bad_tables(values: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        parse_tables(SHORT.format(values=values), "test.toml")


def test_table_schema_rejects_unknown_keys() -> None:
    text = SHORT.format(values=str([40.0 + k for k in range(17)])) + "\nextra = 1\n"
    with pytest.raises(ConfigurationError, match="extra"):
        parse_tables(text, "test.toml")
