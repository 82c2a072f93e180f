"""An outcome measure as the progress page and the progress report draw it: its chart
(baseline at number 0), its rows, and its change from the baseline in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from service.domain.measures import Instrument
from service.domain.progress import Reading, Scale, Series
from service.projections.progress import MeasureSeries
from service.projections.progress_view import ROM
from service.reports.progress_chart import Figure, figure, number_label, reading_text, short_date

SHORT = {i.value: i.name for i in Instrument}
UNITS = {"nprs": "0–10", "psfs": "mean of 0–10", "ndi": "points of 50", "odi": "percent"}


@dataclass(frozen=True)
class MeasureChart:
    """One outcome measure on the page: its chart, its points, and its change in words."""

    series: MeasureSeries
    figure: Figure
    rows: tuple[tuple[str, str, str, str], ...]  # when, date, score, change from the baseline
    change: str
    short: str
    unit: str


def measure_chart(series: MeasureSeries) -> MeasureChart:
    """A measure's chart (baseline at number 0), table rows and change in words."""
    unit = UNITS.get(series.key, "degrees")
    top = int(series.scale_max)
    if series.key == ROM:  # degrees: the round hundred above the widest reading, not 360
        widest = max((p.score for p in series.points), default=0)
        top = min(top, (int(widest + 10) // 100 + 1) * 100)
    scale = Scale(series.label, unit, 0, top)
    line = Series(series.label, scale, tuple(Reading(p.number, p.score) for p in series.points))
    days = [(p.number, date.fromisoformat(p.day)) for p in series.points]
    chart = figure(scale, [line], days, over="at the baseline and each evaluation")
    first = series.points[0] if series.points and series.points[0].number == 0 else None
    rows = tuple(
        (
            number_label(p.number),
            f"{short_date(date.fromisoformat(p.day))} {p.day[:4]}",
            reading_text(p.score) + (f" ({p.band})" if p.band else ""),
            "—" if first is None or p is first else _signed(p.score - first.score),
        )
        for p in series.points
    )
    short = SHORT.get(series.key, f"Range of motion, {series.label}")
    return MeasureChart(series, chart, rows, change_words(series), short, unit)


def _signed(points: float) -> str:
    points = round(points, 1)
    return f"+{points:g}" if points > 0 else f"−{-points:g}" if points < 0 else "0"


def change_words(series: MeasureSeries) -> str:
    """The change from the baseline, and whether it is clinically meaningful, in words."""
    if series.change is None:
        if not series.points or series.points[0].number != 0:
            return "No baseline was recorded, so there is no change to show."
        return "Only the baseline so far: the change shows after the first evaluation."
    if series.key == ROM:
        said = f"{_signed(series.change)} degrees from the baseline"
        return f"{said} (no published threshold of a meaningful change)."
    said = f"{_signed(series.change)} points from the baseline"
    direction = "better" if series.improved else "worse" if series.change else "no change"
    threshold = f"the threshold is {series.threshold:g} points"
    if series.meaningful:
        return f"{said}, {direction}: clinically meaningful ({threshold})."
    return f"{said}: not yet clinically meaningful ({threshold})."
