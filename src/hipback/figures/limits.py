"""Anatomical joint limits for the figure body model, read from ``data/joint_limits.toml``."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hipback.core import Confidence
from hipback.errors import ConfigurationError, Problem

JointKind = Literal["hip", "knee", "ankle", "spine", "neck", "shoulder", "elbow"]
Motion = Literal["flexion", "abduction", "rotation", "lateral_flexion"]

#: every joint of the body model and its kind
JOINTS: Mapping[str, JointKind] = {
    "spine": "spine",
    "neck": "neck",
    **{f"{j}_{side}": j for j in ("hip", "knee", "ankle") for side in ("left", "right")},
    **{f"{j}_{side}": j for j in ("shoulder", "elbow") for side in ("left", "right")},
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class JointLimit(_Model):
    joint: JointKind
    motion: Motion
    min: float = Field(ge=-180, le=0)
    max: float = Field(ge=0, le=180)
    source: str = Field(min_length=10)
    confidence: Confidence


class LimitsFile(_Model):
    schema_version: Literal[1]
    version: str
    limits: tuple[JointLimit, ...]


@cache
def load_limits() -> Mapping[tuple[JointKind, Motion], JointLimit]:
    entry = resources.files("hipback.figures") / "data" / "joint_limits.toml"
    try:
        parsed = LimitsFile.model_validate(tomllib.loads(entry.read_text(encoding="utf-8")))
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise ConfigurationError(f"joint_limits.toml: {exc}") from None
    return {(lim.joint, lim.motion): lim for lim in parsed.limits}


def check_angles(where: str, joints: Mapping[str, Mapping[str, float]]) -> list[Problem]:
    """Every joint/motion named must exist in the model and lie within its limit."""
    limits = load_limits()
    problems: list[Problem] = []
    for name, motions in joints.items():
        kind = JOINTS.get(name)
        if kind is None:
            problems.append(Problem(f"{where}.{name}", name, ", ".join(JOINTS), "unknown joint"))
            continue
        for motion, value in motions.items():
            limit = limits.get((kind, motion))  # type: ignore[arg-type]
            field = f"{where}.{name}.{motion}"
            if limit is None:
                allowed = ", ".join(m for (k, m) in limits if k == kind)
                problems.append(Problem(field, motion, allowed, f"{kind} has no such motion"))
            elif not limit.min <= value <= limit.max:
                problems.append(
                    Problem(field, value, f"{limit.min:g} to {limit.max:g} degrees", limit.source)
                )
    return problems
