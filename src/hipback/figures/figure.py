"""Compose a figure: the start and end panels, alt text, and the SVG document."""

from __future__ import annotations

from xml.sax.saxutils import escape

from hipback.figures import props as prop_shapes
from hipback.figures import style
from hipback.figures.poses import pose_for
from hipback.figures.render import (
    Bounds,
    Canvas,
    arrow_points,
    draw_arrow,
    draw_bodies,
    draw_rings,
    num,
)
from hipback.figures.scene import Placed, place_scene, project
from hipback.figures.schema import PoseFile
from hipback.protocol.catalog import Intervention, load_catalog

FLOOR_MARGIN = 0.08


def alt_text(item: Intervention) -> str:
    """Alt text from the patient instructions (the page may show only the name and dose)."""
    steps = " ".join(item.instructions)
    return f"Drawing of {item.patient_name}: start position, then end position. {steps}"


def figure_alt(catalog_id: str) -> str:
    """Alt text for the figure of a catalog id (``NotFound`` for an unknown id)."""
    return alt_text(load_catalog().get(catalog_id))


def describe(item: Intervention, pose: PoseFile) -> str:
    side = " Drawn for the right side; the left is its mirror image." if item.side_specific else ""
    return (
        f"{alt_text(item)} Drawn: {pose.view}.{side} Left panel: start. Right panel: end, with "
        "the start shown in grey and an arrow for the movement; the target is orange."
    )


def _bounds(pose: PoseFile, start: Placed, end: Placed) -> Bounds:
    xs: list[float] = []
    ys: list[float] = []
    for placed in (start, end):
        for _, body in placed.bodies():
            for part in body.parts:
                reach = part.width if part.kind == "head" else part.width / 2 + 0.006
                for p in part.points:
                    sx, sy, _ = project(pose.camera, p)
                    xs += [sx - reach, sx + reach]
                    ys += [sy - reach, sy + reach]
        for line in pose.lines:
            for a in (line.start, line.end):
                x, y = placed.anchor(pose.camera, a)
                xs.append(x)
                ys.append(y)
    for arrow in pose.arrows:
        for x, y in arrow_points(arrow, pose.camera, start, end):
            xs += [x - 0.05, x + 0.05]
            ys += [y - 0.05, y + 0.05]
    for prop in pose.props:
        for shape in prop_shapes.shapes(prop, pose.camera):
            x0, y0, x1, y1 = prop_shapes.box(shape)
            xs += [x0 - 0.01, x1 + 0.01]
            ys += [y0 - 0.01, y1 + 0.01]
    if pose.camera != "top":
        ys.append(-0.02)
        xs = [min(xs) - FLOOR_MARGIN, max(xs) + FLOOR_MARGIN]
    return [min(xs), min(ys), max(xs), max(ys)]


