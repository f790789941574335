"""Small 3-D vector and rotation helpers (stdlib only) for the figure body model.

Body frame: x = the person's left, y = up (superior), z = forward (anterior); right-handed.
World frame: X along the room (to the right in the side view), Y up, Z towards the side-view
camera. Angles are in degrees.
"""

from __future__ import annotations

import math

Vec = tuple[float, float, float]
Mat = tuple[Vec, Vec, Vec]  # rows

IDENTITY: Mat = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))


def rot_x(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((1.0, 0.0, 0.0), (0.0, c, -s), (0.0, s, c))


def rot_y(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, 0.0, s), (0.0, 1.0, 0.0), (-s, 0.0, c))


def rot_z(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, -s, 0.0), (s, c, 0.0), (0.0, 0.0, 1.0))


def mul(a: Mat, b: Mat) -> Mat:
    cols = list(zip(*b, strict=True))
    r0, r1, r2 = (
        tuple(sum(x * y for x, y in zip(row, col, strict=True)) for col in cols) for row in a
    )
    return (_vec(r0), _vec(r1), _vec(r2))


def chain(*mats: Mat) -> Mat:
    out = IDENTITY
    for m in mats:
        out = mul(out, m)
    return out


def apply(m: Mat, v: Vec) -> Vec:
    return _vec(tuple(sum(a * b for a, b in zip(row, v, strict=True)) for row in m))


def add(a: Vec, b: Vec) -> Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def cross(a: Vec, b: Vec) -> Vec:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def from_columns(x: Vec, y: Vec, z: Vec) -> Mat:
    """The rotation whose columns are the images of the body x, y and z axes."""
    return ((x[0], y[0], z[0]), (x[1], y[1], z[1]), (x[2], y[2], z[2]))


def _vec(values: tuple[float, ...]) -> Vec:
    a, b, c = values
    return (a, b, c)
