"""Load and check the pose files in ``data/poses/`` (one per catalog id)."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources

from pydantic import ValidationError

from hipback.errors import ConfigurationError, InvalidInput, NotFound, Problem
from hipback.figures.limits import check_angles
from hipback.figures.scene import resolve
from hipback.figures.schema import PoseFile
from hipback.protocol.catalog import describe_errors, load_catalog


def parse_pose_file(name: str, text: str) -> PoseFile:
    try:
        parsed = PoseFile.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"pose file {name}: not TOML: {exc}") from None
    except ValidationError as exc:
        raise ConfigurationError(f"pose file {name}: {describe_errors(exc)}") from None
    if f"{parsed.id}.toml" != name:
        raise ConfigurationError(f"pose file {name}: id {parsed.id!r} does not match the file name")
    return parsed


def limit_problems(pose: PoseFile) -> list[Problem]:
    """Every joint angle of every body in the start and end pose, checked against its limit."""
    problems: list[Problem] = []
    for label, given in (("start", pose.start), ("end", pose.end_scene)):
        scene = resolve(given)
        problems += check_angles(f"{pose.id}.{label}.patient", scene.patient.joints)
        if scene.therapist is not None:
            problems += check_angles(f"{pose.id}.{label}.therapist", scene.therapist.joints)
    return problems


@cache
def load_poses() -> Mapping[str, PoseFile]:
    """All pose files by catalog id; unknown ids and joint-limit breaches are errors."""
    folder = resources.files("hipback.figures") / "data" / "poses"
    catalog = load_catalog()
    poses: dict[str, PoseFile] = {}
    problems: list[Problem] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        pose = parse_pose_file(entry.name, entry.read_text(encoding="utf-8"))
        if pose.id not in catalog.items:
            raise ConfigurationError(f"pose file {entry.name}: {pose.id!r} is not in the catalog")
        problems += limit_problems(pose)
        poses[pose.id] = pose
    if problems:
        raise InvalidInput(problems)
    return poses


def drawn_ids() -> list[str]:
    """Catalog ids that have a figure: every exercise and technique (talks are not drawn)."""
    return sorted(item.id for item in load_catalog() if not item.is_education)


def missing_poses() -> list[str]:
    """Catalog ids without a pose file (must be empty); education talks are not drawn."""
    poses = load_poses()
    return [i for i in drawn_ids() if i not in poses]


def pose_for(catalog_id: str) -> PoseFile:
    pose = load_poses().get(catalog_id)
    if pose is None:
        raise NotFound(f"no figure for {catalog_id!r}")
    return pose