def _panel(c: Canvas, pose: PoseFile, start: Placed, end: Placed, is_end: bool, label: str) -> None:
    x0, _ = c.px((c.bounds[0], c.bounds[3]))
    c.out.append(
        f'<text x="{num(float(x0))}" y="{num(style.LABEL - 6)}" font-family="sans-serif" '
        f'font-size="16" font-weight="bold" fill="#222">{label}</text>'
    )
    if pose.camera != "top":
        a, b = c.px((c.bounds[0], 0.0)), c.px((c.bounds[2], 0.0))
        c.out.append(
            f'<line x1="{a[0]}" y1="{a[1]}" x2="{b[0]}" y2="{b[1]}" stroke="{style.FLOOR}" '
            'stroke-width="2"/>'
        )
    shown = end if is_end else start
    pose_class = "hb-pose-end" if is_end else "hb-pose-start"
    c.out.append(f'<g class="hb-pose hb-behind {pose_class}">')
    draw_bodies(c, shown, pose.highlight, ghost=False, behind=True)
    c.out.append("</g>")
    for prop in pose.props:
        for tag, attrs in prop_shapes.shapes(prop, pose.camera):
            fill, edge = style.PROPS[str(attrs["class"])]
            if tag == "circle":
                cx, cy = c.px((float(attrs["cx"]), float(attrs["cy"])))
                r = num(float(attrs["r"]) * style.SCALE)
                c.out.append(
                    f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{fill}" stroke="{edge}" '
                    'stroke-width="3"/>'
                )
                continue
            if tag == "poly":
                corners = [(float(attrs[f"x{n}"]), float(attrs[f"y{n}"])) for n in range(4)]
                c.stroke(c.path(corners, True), edge, 1.5, fill)
                continue
            pts = [
                (float(attrs["x0"]), float(attrs["y0"])),
                (float(attrs["x1"]), float(attrs["y1"])),
            ]
            if tag == "line":
                c.stroke(c.path(pts), edge, 4.0)
            else:
                (ax, ay), (bx, by) = pts
                c.stroke(c.path([(ax, ay), (bx, ay), (bx, by), (ax, by)], True), edge, 1.5, fill)
    if is_end:
        c.out.append('<g class="hb-ghost">')
        draw_bodies(c, start, (), ghost=True)
        c.out.append("</g>")
    c.out.append(f'<g class="hb-pose {pose_class}">')
    draw_bodies(c, shown, pose.highlight, ghost=False, behind=False)
    for band in pose.lines:
        colour, width = style.LINES[band.kind]
        pts = [shown.anchor(pose.camera, band.start), shown.anchor(pose.camera, band.end)]
        c.stroke(c.path(pts), colour, width * style.SCALE)
    draw_rings(c, shown, pose.highlight)
    c.out.append("</g>")
    if is_end:
        c.out.append('<g class="hb-arrow">')
        for arrow in pose.arrows:
            draw_arrow(c, arrow, start, end)
        c.out.append("</g>")


def render_pose(pose: PoseFile, item: Intervention, animate: bool = False) -> str:
    start, end = place_scene(pose.start), place_scene(pose.end_scene)
    bounds = _bounds(pose, start, end)
    panel_w = (bounds[2] - bounds[0]) * style.SCALE + 2 * style.PAD
    height = (bounds[3] - bounds[1]) * style.SCALE + 2 * style.PAD + style.LABEL
    width = 2 * panel_w + style.GAP
    left = Canvas(pose.camera, bounds, 0.0)
    right = Canvas(pose.camera, bounds, panel_w + style.GAP)
    _panel(left, pose, start, end, False, "1 Start")
    _panel(right, pose, start, end, True, "2 End")
    classes = "hb-figure hb-animate" if animate else "hb-figure"
    anim = f"<style>{style.ANIMATION_CSS}</style>" if animate else ""
    w, h = num(width), num(height)
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="{classes}" role="img" '
            f'viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
            f'aria-labelledby="hb-{pose.id}-title hb-{pose.id}-desc">',
            f'<title id="hb-{pose.id}-title">{escape(item.patient_name)}</title>',
            f'<desc id="hb-{pose.id}-desc">{escape(describe(item, pose))}</desc>',
            *([anim] if anim else []),
            f'<rect x="0" y="0" width="{w}" height="{h}" fill="#ffffff"/>',
            f'<line x1="{num(panel_w + style.GAP / 2)}" y1="{num(style.LABEL)}" '
            f'x2="{num(panel_w + style.GAP / 2)}" y2="{num(height - style.PAD)}" stroke="#ced4da" '
            'stroke-width="1.5"/>',
            *left.out,
            *right.out,
            "</svg>",
            "",
        ]
    )


def render_figure(catalog_id: str, animate: bool = False) -> str:
    """The SVG for one catalog entry (``NotFound`` for an id without a figure)."""
    pose = pose_for(catalog_id)
    return render_pose(pose, load_catalog().get(catalog_id), animate=animate)


__all__ = ["alt_text", "describe", "figure_alt", "render_figure", "render_pose"]
