"""A plan's progress as chart geometry: series on a scale -> the lines, ticks and marks of
one SVG figure, which `_progress_chart.html` draws. Pure: data in, coordinates out.

Why not a charting library: pygal 3.1.3 (the server-side SVG library that fits) was
measured on a 12-session plan's pain chart (two lines): 6 to 13 ms a render on the
shared development machine and 24.5 KB of SVG, with a `<style>` element and an inline
`<script>` (its config) even with `js=[]`, and fresh random ids in every render. The
pages' CSP (`style-src 'self'`, `script-src 'self'`) refuses both inline, so it could
only be shown as a separate image response with its own looser policy, out of reach
of the page's print stylesheet, and it brings two more packages. This module and its
template draw the same chart in 0.3 to 1 ms and 9.4 KB (uncompressed, indented),
coloured by classes in app.css (so it prints black on white) with presentation
attributes only, inline in the page with `role="img"`, a title and a description.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from service.domain.progress import IntervalChange, Scale, Series

WIDTH, HEIGHT = 400, 270  # with one row of keys; each further row adds its height
TOP = 40  # the plot's top under one row of keys
LEFT, RIGHT, BOTTOM = 40, 14, 46  # room for the y labels and the two-line x labels
KEY_WIDTH, KEY_HEIGHT = 175, 22  # the legend: two keys a row above the plot
NICE_STEPS = (1, 2, 5, 7, 10, 14, 20, 28, 50, 100, 200, 500)
MAX_Y_TICKS = 6
LABEL_ROOM = 46  # viewBox units a date label ("28 Oct") needs; closer sessions skip labels


@dataclass(frozen=True)
class Point:
    """One reading drawn: where, and what it says on hover."""

    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Line:
    """One series drawn: its own look (style number), broken where a reading is missing."""

    name: str
    style: int
    segments: tuple[tuple[Point, ...], ...]

    @property
    def points(self) -> tuple[Point, ...]:
        """Every point of the line, in order."""
        return tuple(p for segment in self.segments for p in segment)

    @staticmethod
    def path(segment: Sequence[Point]) -> str:
        """A segment as the `points` of an SVG polyline."""
        return " ".join(f"{p.x:g},{p.y:g}" for p in segment)


@dataclass(frozen=True)
class Tick:
    """A labelled position on an axis (x ticks have a second line: the date)."""

    at: float
    label: str
    second: str = ""


@dataclass(frozen=True)
class Rule:
    """A vertical mark across the plot: where the planned interval changed."""

    x: float
    label: str
    anchor: str  # "start" or "end", so the label stays inside the figure


@dataclass(frozen=True)
class Key:
    """One entry of the legend: a line's look and name, where it is drawn."""

    x: float
    y: float
    name: str
    style: int


@dataclass(frozen=True)
class Figure:
    """Everything one SVG chart draws, in viewBox coordinates."""

    title: str
    description: str
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    lines: tuple[Line, ...]
    rules: tuple[Rule, ...]
    legend: tuple[Key, ...]


def short_date(day: date) -> str:
    """9 Mar."""
    return f"{day.day} {day:%b}"


BASELINE = 0  # an outcome measure's reading number 0: the baseline, at the assessment


def number_label(number: int) -> str:
    """The x label of a reading: S3, or Baseline."""
    return "Baseline" if number == BASELINE else f"S{number}"


def when_said(number: int) -> str:
    """A reading's place in words: session 3, or the baseline."""
    return "the baseline" if number == BASELINE else f"session {number}"


def reading_text(value: float) -> str:
    """A value as the page prints it: 24, 17.8."""
    return f"{value:g}"


def y_step(scale: Scale) -> int:
    """The smallest round step giving at most MAX_Y_TICKS intervals on the scale."""
    span = max(scale.high - scale.low, 1)
    return next((s for s in NICE_STEPS if span / s <= MAX_Y_TICKS), math.ceil(span / MAX_Y_TICKS))


