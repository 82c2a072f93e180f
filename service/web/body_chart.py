"""The body chart's drawing: one outline per region, front and back, for `_body_chart.html`.

Each figure is drawn in a 200 x 440 box facing the viewer (front) or away (back), its
middle at x = 100. A sided region is outlined once, on the viewer's left, and mirrored
for the other side. Facing the viewer, the client's right is on the viewer's left; seen
from behind, the client's left is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from service.domain.body_regions import (
    BODY_REGIONS,
    CHART_AREAS,
    SIDES,
    ChartChoice,
    View,
    chart_choice,
)
from service.web.blueprint import web

MIRROR = "matrix(-1 0 0 1 200 0)"  # reflect across the figure's middle (x = 100)


def _ellipse(cx: float, cy: float, rx: float, ry: float) -> str:
    return f"M{cx - rx} {cy} A{rx} {ry} 0 1 0 {cx + rx} {cy} A{rx} {ry} 0 1 0 {cx - rx} {cy} Z"


_TORSO_TOP = "M89 71 L111 71 L121 84 C124 96 125 112 125 {y} L75 {y} C75 112 76 96 79 84 Z"
_SHARED = {
    "neck": "M91 50 L109 50 L111 71 L89 71 Z",
    "head": _ellipse(100, 30, 19, 24),
    "shoulder": "M89 71 L76 73 C63 75 55 83 53 99 L71 101 C72 91 75 86 79 84 Z",
    "upper arm": "M53 99 L71 101 C70 120 68 140 66 158 L49 156 C49 136 50 116 53 99 Z",
    "forearm": "M49 156 L66 158 C64 180 61 205 58 226 L44 224 C44 202 46 178 49 156 Z",
    "hand": "M44 224 L58 226 C61 236 60 250 55 258 C50 262 42 258 40 250 C39 240 41 231 44 224 Z",
}
# Outlines in drawing order (later ones paint over earlier ones where they touch).
OUTLINES: dict[View, dict[str, str]] = {
    View.FRONT: {
        **_SHARED,
        "jaw": "M82 38 C84 48 91 54 99 54 L99 48 C93 47 89 44 88 37 Z",
        "chest": _TORSO_TOP.format(y=128),
        "abdomen": "M75 128 L125 128 C124 145 122 160 123 178 L77 178 C78 160 76 145 75 128 Z",
        "hip": "M77 178 L100 178 L100 206 L72 210 C72 198 74 188 77 178 Z",
        "quadriceps": "M72 210 L100 206 L99 222 C98 250 97 285 96 312 L76 312 "
        "C72 280 69 245 72 210 Z",
        "knee": _ellipse(86, 324, 11, 12),
        "shin": "M76 334 L96 334 C96 360 94 385 93 408 L80 408 C79 385 76 360 76 334 Z",
        "foot": "M80 408 L93 408 C95 416 97 424 96 430 C92 434 78 434 74 430 "
        "C75 422 78 415 80 408 Z",
    },
    View.BACK: {
        **_SHARED,
        "upper back": _TORSO_TOP.format(y=120),
        "mid back": "M75 120 L125 120 C124 135 123 148 123 156 L77 156 C77 148 76 135 75 120 Z",
        "lower back": "M77 156 L123 156 C122 165 122 172 123 186 L77 186 C78 172 78 165 77 156 Z",
        "glute": "M77 186 L100 186 L100 222 C92 226 80 226 72 218 C72 205 74 195 77 186 Z",
        "hamstring": "M72 218 C80 226 92 226 100 222 L99 226 C98 255 97 290 96 322 L76 322 "
        "C72 290 69 250 72 218 Z",
        "calf": "M76 322 L96 322 C98 340 97 370 93 408 L80 408 C76 375 72 345 76 322 Z",
        "foot": "M80 408 L93 408 C95 416 95 424 93 430 C89 434 82 434 79 430 "
        "C78 423 78 415 80 408 Z",
    },
}

_SIDED = {region.name: region.sided for region in BODY_REGIONS}


@dataclass(frozen=True)
class DrawnArea:
    """One shape of the drawing: the area it stands for, its outline, mirrored or not."""

    area: str
    d: str
    transform: str = ""


def drawing(view: View) -> tuple[DrawnArea, ...]:
    """The shapes of one view, each named by the area a click on it toggles."""
    viewer_left, viewer_right = SIDES if view is View.FRONT else tuple(reversed(SIDES))
    shapes: list[DrawnArea] = []
    for region, d in OUTLINES[view].items():
        if _SIDED[region]:
            shapes.append(DrawnArea(f"{viewer_left} {region}", d))
            shapes.append(DrawnArea(f"{viewer_right} {region}", d, MIRROR))
        else:
            shapes.append(DrawnArea(region, d))
    return tuple(shapes)


@web.app_template_global("body_chart_model")
def body_chart_model(chosen: Iterable[str] | None) -> dict[str, object]:
    """What `_body_chart.html` draws: the chosen areas, every area, both views' shapes."""
    choice: ChartChoice = chart_choice(chosen or ())
    return {
        "choice": choice,
        "marked": frozenset(choice.known),
        "areas": CHART_AREAS,
        "front": drawing(View.FRONT),
        "back": drawing(View.BACK),
    }
