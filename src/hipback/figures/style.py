"""Colours, sizes and the optional animation CSS shared by the renderer and the web app."""

from __future__ import annotations

from collections.abc import Mapping

SCALE = 240.0  # pixels per body height
PAD = 12.0
LABEL = 24.0
GAP = 28.0
OUTLINE = "#1f2d3d"
HIGHLIGHT = "#d9480f"
ARROW = "#0b3d91"
GHOST = "#d3d9e0"
LINES: Mapping[str, tuple[str, float]] = {
    "band": ("#2f9e44", 0.012),
    "strap": ("#8d5524", 0.012),
    "belt": ("#364fc7", 0.02),
}
#: patient: the left side darker than the right, so sides read at a glance
PATIENT: Mapping[str, str] = {"left": "#4a6fa5", "centre": "#7d9cc8", "right": "#b3c8e6"}
THERAPIST: Mapping[str, str] = {"left": "#5c7a5c", "centre": "#87a487", "right": "#b5ccb5"}
PROPS: Mapping[str, tuple[str, str]] = {
    "prop-wood": ("#c9a97c", "#7a5c35"),
    "prop-soft": ("#cfe3ea", "#6b8f9c"),
    "prop-wall": ("#e9e4da", "#9b9385"),
    "prop-metal": ("none", "#6c757d"),
}
FLOOR = "#8a8f94"

#: Gentle cross-fade between the dashed start pose and the end pose in the end panel. Only
#: runs when the user has not asked for reduced motion. Copied verbatim into hipback.css (a
#: test keeps the two identical) and into an SVG rendered with ``animate=True``.
ANIMATION_CSS = """\
@media (prefers-reduced-motion: no-preference) {
  .hb-figure.hb-animate .hb-pose-end { animation: hb-pose-end 3.2s ease-in-out infinite alternate; }
  .hb-figure.hb-animate .hb-ghost { animation: hb-ghost 3.2s ease-in-out infinite alternate; }
  .hb-figure.hb-animate .hb-arrow { animation: hb-pose-end 3.2s ease-in-out infinite alternate; }
}
@keyframes hb-pose-end { 0%, 15% { opacity: 0.12; } 85%, 100% { opacity: 1; } }
@keyframes hb-ghost { 0%, 15% { opacity: 1; } 85%, 100% { opacity: 0.35; } }
"""
