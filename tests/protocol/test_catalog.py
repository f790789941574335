"""The intervention catalog: schema, arm composition (mash.md §4.1) and precautions."""

from __future__ import annotations

import pytest

from hipback.errors import ConfigurationError, NotFound
from hipback.protocol.catalog import (
    Arm,
    Category,
    Condition,
    Dose,
    load_catalog,
    parse_catalog_file,
)

HIP_ONLY = {Category.HIP_MOBILISATION, Category.HIP_FLEXIBILITY, Category.HIP_STRENGTHENING}

GOOD = """
schema_version = 1
version = "t"
category = "aerobic"
[[interventions]]
id = "x"
name = "X"
patient_name = "X"
arms = ["spine"]
category = "aerobic"
delivery = ["home"]
side_specific = false
targets = ["lbp"]
instructions = ["one", "two"]
evidence = "e"
component = { source = "hipback default", citation = "c", confidence = "unverified" }
dose_source = { source = "hipback default", citation = "c", confidence = "unverified" }
[[interventions.ladder]]
level = 1
name = "L1"
dose = { minutes = 10, per_week = 3 }
up = "u"
down = "d"
"""


def test_catalog_loads_every_category() -> None:
    catalog = load_catalog()
    assert {i.category for i in catalog} == set(Category)
    assert len(catalog) >= 30


def test_issue_listed_techniques_are_present() -> None:
    """Issue 3 §3 names these techniques and exercises; each must have an entry."""
    ids = set(load_catalog().items)
    required = {
        "hip_long_axis_distraction", "hip_posterior_glide", "hip_lateral_glide",
        "hip_inferior_glide_flexion", "hip_mobilisation_with_movement",
        "hip_flexor_stretch", "hip_rotator_stretch", "hip_adductor_stretch", "hamstring_stretch",
        "tfl_itb_stretch", "sidelying_hip_abduction", "clamshell", "bridge", "sit_to_stand",
        "step_up", "standing_band_abduction", "abdominal_bracing", "bird_dog", "side_plank",
        "lumbar_pa_mobilisation", "lumbar_rotation_mobilisation", "lumbar_soft_tissue_massage",
        "stationary_cycling", "walking_program",
    }  # fmt: skip
    assert required <= ids


def test_spine_arm_has_no_hip_treatment() -> None:
    """mash.md §4.1: the spine-focused arm gets 'no hip treatment'."""
    spine = [i for i in load_catalog() if Arm.SPINE in i.arms]
    assert spine
    assert not [i.id for i in spine if i.category in HIP_ONLY]


def test_hip_only_categories_and_lumbar_manual_are_single_arm() -> None:
    for item in load_catalog():
        if item.category in HIP_ONLY:
            assert item.arms == (Arm.HIP,), item.id
        if item.category is Category.LUMBAR_MANUAL:
            assert item.arms == (Arm.SPINE,), item.id


def test_every_dose_says_where_it_comes_from() -> None:
    """MASH published no doses (mash.md §4.2 ❌), so none may claim MASH as its dose source."""
    for item in load_catalog():
        assert item.dose_source.source == "hipback default", item.id
        assert not item.dose_source.confidence.is_verified, item.id
        assert item.dose_source.citation


def test_components_not_reported_by_mash_are_marked() -> None:
    catalog = load_catalog()
    assert catalog.get("walking_program").component.source == "hipback default"
    assert catalog.get("hip_distraction_thrust").component.source == "hipback default"
    assert catalog.get("stationary_cycling").component.source == "MASH"


def test_osteoporosis_excludes_every_thrust() -> None:
    """Issue 3: osteoporosis → no high-velocity thrust (grade V)."""
    thrusts = [i for i in load_catalog() if any(lv.dose.grade == "V" for lv in i.ladder)]
    assert thrusts
    for item in thrusts:
        p = item.precaution_for(Condition.OSTEOPOROSIS)
        assert p is not None
        assert p.action == "exclude"


def test_posterior_hip_replacement_precautions() -> None:
    """Posterior approach: no flexion > 90°, adduction past midline or internal rotation."""
    catalog = load_catalog()
    for item_id in ("seated_hip_ir_band", "tfl_itb_stretch", "hip_posterior_glide"):
        p = catalog.get(item_id).precaution_for(Condition.HIP_REPLACEMENT_POSTERIOR)
        assert p is not None
        assert p.action == "exclude", item_id
    for item in catalog:
        if item.category is Category.HIP_MOBILISATION:
            p = item.precaution_for(Condition.HIP_REPLACEMENT_POSTERIOR)
            assert p is not None
            assert p.action == "exclude", item.id


def test_instructions_are_short_numbered_steps() -> None:
    for item in load_catalog():
        assert 2 <= len(item.instructions) <= 8
        assert all(len(step) <= 160 for step in item.instructions)


def test_ladder_levels_have_criteria_both_ways() -> None:
    for item in load_catalog():
        for level in item.ladder:
            assert level.up and level.down, (item.id, level.level)


def test_unknown_intervention_is_not_found() -> None:
    with pytest.raises(NotFound, match="nope"):
        load_catalog().get("nope")


def test_minimal_file_parses() -> None:
    parsed = parse_catalog_file("t.toml", GOOD)
    assert parsed.interventions[0].start.dose.minutes == 10


def test_extra_field_is_rejected_naming_file_and_field() -> None:
    bad = GOOD.replace('up = "u"', 'up = "u"\nspeed = 3')
    with pytest.raises(ConfigurationError, match=r"t\.toml: .*ladder\.0\.speed: Extra inputs"):
        parse_catalog_file("t.toml", bad)


def test_ladder_must_be_numbered_from_one() -> None:
    with pytest.raises(ConfigurationError, match="ladder levels"):
        parse_catalog_file("t.toml", GOOD.replace("level = 1", "level = 2"))


def test_entry_category_must_match_file() -> None:
    with pytest.raises(ConfigurationError, match="not in category"):
        parse_catalog_file("t.toml", GOOD.replace('"aerobic"', '"trunk_training"', 1))


def test_dose_needs_an_amount_and_a_known_grade() -> None:
    with pytest.raises(ValueError, match="needs reps"):
        Dose(per_week=2)
    with pytest.raises(ValueError, match="grade"):
        Dose(per_week=2, bouts=3, grade="VI")


def test_dose_description() -> None:
    assert Dose(sets=2, reps=10, per_week=3, load="light band").describe() == (
        "2 × 10 reps, light band, 3×/week"
    )
    assert Dose(grade="III", bouts=3, bout_s=30, per_week=2).describe() == (
        "Maitland grade III, 3 × 30 s, 2×/week"
    )
