"""Illustrated exercises: a figure for every catalog entry, drawn from pose data as SVG.

Pure domain package (no database or web imports): ``render_figure(catalog_id)`` returns the SVG,
``alt_text(item)`` the alt text, ``load_poses()`` the checked pose files.
"""

from hipback.figures.figure import alt_text, figure_alt, render_figure, render_pose
from hipback.figures.poses import load_poses, missing_poses, pose_for

__all__ = [
    "alt_text",
    "figure_alt",
    "load_poses",
    "missing_poses",
    "pose_for",
    "render_figure",
    "render_pose",
]
