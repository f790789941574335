"""Place the bodies of a scene in the world and project them for a camera."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from hipback.errors import InvalidInput
from hipback.figures.body import Body, build
from hipback.figures.geometry import Vec
from hipback.figures.reach import arm_angles
from hipback.figures.schema import Anchor, BodyPose, Camera, Scene

Point = tuple[float, float]
END_PITCH = 30.0  # degrees the "end" camera looks down
END_COS, END_SIN = math.cos(math.radians(END_PITCH)), math.sin(math.radians(END_PITCH))


def project(camera: Camera, v: Vec) -> tuple[float, float, float]:
    """(screen x, screen y up, depth towards the camera) in body heights."""
    x, y, z = v
    if camera == "side":
        return (x, y, z)
    if camera == "end":
        return (x, y * END_COS - z * END_SIN, z * END_COS + y * END_SIN)
    return (x, -z, y)


def _lowest(body: Body) -> float:
    low = []
    for part in body.parts:
        reach = part.width if part.kind == "head" else part.width / 2
        low += [p[1] - reach for p in part.points[: 1 if part.kind == "head" else None]]
    return min(low)


def place(pose: BodyPose) -> Body:
    """Build the body; without an explicit ``y`` it rests on its ``ground`` surface."""
    if pose.y is not None:
        return build(pose, (pose.x, pose.y, pose.depth))
    trial = build(pose, (pose.x, 0.0, pose.depth))
    return build(pose, (pose.x, pose.ground - _lowest(trial), pose.depth))


@dataclass(frozen=True)
class Placed:
    patient: Body
    therapist: Body | None

    def bodies(self) -> tuple[tuple[str, Body], ...]:
        both = [("patient", self.patient)]
        if self.therapist is not None:
            both.append(("therapist", self.therapist))
        return tuple(both)

    def landmark(self, name: str) -> Vec:
        owner, _, mark = name.rpartition(".")
        body = self.therapist if owner == "therapist" else self.patient
        if owner not in ("", "patient", "therapist") or body is None:
            raise InvalidInput.one("landmark", name, "patient landmarks, or therapist.<name>")
        marks: Mapping[str, Vec] = body.landmarks
        if mark not in marks:
            raise InvalidInput.one("landmark", name, ", ".join(sorted(marks)))
        return marks[mark]

    def anchor(self, camera: Camera, anchor: Anchor) -> Point:
        if isinstance(anchor, str):
            sx, sy, _ = project(camera, self.landmark(anchor))
            return (sx, sy)
        return anchor


def _reach(pose: BodyPose, body: Body, target: Body) -> BodyPose:
    if not pose.reach:
        return pose
    joints = {name: dict(motions) for name, motions in pose.joints.items()}
    for side, anchor in sorted(pose.reach.items()):
        if isinstance(anchor, tuple):
            point: Vec = (anchor[0], anchor[1], body.landmarks[f"shoulder_{side}"][2])
        elif anchor in target.landmarks:
            point = target.landmarks[anchor]
        else:
            raise InvalidInput.one("reach", anchor, ", ".join(sorted(target.landmarks)))
        for joint, flexion in arm_angles(pose, body, side, point).items():
            joints.setdefault(joint, {})["flexion"] = flexion
    return pose.model_copy(update={"joints": joints, "reach": {}})


def resolve(scene: Scene) -> Scene:
    """The scene with every ``reach`` replaced by the solved shoulder and elbow angles."""
    patient = place(scene.patient)
    solved = _reach(scene.patient, patient, patient)
    patient = place(solved)
    therapist = None
    if scene.therapist is not None:
        therapist = _reach(scene.therapist, place(scene.therapist), patient)
    return Scene(patient=solved, therapist=therapist)


def place_scene(scene: Scene) -> Placed:
    scene = resolve(scene)
    therapist = place(scene.therapist) if scene.therapist is not None else None
    return Placed(patient=place(scene.patient), therapist=therapist)
