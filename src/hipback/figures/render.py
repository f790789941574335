"""Render a pose file to a clean, deterministic SVG: start and end side by side.

The end panel repeats the start pose as a grey silhouette under the end pose, with the motion
arrow; the target muscle or joint is drawn in the accent colour. ``<title>``/``<desc>`` carry
alt text built from the catalog's patient instructions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from hipback.figures import style
from hipback.figures.body import Body, Part
from hipback.figures.geometry import Vec, apply
from hipback.figures.scene import Placed, Point, project
from hipback.figures.schema import Arrow, Camera, Highlight

Bounds = list[float]  # min x, min y, max x, max y (body heights, y up)


def num(v: float) -> str:
    text = f"{v:.1f}"
    return "0.0" if text == "-0.0" else text


class Canvas:
    """Collects SVG elements in world units and maps them to pixels for one panel."""

    def __init__(self, camera: Camera, bounds: Bounds, left: float) -> None:
        self.camera, self.bounds, self.left = camera, bounds, left
        self.out: list[str] = []

    def px(self, p: Point) -> tuple[str, str]:
        x = self.left + style.PAD + (p[0] - self.bounds[0]) * style.SCALE
        y = style.LABEL + style.PAD + (self.bounds[3] - p[1]) * style.SCALE
        return num(x), num(y)

    def screen(self, v: Vec) -> Point:
        sx, sy, _ = project(self.camera, v)
        return (sx, sy)

    def path(self, points: Iterable[Point], closed: bool = False) -> str:
        cmds = [f"{'M' if i == 0 else 'L'}{','.join(self.px(p))}" for i, p in enumerate(points)]
        return " ".join(cmds) + (" Z" if closed else "")

    def stroke(
        self, d: str, colour: str, width: float, fill: str = "none", extra: str = ""
    ) -> None:
        self.out.append(
            f'<path d="{d}" fill="{fill}" stroke="{colour}" stroke-width="{num(width)}" '
            f'stroke-linecap="round" stroke-linejoin="round"{extra}/>'
        )


def _part_axis(part: Part, body: Body) -> tuple[Vec, Vec]:
    marks = body.landmarks
    if part.name == "pelvis":
        return marks["hip_centre"], marks["lumbar"]
    if part.name == "trunk":
        return marks["lumbar"], marks["neck"]
    if part.name.startswith("foot_"):
        return part.points[0], part.points[2]
    return part.points[0], part.points[-1]


def _draw_part(c: Canvas, part: Part, colours: Mapping[str, str], ghost: bool) -> None:
    fill = style.GHOST if ghost else colours[part.side]
    ring = 0.0 if ghost else 2.6
    w = part.width * style.SCALE
    if part.kind == "head":
        cx, cy = c.px(c.screen(part.points[0]))
        outline = "none" if ghost else style.OUTLINE
        c.out.append(
            f'<circle cx="{cx}" cy="{cy}" r="{num(w)}" fill="{fill}" stroke="{outline}" '
            'stroke-width="1.3"/>'
        )
        eye = c.screen(part.points[1])
        centre = c.screen(part.points[0])
        if not ghost and math.dist(eye, centre) > part.width * 0.5:
            ex, ey = c.px(
                (centre[0] + (eye[0] - centre[0]) * 0.6, centre[1] + (eye[1] - centre[1]) * 0.6)
            )
            c.out.append(f'<circle cx="{ex}" cy="{ey}" r="2.2" fill="{style.OUTLINE}"/>')
        return
    points = [c.screen(p) for p in part.points]
    d = c.path(points, closed=part.kind == "poly")
    body_fill = fill if part.kind == "poly" else "none"
    if ring:
        c.stroke(d, style.OUTLINE, w + ring, body_fill)
    c.stroke(d, fill, w, body_fill)


def _draw_highlight(c: Canvas, hl: Highlight, part: Part, body: Body) -> None:
    if hl.joint:
        return
    if part.kind == "head":
        cx, cy = c.px(c.screen(part.points[0]))
        c.out.append(
            f'<circle cx="{cx}" cy="{cy}" r="{num(part.width * style.SCALE * 0.7)}" '
            f'fill="{style.HIGHLIGHT}"/>'
        )
        return
    a3, b3 = _part_axis(part, body)
    a, b = c.screen(a3), c.screen(b3)
    lo, hi = hl.span
    p = (a[0] + (b[0] - a[0]) * lo, a[1] + (b[1] - a[1]) * lo)
    q = (a[0] + (b[0] - a[0]) * hi, a[1] + (b[1] - a[1]) * hi)
    width = part.width * (0.62 if hl.face == "whole" else 0.45)
    offset = (0.0, 0.0)
    if hl.face != "whole":
        sign = 1.0 if part.side == "left" else -1.0
        local = {
            "anterior": (0.0, 0.0, 1.0),
            "posterior": (0.0, 0.0, -1.0),
            "lateral": (sign, 0.0, 0.0),
            "medial": (-sign, 0.0, 0.0),
        }[hl.face]
        fx, fy, _ = project(c.camera, apply(part.frame, local))
        ax, ay = b[0] - a[0], b[1] - a[1]
        length = math.hypot(ax, ay) or 1.0
        ux, uy = ax / length, ay / length
        along = fx * ux + fy * uy
        px_, py_ = fx - along * ux, fy - along * uy
        size = math.hypot(px_, py_)
        if size > 0.3:
            shift = part.width * 0.27 / size
            offset = (px_ * shift, py_ * shift)
    pts = [(p[0] + offset[0], p[1] + offset[1]), (q[0] + offset[0], q[1] + offset[1])]
    c.stroke(c.path(pts), style.HIGHLIGHT, width * style.SCALE)


BEHIND = -0.2  # parts further from the camera than this are drawn before the props


def draw_bodies(
    c: Canvas,
    placed: Placed,
    highlights: tuple[Highlight, ...],
    ghost: bool,
    behind: bool | None = None,
) -> None:
    """Parts far to near; ``behind`` True/False draws only the parts behind/in front of props."""
    items: list[tuple[float, str, Part, Body, str]] = []
    for owner, body in placed.bodies():
        if ghost and owner == "therapist":
            continue
        for part in body.parts:
            depth = sum(project(c.camera, p)[2] for p in part.points) / len(part.points)
            if part.kind == "head":
                depth = project(c.camera, part.points[0])[2]
            if behind is None or (depth < BEHIND) == behind:
                items.append((round(depth, 6), f"{owner}.{part.name}", part, body, owner))
    items.sort(key=lambda item: (item[0], item[1]))
    for _, _key, part, _body, owner in items:
        colours = style.THERAPIST if owner == "therapist" else style.PATIENT
        _draw_part(c, part, colours, ghost)
    # the target goes on top, so a near arm or leg never hides it
    for _, _key, part, body, owner in items:
        for hl in highlights:
            if not ghost and owner == "patient" and hl.part == part.name:
                _draw_highlight(c, hl, part, body)


def draw_rings(c: Canvas, placed: Placed, highlights: tuple[Highlight, ...]) -> None:
    for hl in highlights:
        if hl.joint:
            x, y = c.px(placed.anchor(c.camera, hl.part))
            c.out.append(
                f'<circle cx="{x}" cy="{y}" r="{num(0.045 * style.SCALE)}" fill="none" '
                f'stroke="{style.HIGHLIGHT}" stroke-width="3.5"/>'
            )


ARROW_STEPS = 16


def arrow_points(arrow: Arrow, camera: Camera, start: Placed, end: Placed) -> list[Point]:
    """The arrow as a polyline from tail to head, in body heights."""
    if arrow.kind == "turn":
        cx, cy = end.anchor(camera, arrow.landmark)
        sweep = 200.0 if arrow.bend >= 0 else -200.0
        angles = [arrow.direction + sweep * i / ARROW_STEPS for i in range(ARROW_STEPS + 1)]
        return [
            (
                cx + arrow.length * math.cos(math.radians(a)),
                cy + arrow.length * math.sin(math.radians(a)),
            )
            for a in angles
        ]
    if arrow.kind == "force":
        at = end.anchor(camera, arrow.landmark)
        dx, dy = math.cos(math.radians(arrow.direction)), math.sin(math.radians(arrow.direction))
        if arrow.into:
            head = (at[0] - dx * 0.035, at[1] - dy * 0.035)
            tail = (head[0] - dx * arrow.length, head[1] - dy * arrow.length)
        else:
            tail = (at[0] + dx * 0.04, at[1] + dy * 0.04)
            head = (tail[0] + dx * arrow.length, tail[1] + dy * arrow.length)
    else:
        tail, head = start.anchor(camera, arrow.landmark), end.anchor(camera, arrow.landmark)
    mx, my = (tail[0] + head[0]) / 2, (tail[1] + head[1]) / 2
    ctrl = (mx - (head[1] - tail[1]) * arrow.bend, my + (head[0] - tail[0]) * arrow.bend)
    out: list[Point] = []
    for i in range(ARROW_STEPS + 1):
        t = i / ARROW_STEPS
        a, b, c = (1 - t) ** 2, 2 * (1 - t) * t, t**2
        out.append(
            (a * tail[0] + b * ctrl[0] + c * head[0], a * tail[1] + b * ctrl[1] + c * head[1])
        )
    return out


def _head(c: Canvas, tip: Point, back: Point) -> str:
    ang = math.atan2(tip[1] - back[1], tip[0] - back[0])
    size = 0.045
    left = (tip[0] - size * math.cos(ang - 0.45), tip[1] - size * math.sin(ang - 0.45))
    right = (tip[0] - size * math.cos(ang + 0.45), tip[1] - size * math.sin(ang + 0.45))
    return c.path([tip, left, right], closed=True)


def draw_arrow(c: Canvas, arrow: Arrow, start: Placed, end: Placed) -> None:
    points = arrow_points(arrow, c.camera, start, end)
    d = c.path(points)
    c.stroke(d, "#ffffff", 8.0)
    c.stroke(d, style.ARROW, 4.0)
    heads = [(points[-1], points[-3])] + ([(points[0], points[2])] if arrow.both_ways else [])
    for tip, back in heads:
        c.stroke(_head(c, tip, back), style.ARROW, 2.0, fill=style.ARROW)
