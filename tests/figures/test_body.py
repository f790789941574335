"""Forward kinematics of the body model, checked against hand calculations."""

from __future__ import annotations

import math

import pytest

from hipback.figures.body import ANKLE_HEIGHT, SHANK, THIGH, WIDTH
from hipback.figures.reach import GRIP, arm_angles
from hipback.figures.scene import place
from hipback.figures.schema import BodyPose


def _standing(facing: str = "right", **joints: dict[str, float]) -> BodyPose:
    return BodyPose(orientation="upright", facing=facing, x=0.0, joints=joints)


def test_standing_hip_height_rests_on_the_floor() -> None:
    # lowest point = sole of the foot: ankle height 0.039 below the ankle, plus half the foot
    # outline (0.03 / 2) => hip height = 0.245 + 0.246 + 0.039 + 0.015 = 0.545 body heights
    body = place(_standing())
    hip = body.landmarks["hip_right"]
    assert hip[1] == pytest.approx(THIGH + SHANK + ANKLE_HEIGHT + WIDTH["foot"] / 2)
    assert hip[1] == pytest.approx(0.545)
    knee = body.landmarks["knee_right"]
    assert knee[0] == pytest.approx(hip[0]) and knee[1] == pytest.approx(hip[1] - THIGH)


def test_hip_flexion_moves_the_knee_forward() -> None:
    # facing right (+x): 90° hip flexion puts the knee 0.245 in front of the hip, same height
    body = place(_standing(hip_right={"flexion": 90.0}))
    hip, knee = body.landmarks["hip_right"], body.landmarks["knee_right"]
    assert knee[0] - hip[0] == pytest.approx(THIGH)
    assert knee[1] == pytest.approx(hip[1])


def test_left_hip_abduction_moves_the_knee_to_the_left() -> None:
    # facing the viewer, the person's left is screen right (+x); 30° abduction moves the
    # knee 0.245 × sin 30° = 0.1225 further left
    body = place(_standing("viewer", hip_left={"abduction": 30.0}))
    hip, knee = body.landmarks["hip_left"], body.landmarks["knee_left"]
    assert knee[0] - hip[0] == pytest.approx(THIGH * math.sin(math.radians(30)))


def test_internal_rotation_in_sitting_moves_the_foot_outwards() -> None:
    # seated (hip and knee 90°), hip internal rotation swings the foot laterally: the right
    # side faces the camera (+z) when facing right, so the ankle moves 0.246 × sin 30° in +z
    sitting = {"flexion": 90.0}
    base = place(_standing(hip_right=sitting, knee_right=sitting))
    turned = place(_standing(hip_right=sitting | {"rotation": 30.0}, knee_right=sitting))
    dz = turned.landmarks["ankle_right"][2] - base.landmarks["ankle_right"][2]
    assert dz == pytest.approx(SHANK * math.sin(math.radians(30)))


def test_supine_body_lies_with_the_front_up() -> None:
    pose = BodyPose(orientation="supine", head="left", x=0.0, ground=0.42)
    body = place(pose)
    assert body.landmarks["head"][0] < body.landmarks["hip_centre"][0]  # head to the left
    assert body.landmarks["belly"][1] > body.landmarks["lumbar"][1]  # belly above the back


def test_reach_puts_the_hand_on_the_target() -> None:
    # a reachable target 0.3 in front of and 0.1 below the right shoulder: the solved angles
    # must put the grip point (elbow + 0.188 along the forearm) on it
    body = place(_standing())
    shoulder = body.landmarks["shoulder_right"]
    target = (shoulder[0] + 0.3, shoulder[1] - 0.1, shoulder[2])
    angles = arm_angles(_standing(), body, "right", target)
    solved = place(
        _standing(
            shoulder_right={"flexion": angles["shoulder_right"]},
            elbow_right={"flexion": angles["elbow_right"]},
        )
    )
    elbow = solved.landmarks["elbow_right"]
    wrist = solved.landmarks["wrist_right"]
    unit = [(w - e) / math.dist(wrist, elbow) for w, e in zip(wrist, elbow, strict=True)]
    grip = [e + u * GRIP for e, u in zip(elbow, unit, strict=True)]
    assert math.dist(grip, target) < 0.005  # angles are rounded to 0.1°


def test_end_camera_looks_down_thirty_degrees() -> None:
    # "end" camera: screen y = y cos 30° - z sin 30°; a point 1 up -> 0.866, 1 nearer -> -0.5
    from hipback.figures.scene import project

    assert project("end", (0.0, 1.0, 0.0))[1] == pytest.approx(math.sqrt(3) / 2)
    assert project("end", (0.0, 0.0, 1.0))[1] == pytest.approx(-0.5)
    assert project("top", (0.3, 0.2, 0.1)) == (0.3, -0.1, 0.2)
