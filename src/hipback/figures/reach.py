"""Solve shoulder and elbow flexion so a hand rests on a landmark (two-link, sagittal plane)."""

from __future__ import annotations

import math

from hipback.figures.body import FOREARM, HAND, UPPER_ARM, Body, base_rotation
from hipback.figures.geometry import Vec, apply, chain, rot_x, rot_y, rot_z
from hipback.figures.schema import BodyPose

GRIP = FOREARM + HAND * 0.6  # elbow to the middle of the hand


def _transpose(m: tuple[Vec, Vec, Vec]) -> tuple[Vec, Vec, Vec]:
    (a, b, c), (d, e, f), (g, h, i) = m
    return ((a, d, g), (b, e, h), (c, f, i))


def arm_angles(pose: BodyPose, body: Body, side: str, target: Vec) -> dict[str, float]:
    """Shoulder and elbow flexion (degrees) that bring the grip point nearest ``target``."""
    spine = chain(
        rot_z(pose.tilt),
        base_rotation(pose),
        rot_y(pose.roll),
        rot_x(pose.joints.get("spine", {}).get("flexion", 0.0)),
    )
    shoulder = body.landmarks[f"shoulder_{side}"]
    delta = tuple(t - s for t, s in zip(target, shoulder, strict=True))
    local = apply(_transpose(spine), (delta[0], delta[1], delta[2]))
    down, forward = -local[1], local[2]
    dist = min(math.hypot(down, forward), UPPER_ARM + GRIP - 1e-6)
    dist = max(dist, abs(UPPER_ARM - GRIP) + 1e-6)
    alpha = math.atan2(forward, down)
    beta = math.acos((UPPER_ARM**2 + dist**2 - GRIP**2) / (2 * UPPER_ARM * dist))
    elbow = math.pi - math.acos((UPPER_ARM**2 + GRIP**2 - dist**2) / (2 * UPPER_ARM * GRIP))
    return {
        f"shoulder_{side}": round(math.degrees(alpha - beta), 1),
        f"elbow_{side}": round(math.degrees(elbow), 1),
    }
