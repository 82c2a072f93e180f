"""A plan's progress graph for its therapist: pain before and after each performed session
and the planned interval against the actual one, then each outcome measure the plan
tracks against its baseline and the plan's adherence to its pace, as inline SVG with the
same numbers in a table beside each chart. The measures and adherence come from the
progress read model (service/projections/progress.py), the view the API and the progress
report read too. Each opening is recorded in the plan's access log, as the API's reads are.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from service.domain.access import ChartUse
from service.domain.client import Client
from service.domain.measures import Instrument
from service.domain.progress import PlanProgress, Reading, Scale, Series, intervals_when_placed
from service.domain.progress import plan_progress as progress_of
from service.http.context import clinic_zone, now, page, reads, regimen, today
from service.projections.progress import PAIN, MeasureSeries
from service.projections.progress import plan_progress as progress_view
from service.projections.progress_view import ROM
from service.web.blueprint import web
from service.web.clinical_access import chart_refusal, therapist_page
from service.web.progress_chart import (
    Figure,
    figure,
    number_label,
    reading_text,
    short_date,
)
from service.web.security import current_account

LOG = logging.getLogger("regimen.web")


def charts(progress: PlanProgress) -> list[Figure]:
    """One figure per scale in use (pain, the days between sessions, later outcome measures)."""
    sessions = [(s.number, s.day) for s in progress.sessions]
    return [
        figure(scale, progress.on(scale), sessions, progress.interval_changes)
        for scale in progress.scales
    ]


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


def progress_values(plan_id: UUID) -> dict[str, Any]:
    """The plan's progress, its charts and the names the page shows."""
    app = regimen()
    plan = app.plan(plan_id)
    progress = progress_of(plan, intervals_when_placed(app.events.get(plan_id)))
    view = progress_view(reads(), str(plan_id), today=today(clinic_zone()))
    measures = [] if view is None else [s for s in view.measures if s.key != PAIN and s.points]
    return {
        "plan": plan,
        "plan_id": str(plan_id),
        "client_id": str(plan.client_id),
        "client_name": app.load(Client, plan.client_id).name,
        "progress": progress,
        "charts": charts(progress),
        "short_date": short_date,
        "measure_charts": [measure_chart(s) for s in measures],
        "adherence": None if view is None else view.adherence,
    }


@web.get("/plans/<uuid:plan_id>/progress")
@therapist_page
def plan_progress(plan_id: UUID) -> tuple[str, int]:
    """The plan's progress graph and its data table (recorded in the access log)."""
    refusal = chart_refusal(plan_id, ChartUse.READ)
    if refusal is not None:
        return refusal
    values = progress_values(plan_id)
    try:
        regimen().record_views(
            [plan_id],
            actor=current_account().actor,
            record="progress",
            detail="",
            via="web",
            reason="",
            now=now(),
        )
    except Exception:  # a read not in the log is a read not shown
        LOG.exception("could not record a read of plan %s", plan_id)
        return page(
            "message.html",
            503,
            title="The progress cannot be shown just now",
            message="Every opening of a client's record is written in the access log, and "
            "that could not be done. Nothing was shown; please try again.",
        )
    return page("progress.html", 200, **values)
