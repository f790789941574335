"""Pose files: the start and end position of every catalog entry, as versioned data.

One TOML file per catalog id in ``data/poses/``. ``end`` lists only what changes from ``start``.
Joint angles are anatomical degrees (see ``data/joint_limits.toml`` for signs and limits).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Orientation = Literal["upright", "supine", "prone", "left_side_lying", "right_side_lying"]
Facing = Literal["right", "left", "viewer", "away"]
Head = Literal["left", "right", "away"]
#: side: horizontal view across the room; end: the same from slightly above (30° down), for
#: views along a lying body; top: from the ceiling
Camera = Literal["side", "end", "top"]
Face = Literal["whole", "anterior", "posterior", "lateral", "medial"]
Joints = dict[str, dict[str, float]]
#: a landmark of the patient ("knee_right"), of the therapist ("therapist.hand_left"), or a
#: fixed point [x, y] in body heights
Anchor = str | tuple[float, float]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BodyPose(_Model):
    orientation: Orientation
    facing: Facing | None = Field(default=None, description="upright only: where the face points")
    head: Head | None = Field(default=None, description="lying only")
    x: float = Field(ge=-3, le=3, description="hip centre, in body heights")
    depth: float = Field(
        default=0.0, ge=-1, le=1, description="towards (+) or away from (-) the side camera"
    )
    y: float | None = Field(
        default=None, ge=-1, le=2, description="hip centre height; omit to rest on `ground`"
    )
    ground: float = Field(default=0.0, ge=0, le=1, description="height of the supporting surface")
    tilt: float = Field(default=0.0, ge=-90, le=90, description="whole body, in the picture plane")
    roll: float = Field(default=0.0, ge=-60, le=60, description="pelvis about the body long axis")
    joints: Joints = Field(default_factory=dict)
    #: place a hand on a patient landmark ("left"/"right" -> "knee_right"); shoulder and elbow
    #: flexion are then solved in the body's sagittal plane (and still checked against limits)
    reach: dict[Literal["left", "right"], Anchor] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _direction(self) -> BodyPose:
        upright = self.orientation == "upright"
        if upright and (self.facing is None or self.head is not None):
            raise ValueError("an upright body needs `facing` and no `head`")
        if not upright and (self.head is None or self.facing is not None):
            raise ValueError("a lying body needs `head` and no `facing`")
        return self


class BodyChange(_Model):
    """What changes between the start and the end pose (anything omitted stays the same)."""

    orientation: Orientation | None = None
    facing: Facing | None = None
    head: Head | None = None
    x: float | None = Field(default=None, ge=-3, le=3)
    depth: float | None = Field(default=None, ge=-1, le=1)
    y: float | None = Field(default=None, ge=-1, le=2)
    ground: float | None = Field(default=None, ge=0, le=1)
    tilt: float | None = Field(default=None, ge=-90, le=90)
    roll: float | None = Field(default=None, ge=-60, le=60)
    joints: Joints = Field(default_factory=dict)
    reach: dict[Literal["left", "right"], Anchor] | None = None

    def apply(self, base: BodyPose) -> BodyPose:
        data = base.model_dump()
        for key, value in self.model_dump(exclude={"joints", "reach"}).items():
            if value is not None:
                data[key] = value
        joints = {name: dict(motions) for name, motions in base.joints.items()}
        for name, motions in self.joints.items():
            joints.setdefault(name, {}).update(motions)
        data["joints"] = joints
        if self.reach is not None:
            data["reach"] = self.reach
        return BodyPose.model_validate(data)


class Scene(_Model):
    patient: BodyPose
    therapist: BodyPose | None = None


class SceneChange(_Model):
    patient: BodyChange = Field(default_factory=BodyChange)
    therapist: BodyChange | None = None

    def apply(self, base: Scene) -> Scene:
        therapist = base.therapist
        if therapist is not None and self.therapist is not None:
            therapist = self.therapist.apply(therapist)
        return Scene(patient=self.patient.apply(base.patient), therapist=therapist)


class Prop(_Model):
    kind: Literal["mat", "table", "chair", "wall", "step", "counter", "bike", "pillow"]
    x: float = Field(ge=-3, le=3, description="left edge (or the wall face), in body heights")
    width: float = Field(default=0.0, ge=0, le=3)
    height: float = Field(default=0.0, ge=0, le=1.5)
    facing: Facing = "right"


class Line(_Model):
    """A resistance band, strap or mobilisation belt between two anchors."""

    kind: Literal["band", "strap", "belt"]
    start: Anchor
    end: Anchor


class Highlight(_Model):
    """The target muscle (a face of a body part) or joint (a ring) to draw in the accent colour."""

    part: str
    face: Face = "whole"
    span: tuple[float, float] = (0.0, 1.0)
    joint: bool = False


class Arrow(_Model):
    """``path``: the landmark's way from start to end; ``force``: a push or pull drawn at it;
    ``turn``: a curved arrow round it (a rotation or rocking)."""

    kind: Literal["path", "force", "turn"] = "path"
    landmark: str
    bend: float = Field(default=0.25, ge=-1, le=1)
    direction: float = Field(default=0.0, ge=-360, le=360, description="force: screen degrees")
    length: float = Field(default=0.15, ge=0.03, le=0.6)
    both_ways: bool = False
    into: bool = Field(default=False, description="force: the arrow ends at the landmark")


class PoseFile(_Model):
    schema_version: Literal[1]
    version: str
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    view: str = Field(min_length=3, description="which version is drawn, for the clinician")
    camera: Camera = "side"
    props: tuple[Prop, ...] = ()
    lines: tuple[Line, ...] = ()
    highlight: tuple[Highlight, ...] = Field(min_length=1)
    arrows: tuple[Arrow, ...] = Field(min_length=1)
    start: Scene
    end: SceneChange

    @property
    def end_scene(self) -> Scene:
        return self.end.apply(self.start)