def figure(
    scale: Scale,
    series: Sequence[Series],
    sessions: Sequence[tuple[int, date]],
    changes: Sequence[IntervalChange] = (),
    *,
    over: str = "at each performed session",
) -> Figure:
    """One chart of the series on a scale over the performed sessions (number, local date;
    number 0 is an outcome measure's baseline)."""
    legend = tuple(
        Key(LEFT + KEY_WIDTH * (i % 2), 18 + KEY_HEIGHT * (i // 2), one.name, i)
        for i, one in enumerate(series)
    )
    top = 18 + KEY_HEIGHT * ((len(series) + 1) // 2)
    height = HEIGHT + top - TOP
    step = y_step(scale)
    top_value = scale.low + math.ceil((scale.high - scale.low) / step) * step
    plot_right, plot_bottom = WIDTH - RIGHT, height - BOTTOM
    slot = (plot_right - LEFT) / max(len(sessions), 1)
    x_of = {number: round(LEFT + slot * (i + 0.5), 1) for i, (number, _) in enumerate(sessions)}
    day_of = dict(sessions)

    def y_of(value: float) -> float:
        share = (value - scale.low) / max(top_value - scale.low, 1)
        return round(plot_bottom - share * (plot_bottom - top), 1)

    lines = tuple(_line(one, style, x_of, day_of, y_of) for style, one in enumerate(series))
    rules = tuple(_rule(c, x_of, (LEFT + plot_right) / 2) for c in changes if c.number in x_of)
    return Figure(
        title=scale.name,
        description=describe(scale, series, changes, over=over),
        width=WIDTH,
        height=height,
        plot_left=LEFT,
        plot_right=plot_right,
        plot_top=top,
        plot_bottom=plot_bottom,
        x_ticks=x_ticks(sessions, x_of, every=math.ceil(LABEL_ROOM / slot)),
        y_ticks=tuple(Tick(y_of(v), str(v)) for v in range(scale.low, top_value + 1, step)),
        lines=lines,
        rules=rules,
        legend=legend,
    )


def _line(
    one: Series,
    style: int,
    x_of: dict[int, float],
    day_of: dict[int, date],
    y_of: Callable[[float], float],
) -> Line:
    """A series drawn as a line, broken where a reading is missing."""
    segments: list[tuple[Point, ...]] = []
    current: list[Point] = []
    for reading in one.readings:
        if reading.value is None or reading.number not in x_of:
            if current:
                segments.append(tuple(current))
            current = []
            continue
        when = f"{when_said(reading.number)}, {short_date(day_of[reading.number])}"
        label = f"{one.name}, {when}: {reading_text(reading.value)}"
        current.append(Point(x_of[reading.number], y_of(reading.value), label))
    if current:
        segments.append(tuple(current))
    return Line(one.name, style, tuple(segments))


def _rule(change: IntervalChange, x_of: dict[int, float], middle: float) -> Rule:
    """The mark halfway into the first gap planned at the new interval."""
    xs = list(x_of.values())
    at = xs.index(x_of[change.number])
    x = round((xs[at - 1] + xs[at]) / 2, 1) if at else xs[at]
    return Rule(x, f"every {change.after} days", "start" if x < middle else "end")


def x_ticks(
    sessions: Sequence[tuple[int, date]], x_of: dict[int, float], every: int
) -> tuple[Tick, ...]:
    """A tick at every session; labels on every n-th (and the last) when they would touch."""
    last = len(sessions) - 1
    return tuple(
        Tick(x_of[n], number_label(n), short_date(d))
        if i == last or (i % every == 0 and last - i >= every)
        else Tick(x_of[n], "")
        for i, (n, d) in enumerate(sessions)
    )


def describe(
    scale: Scale,
    series: Sequence[Series],
    changes: Sequence[IntervalChange],
    *,
    over: str = "at each performed session",
) -> str:
    """The chart in words, for a screen reader (the table beside it has every number)."""
    parts = []
    for one in series:
        known = [r for r in one.readings if r.value is not None]
        if not known:
            parts.append(f"{one.name}: not recorded yet.")
        elif len(known) == 1:
            only = known[0]
            parts.append(f"{one.name}: {_said(only.value)} at {when_said(only.number)}.")
        else:
            first, last = known[0], known[-1]
            parts.append(
                f"{one.name}: from {_said(first.value)} at {when_said(first.number)} "
                f"to {_said(last.value)} at {when_said(last.number)}."
            )
    parts.extend(
        f"From session {c.number} on, sessions were planned {c.after} days apart "
        f"instead of {c.before}."
        for c in changes
    )
    return f"{scale.name} ({scale.unit}) {over}. " + " ".join(parts)


def _said(value: float | None) -> str:
    return "" if value is None else reading_text(value)
