"""Props (mat, table, chair, wall, step, counter, bike, pillow) as SVG shapes in body heights.

Shapes are returned as (tag, attributes) in *world* units with y up; the renderer maps them to
pixels. Side view draws elevations; top view draws the mat and table as seen from the ceiling.
"""

from __future__ import annotations

from hipback.figures.scene import project
from hipback.figures.schema import Camera, Prop

Shape = tuple[str, dict[str, float | str]]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1 (y up)
#: how far a table reaches towards (+) and away from (-) the camera, from the hip centre
TABLE_REACH = (0.62, -0.62)

WOOD = "prop-wood"
SOFT = "prop-soft"
WALL = "prop-wall"
METAL = "prop-metal"


def _rect(x0: float, y0: float, x1: float, y1: float, cls: str) -> Shape:
    return ("rect", {"x0": x0, "y0": y0, "x1": x1, "y1": y1, "class": cls})


def _line(x0: float, y0: float, x1: float, y1: float, cls: str) -> Shape:
    return ("line", {"x0": x0, "y0": y0, "x1": x1, "y1": y1, "class": cls})


def _end_table(x0: float, x1: float, h: float) -> list[Shape]:
    """A table seen from its end and a little above: the top as a lying body's support."""
    near, far = TABLE_REACH
    corners = [project("end", (x, h, z)) for x, z in ((x0, far), (x1, far), (x1, near), (x0, near))]
    top: dict[str, float | str] = {"class": SOFT}
    for n, (sx, sy, _) in enumerate(corners):
        top[f"x{n}"], top[f"y{n}"] = sx, sy
    (_, front_y, _) = corners[2]
    return [
        ("poly", top),
        _line(x0 + 0.03, 0.0, x0 + 0.03, front_y, METAL),
        _line(x1 - 0.03, 0.0, x1 - 0.03, front_y, METAL),
    ]


def shapes(prop: Prop, camera: Camera) -> list[Shape]:
    x, w, h = prop.x, prop.width, prop.height
    if camera == "end" and prop.kind == "table":
        return _end_table(x, x + w, h)
    if camera == "top":
        if prop.kind == "mat":
            return [_rect(x, -0.28, x + w, 0.28, SOFT)]
        if prop.kind == "table":
            return [_rect(x, -0.24, x + w, 0.24, WOOD)]
        if prop.kind == "pillow":
            return [_rect(x, -0.08, x + w, 0.08, SOFT)]
        return []
    back = x if prop.facing == "right" else x + w
    if prop.kind == "chair" and prop.facing in ("viewer", "away"):
        return [
            _rect(x + 0.02, h, x + w - 0.02, h + 0.3, WOOD),
            _line(x + 0.02, 0.0, x + 0.02, h, METAL),
            _line(x + w - 0.02, 0.0, x + w - 0.02, h, METAL),
            _rect(x, h - 0.03, x + w, h, WOOD),
        ]
    match prop.kind:
        case "mat":
            return [_rect(x, 0.0, x + w, 0.018, SOFT)]
        case "pillow":
            return [_rect(x, h - 0.03, x + w, h + 0.03, SOFT)]
        case "table":
            return [
                _rect(x, h - 0.04, x + w, h, WOOD),
                _rect(x, h - 0.055, x + w, h - 0.04, SOFT),
                _line(x + 0.05, 0.0, x + 0.05, h - 0.05, METAL),
                _line(x + w - 0.05, 0.0, x + w - 0.05, h - 0.05, METAL),
            ]
        case "chair":
            return [
                _rect(x, h - 0.03, x + w, h, WOOD),
                _line(x + 0.02, 0.0, x + 0.02, h - 0.03, METAL),
                _line(x + w - 0.02, 0.0, x + w - 0.02, h - 0.03, METAL),
                _line(back, h, back, h + 0.28, METAL),
            ]
        case "wall":
            thick = 0.04 if prop.facing == "right" else -0.04
            return [_rect(min(x, x - thick), 0.0, max(x, x - thick), h or 1.15, WALL)]
        case "step":
            return [_rect(x, 0.0, x + w, h, WOOD)]
        case "counter":
            return [_rect(x, 0.0, x + w, h - 0.03, WALL), _rect(x - 0.02, h - 0.03, x + w, h, WOOD)]
        case "bike":
            crank = x + w
            return [
                _line(x, h, crank, 0.19, METAL),
                _line(crank, 0.19, crank + 0.2, h + 0.12, METAL),
                _line(crank + 0.14, h + 0.13, crank + 0.24, h + 0.12, METAL),
                _rect(x - 0.05, h, x + 0.06, h + 0.025, WOOD),
                _line(x - 0.2, 0.0, crank + 0.3, 0.0, METAL),
                _line(x, h, x - 0.02, 0.0, METAL),
                ("circle", {"cx": crank, "cy": 0.19, "r": 0.045, "class": METAL}),
            ]
    return []


def box(shape: Shape) -> Box:
    tag, a = shape
    if tag == "circle":
        cx, cy, r = float(a["cx"]), float(a["cy"]), float(a["r"])
        return (cx - r, cy - r, cx + r, cy + r)
    xs = [float(v) for k, v in a.items() if k.startswith("x")]
    ys = [float(v) for k, v in a.items() if k.startswith("y")]
    return (min(xs), min(ys), max(xs), max(ys))
