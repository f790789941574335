"""The 2-D figure's body model: segment sizes, forward kinematics, and the parts to draw.

Sizes are fractions of standing height from the Drillis & Contini segment proportions as
tabulated in Winter, *Biomechanics and Motor Control of Human Movement* (recalled, not
re-checked: ⚠️; a drawing aid only). The model is 3-D so hip rotation and abduction read
correctly, and is projected orthographically by the renderer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from hipback.figures.geometry import (
    Mat,
    Vec,
    add,
    apply,
    chain,
    cross,
    from_columns,
    rot_x,
    rot_y,
    rot_z,
)
from hipback.figures.schema import BodyPose

Side = Literal["left", "right", "centre"]

THIGH = 0.245
SHANK = 0.246
ANKLE_HEIGHT = 0.039
FOOT_FORWARD = 0.12
HEEL_BACK = 0.035
UPPER_ARM = 0.186
FOREARM = 0.146
HAND = 0.07
HIP_HALF_WIDTH = 0.085
SHOULDER_HALF_WIDTH = 0.12
WAIST = 0.09  # hip centre to the lumbar joint
SHOULDER_HEIGHT = 0.2  # lumbar joint to the shoulder line
NECK = 0.23  # lumbar joint to the base of the neck
HEAD_RADIUS = 0.062
HEAD_CENTRE = 0.1  # base of the neck to the centre of the head

WIDTH = {
    "thigh": 0.072,
    "shank": 0.052,
    "foot": 0.03,
    "upper_arm": 0.045,
    "forearm": 0.036,
    "trunk": 0.11,
    "pelvis": 0.11,
    "neck": 0.04,
}

_AXES: Mapping[str, Vec] = {
    "+x": (1.0, 0.0, 0.0),
    "-x": (-1.0, 0.0, 0.0),
    "+y": (0.0, 1.0, 0.0),
    "-y": (0.0, -1.0, 0.0),
    "+z": (0.0, 0.0, 1.0),
    "-z": (0.0, 0.0, -1.0),
}

#: (superior, anterior) world axes for each orientation and facing/head direction
_BASES: Mapping[tuple[str, str], tuple[str, str]] = {
    ("upright", "right"): ("+y", "+x"),
    ("upright", "left"): ("+y", "-x"),
    ("upright", "viewer"): ("+y", "+z"),
    ("upright", "away"): ("+y", "-z"),
    ("supine", "away"): ("-z", "+y"),
    ("prone", "away"): ("-z", "-y"),
    ("supine", "left"): ("-x", "+y"),
    ("supine", "right"): ("+x", "+y"),
    ("prone", "left"): ("-x", "-y"),
    ("prone", "right"): ("+x", "-y"),
    ("left_side_lying", "left"): ("-x", "-z"),
    ("left_side_lying", "right"): ("+x", "+z"),
    ("right_side_lying", "left"): ("-x", "+z"),
    ("right_side_lying", "right"): ("+x", "-z"),
}


@dataclass(frozen=True)
class Part:
    """One drawable piece: a thick line, a filled outline, or the head."""

    name: str
    kind: Literal["line", "poly", "head"]
    points: tuple[Vec, ...]
    width: float
    side: Side
    frame: Mat


@dataclass(frozen=True)
class Body:
    landmarks: Mapping[str, Vec]
    parts: tuple[Part, ...]


def base_rotation(pose: BodyPose) -> Mat:
    direction = pose.facing if pose.orientation == "upright" else pose.head
    sup, ant = _BASES[(pose.orientation, str(direction))]
    y, z = _AXES[sup], _AXES[ant]
    return from_columns(cross(y, z), y, z)


def _angle(pose: BodyPose, joint: str, motion: str) -> float:
    return pose.joints.get(joint, {}).get(motion, 0.0)


def build(pose: BodyPose, root: Vec) -> Body:
    """Pose the body with its hip centre at ``root`` (world coordinates, body heights)."""
    pelvis = chain(rot_z(pose.tilt), base_rotation(pose), rot_y(pose.roll))
    marks: dict[str, Vec] = {"hip_centre": root}
    parts: list[Part] = []

    def at(frame: Mat, origin: Vec, local: Vec) -> Vec:
        return add(origin, apply(frame, local))

    lumbar = at(pelvis, root, (0.0, WAIST, -0.01))
    marks["lumbar"] = lumbar
    spine = chain(
        pelvis,
        rot_x(_angle(pose, "spine", "flexion")),
        rot_z(-_angle(pose, "spine", "lateral_flexion")),
        rot_y(_angle(pose, "spine", "rotation")),
    )
    marks["belly"] = at(spine, lumbar, (0.0, 0.05, 0.075))
    neck = at(spine, lumbar, (0.0, NECK, 0.0))
    marks["neck"] = neck
    head_frame = chain(spine, rot_x(_angle(pose, "neck", "flexion")))
    head = at(head_frame, neck, (0.0, HEAD_CENTRE, 0.012))
    marks["head"] = head
    sides: tuple[tuple[Side, float], ...] = (("left", 1.0), ("right", -1.0))
    for side, sign in sides:
        hip = at(pelvis, root, (sign * HIP_HALF_WIDTH, 0.0, 0.0))
        thigh = chain(
            pelvis,
            rot_x(-_angle(pose, f"hip_{side}", "flexion")),
            rot_z(sign * _angle(pose, f"hip_{side}", "abduction")),
            rot_y(-sign * _angle(pose, f"hip_{side}", "rotation")),
        )
        knee = at(thigh, hip, (0.0, -THIGH, 0.0))
        shank = chain(thigh, rot_x(_angle(pose, f"knee_{side}", "flexion")))
        ankle = at(shank, knee, (0.0, -SHANK, 0.0))
        foot = chain(shank, rot_x(-_angle(pose, f"ankle_{side}", "flexion")))
        heel = at(foot, ankle, (0.0, -ANKLE_HEIGHT, -HEEL_BACK))
        toe = at(foot, ankle, (0.0, -ANKLE_HEIGHT, FOOT_FORWARD))
        shoulder = at(spine, lumbar, (sign * SHOULDER_HALF_WIDTH, SHOULDER_HEIGHT, 0.0))
        upper = chain(
            spine,
            rot_x(-_angle(pose, f"shoulder_{side}", "flexion")),
            rot_z(sign * _angle(pose, f"shoulder_{side}", "abduction")),
        )
        elbow = at(upper, shoulder, (0.0, -UPPER_ARM, 0.0))
        fore = chain(upper, rot_x(-_angle(pose, f"elbow_{side}", "flexion")))
        wrist = at(fore, elbow, (0.0, -FOREARM, 0.0))
        hand = at(fore, elbow, (0.0, -FOREARM - HAND, 0.0))
        crest = at(pelvis, root, (sign * HIP_HALF_WIDTH * 1.1, WAIST, -0.01))
        for name, point in (
            ("hip", hip),
            ("knee", knee),
            ("ankle", ankle),
            ("heel", heel),
            ("toe", toe),
            ("shoulder", shoulder),
            ("elbow", elbow),
            ("wrist", wrist),
            ("hand", hand),
            ("crest", crest),
        ):
            marks[f"{name}_{side}"] = point
        parts += [
            Part(f"thigh_{side}", "line", (hip, knee), WIDTH["thigh"], side, thigh),
            Part(f"shank_{side}", "line", (knee, ankle), WIDTH["shank"], side, shank),
            Part(f"foot_{side}", "poly", (ankle, heel, toe), WIDTH["foot"], side, foot),
            Part(f"upper_arm_{side}", "line", (shoulder, elbow), WIDTH["upper_arm"], side, upper),
            Part(f"forearm_{side}", "line", (elbow, hand), WIDTH["forearm"], side, fore),
        ]
    parts += [
        Part(
            "pelvis",
            "poly",
            (marks["hip_left"], marks["crest_left"], marks["crest_right"], marks["hip_right"]),
            WIDTH["pelvis"],
            "centre",
            pelvis,
        ),
        Part(
            "trunk",
            "poly",
            (
                marks["crest_left"],
                marks["shoulder_left"],
                marks["shoulder_right"],
                marks["crest_right"],
            ),
            WIDTH["trunk"],
            "centre",
            spine,
        ),
        Part("neck", "line", (neck, head), WIDTH["neck"], "centre", head_frame),
        Part(
            "head",
            "head",
            (head, at(head_frame, head, (0.0, 0.0, HEAD_RADIUS))),
            HEAD_RADIUS,
            "centre",
            head_frame,
        ),
    ]
    return Body(landmarks=marks, parts=tuple(parts))
