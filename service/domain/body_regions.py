"""The body regions a massage therapist charts, front and back, with left and right.

An area is stored in events as human text ("lower back", "right hip", "left shoulder").
The domain lets a therapist name any area in free text; the body chart marks only the
areas it knows, listed here. Left and right are always the client's own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

SIDES = ("right", "left")  # the client's right first: it is on the viewer's left, facing them


class View(Enum):
    """Which drawing of the body a region appears on."""

    FRONT = "front"
    BACK = "back"


FRONT_AND_BACK = (View.FRONT, View.BACK)


@dataclass(frozen=True)
class BodyRegion:
    """One region of the chart: its name, whether it has a left and a right, where drawn."""

    name: str
    sided: bool
    views: tuple[View, ...]

    def labels(self) -> tuple[str, ...]:
        """The areas this region gives: "neck", or "right shoulder" and "left shoulder"."""
        if not self.sided:
            return (self.name,)
        return tuple(f"{side} {self.name}" for side in SIDES)


# Head to toe; the order of the chart's checkbox list.
BODY_REGIONS: tuple[BodyRegion, ...] = (
    BodyRegion("head", sided=False, views=FRONT_AND_BACK),
    BodyRegion("jaw", sided=True, views=(View.FRONT,)),
    BodyRegion("neck", sided=False, views=FRONT_AND_BACK),
    BodyRegion("shoulder", sided=True, views=FRONT_AND_BACK),
    BodyRegion("chest", sided=False, views=(View.FRONT,)),
    BodyRegion("abdomen", sided=False, views=(View.FRONT,)),
    BodyRegion("upper back", sided=False, views=(View.BACK,)),
    BodyRegion("mid back", sided=False, views=(View.BACK,)),
    BodyRegion("lower back", sided=False, views=(View.BACK,)),
    BodyRegion("upper arm", sided=True, views=FRONT_AND_BACK),
    BodyRegion("forearm", sided=True, views=FRONT_AND_BACK),
    BodyRegion("hand", sided=True, views=FRONT_AND_BACK),
    BodyRegion("hip", sided=True, views=(View.FRONT,)),
    BodyRegion("glute", sided=True, views=(View.BACK,)),
    BodyRegion("quadriceps", sided=True, views=(View.FRONT,)),
    BodyRegion("hamstring", sided=True, views=(View.BACK,)),
    BodyRegion("knee", sided=True, views=(View.FRONT,)),
    BodyRegion("shin", sided=True, views=(View.FRONT,)),
    BodyRegion("calf", sided=True, views=(View.BACK,)),
    BodyRegion("foot", sided=True, views=FRONT_AND_BACK),
)

CHART_AREAS: tuple[str, ...] = tuple(label for region in BODY_REGIONS for label in region.labels())
_KNOWN = frozenset(CHART_AREAS)


def area_label(text: str) -> str:
    """An area as the chart writes it: lower case, single spaces ("Right  Hip" -> "right hip")."""
    return " ".join(text.split()).lower()


def is_chart_area(text: str) -> bool:
    """Whether the body chart knows this area (after normalising its spelling)."""
    return area_label(text) in _KNOWN


@dataclass(frozen=True)
class ChartChoice:
    """Areas sorted for the chart: those it marks, in chart order, and the others as given."""

    known: tuple[str, ...]
    other: tuple[str, ...]

    @property
    def areas(self) -> tuple[str, ...]:
        """Every area chosen, the chart's first; what a plan's focus areas become."""
        return self.known + self.other


def chart_choice(texts: Iterable[str]) -> ChartChoice:
    """Sort chosen areas into those the chart knows and free-text others.

    Known areas are normalised and put in head-to-toe order; others keep their text
    (trimmed) and their order. Blanks and repeats are dropped.
    """
    chosen: set[str] = set()
    other: list[str] = []
    seen_other: set[str] = set()
    for text in texts:
        label = area_label(text)
        if not label:
            continue
        if label in _KNOWN:
            chosen.add(label)
        elif label not in seen_other:
            seen_other.add(label)
            other.append(" ".join(text.split()))
    return ChartChoice(
        known=tuple(area for area in CHART_AREAS if area in chosen), other=tuple(other)
    )


def unknown_areas(texts: Iterable[str]) -> tuple[str, ...]:
    """The areas the chart does not know (free text, allowed by the domain, not drawn)."""
    return chart_choice(texts).other


def regions_on(view: View) -> tuple[BodyRegion, ...]:
    """The regions drawn on one view of the body."""
    return tuple(region for region in BODY_REGIONS if view in region.views)
