"""Every catalog entry has a pose file, and every pose respects the joint limits (issue 8)."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from hipback.errors import ConfigurationError
from hipback.figures.poses import (
    drawn_ids,
    limit_problems,
    load_poses,
    missing_poses,
    parse_pose_file,
)
from hipback.figures.render import arrow_points
from hipback.figures.scene import place_scene
from hipback.protocol.catalog import load_catalog

POSES = resources.files("hipback.figures") / "data" / "poses"


def _text(catalog_id: str) -> str:
    return (POSES / f"{catalog_id}.toml").read_text(encoding="utf-8")


def test_every_catalog_entry_has_a_pose() -> None:
    assert missing_poses() == []
    assert set(load_poses()) == set(drawn_ids())
    assert len(load_poses()) == 35  # catalog size when issue 8 was done (both arms)


@pytest.mark.parametrize("catalog_id", drawn_ids())
def test_pose_respects_joint_limits(catalog_id: str) -> None:
    pose = parse_pose_file(f"{catalog_id}.toml", _text(catalog_id))
    assert limit_problems(pose) == []


def test_a_pose_beyond_a_limit_is_reported_with_field_value_and_range() -> None:
    # hip flexion limit is 120° (joint_limits.toml); 150° must be reported
    text = _text("bridge").replace("hip_left = { flexion = 50 }", "hip_left = { flexion = 150 }")
    problems = limit_problems(parse_pose_file("bridge.toml", text))
    fields = {p.field: p for p in problems}
    problem = fields["bridge.start.patient.hip_left.flexion"]
    assert problem.value == 150
    assert problem.allowed == "-25 to 120 degrees"


def test_solved_arm_angles_are_checked_too() -> None:
    # the bird-dog hands are solved by reach; a hand on its own shoulder (instead of on the
    # floor) needs a fully folded elbow (180°), beyond the 145° limit
    text = _text("bird_dog").replace("[-0.28, 0.035]", '"shoulder_left"')
    problems = limit_problems(parse_pose_file("bird_dog.toml", text))
    assert any(p.field.endswith("elbow_left.flexion") for p in problems)


def test_unknown_joint_and_motion_are_named() -> None:
    text = _text("bridge").replace(
        "hip_left = { flexion = 50 }", "hip_left = { twist = 5 }\nwrist_left = { flexion = 5 }"
    )
    problems = limit_problems(parse_pose_file("bridge.toml", text))
    assert {p.field for p in problems} >= {
        "bridge.start.patient.hip_left.twist",
        "bridge.start.patient.wrist_left",
    }


def test_pose_file_schema_rejects_unknown_keys_and_wrong_names() -> None:
    with pytest.raises(ConfigurationError, match="colour"):
        parse_pose_file("bridge.toml", _text("bridge") + '\ncolour = "red"\n')
    with pytest.raises(ConfigurationError, match="does not match the file name"):
        parse_pose_file("clamshell.toml", _text("bridge"))
    with pytest.raises(ConfigurationError, match="not TOML"):
        parse_pose_file("bridge.toml", "id = ")


def test_lying_pose_needs_a_head_direction() -> None:
    data = tomllib.loads(_text("bridge"))
    text = _text("bridge").replace('head = "left"', 'facing = "left"')
    assert data["start"]["patient"]["head"] == "left"
    with pytest.raises(ConfigurationError, match="lying body needs `head`"):
        parse_pose_file("bridge.toml", text)


@pytest.mark.parametrize("catalog_id", drawn_ids())
def test_path_arrows_show_a_visible_movement(catalog_id: str) -> None:
    """A path arrow shorter than 3 cm at body height 1.7 m (0.02 body heights) would be a dot."""
    pose = load_poses()[catalog_id]
    start, end = place_scene(pose.start), place_scene(pose.end_scene)
    for arrow in pose.arrows:
        points = arrow_points(arrow, pose.camera, start, end)
        (x0, y0), (x1, y1) = points[0], points[-1]
        if arrow.kind == "path":
            assert ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5 > 0.02, arrow.landmark


def test_a_new_catalog_entry_without_a_pose_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from hipback.figures import poses

    catalog = load_catalog()
    extra = catalog.get("bridge").model_copy(update={"id": "new_exercise"})
    bigger = replace(catalog, items={**catalog.items, "new_exercise": extra})
    monkeypatch.setattr(poses, "load_catalog", lambda: bigger)
    assert poses.missing_poses() == ["new_exercise"]
