"""A plan's progress, read from the views (never a replay): each outcome measure's series
and its change from the baseline, adherence to the planned pace, the latest recommendation.

The API's progress resource, the therapist's progress page and the progress report all
read this one answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from service.domain.adherence import Adherence, SessionTally, adherence
from service.domain.measures import (
    HIGHER_IS_BETTER,
    MEANINGFUL,
    TITLES,
    Instrument,
    MeasureAnswers,
    change,
)
from service.projections.progress_view import BASELINE, ROM
from service.projections.queries import ReadModel

PAIN = "pain"  # the pain before and after each session, charted as measures are


@dataclass(frozen=True)
class Point:
    """One score of a measure: at the baseline (number 0) or at session `number`."""

    number: int
    day: str  # the local date it was taken, YYYY-MM-DD
    score: float
    band: str = ""


@dataclass(frozen=True)
class MeasureSeries:
    """One measure over the plan: its points, its change from the baseline, and whether the
    change is clinically meaningful (None where no threshold is published, e.g. degrees)."""

    key: str  # "ndi", "psfs", ... "rom", "pain"
    label: str  # what the chart and table call it
    scale_max: float
    higher_is_better: bool
    points: tuple[Point, ...]
    change: float | None
    meaningful: bool | None
    threshold: float | None

    @property
    def improved(self) -> bool | None:
        """Whether the change goes the good way; None without a change."""
        if self.change is None or self.change == 0:
            return None if self.change is None else False
        return (self.change > 0) == self.higher_is_better


@dataclass(frozen=True)
class PlanProgress:
    """Everything the progress resource, page and report show of one plan."""

    plan: dict[str, Any]
    measures: tuple[MeasureSeries, ...]
    adherence: Adherence
    latest_recommendation: str | None


def plan_progress(model: ReadModel, plan_id: str, *, today: date) -> PlanProgress | None:
    """The plan's progress as of `today` (a local date), or None for no such plan."""
    plan = model.plan_summary(plan_id)
    if plan is None:
        return None
    sessions = model.recorder.query(
        "SELECT s.number, s.status, s.late_cancel, s.local_start, s.minutes, s.pain_before,"
        " s.pain_after, s.recommendation, d.minutes AS delivered FROM rv_sessions s"
        " LEFT JOIN rv_delivered d ON d.plan_id = s.plan_id AND d.number = s.number"
        " WHERE s.plan_id = %s ORDER BY s.start_utc, s.number",
        [plan_id],
    )
    rows = model.recorder.query(
        "SELECT number, measure, label, score, scale_max, band, answers, at FROM rv_measures"
        " WHERE plan_id = %s ORDER BY measure, label, number",
        [plan_id],
    )
    reschedules = model.recorder.query(
        "SELECT COUNT(*) AS n FROM rv_audit WHERE originator_id = %s"
        " AND event_type = 'SessionRescheduled'",
        [plan_id],
    )[0]["n"]
    days = {int(s["number"]): str(s["local_start"])[:10] for s in sessions}
    performed = [s for s in sessions if s["status"] == "performed"]
    evaluated = [s for s in performed if s["recommendation"] is not None]
    latest = evaluated[-1]["recommendation"] if evaluated else None
    return PlanProgress(
        plan=plan,
        measures=(_pain(performed), *_measures(rows, days)),
        adherence=adherence(
            int(plan["interval_days"]),
            [date.fromisoformat(str(s["local_start"])[:10]) for s in performed],
            _tally(sessions, int(reschedules)),
            today=today,
            open_plan=plan["status"] in ("proposed", "agreed"),
        ),
        latest_recommendation=latest,
    )


def _tally(sessions: list[dict[str, Any]], reschedules: int) -> SessionTally:
    status = [s["status"] for s in sessions]
    late = sum(1 for s in sessions if s["status"] == "cancelled" and s["late_cancel"])
    return SessionTally(
        kept=status.count("performed"),
        missed=status.count("missed"),
        late_cancelled=late,
        cancelled=status.count("cancelled") - late,
        rescheduled=reschedules,
        minutes_planned=sum(int(s["minutes"]) for s in sessions if s["status"] != "cancelled"),
        minutes_delivered=sum(int(s["delivered"] or 0) for s in sessions),
    )


def _pain(performed: list[dict[str, Any]]) -> MeasureSeries:
    """Pain before each session, and after it where it was evaluated: the first before
    against the last after is the plan's change in pain (NPRS, meaningful at 2)."""
    points = tuple(
        Point(int(s["number"]), str(s["local_start"])[:10], float(s["pain_after"]))
        for s in performed
        if s["pain_after"] is not None
    )
    first = next((s["pain_before"] for s in performed if s["pain_before"] is not None), None)
    last = points[-1].score if points else None
    delta = None if first is None or last is None else round(last - float(first), 1)
    threshold = MEANINGFUL[Instrument.NPRS]
    return MeasureSeries(
        key=PAIN,
        label="Pain after each session (0-10)",
        scale_max=10.0,
        higher_is_better=False,
        points=points,
        change=delta,
        meaningful=None if delta is None else abs(delta) >= threshold,
        threshold=threshold,
    )


def _measures(rows: list[dict[str, Any]], days: dict[int, str]) -> list[MeasureSeries]:
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault((row["measure"], row["label"]), []).append(row)
    found = []
    for (key, label), series in grouped.items():
        points = tuple(
            Point(int(r["number"]), _day(r, days), float(r["score"]), r["band"] or "")
            for r in series
        )
        found.append(_series(key, label, float(series[0]["scale_max"]), points, series))
    return found


def _day(row: dict[str, Any], days: dict[int, str]) -> str:
    """The local day a measure was taken: its session's, or the day it was recorded (the
    baseline, taken at the assessment)."""
    return days.get(int(row["number"]), str(row["at"])[:10])


def _series(
    key: str, label: str, scale_max: float, points: tuple[Point, ...], rows: list[dict[str, Any]]
) -> MeasureSeries:
    baseline = rows[0] if int(rows[0]["number"]) == BASELINE else None
    if key == ROM:
        delta = None if baseline is None or len(points) < 2 else points[-1].score - points[0].score
        return MeasureSeries(key, label, scale_max, True, points, delta, None, None)
    instrument = Instrument(key)
    meaningful = None
    delta = None
    if baseline is not None and len(rows) > 1:
        moved = change(_answers(instrument, baseline), _answers(instrument, rows[-1]))
        delta, meaningful = moved.points, moved.meaningful
    return MeasureSeries(
        key=key,
        label=TITLES[instrument],
        scale_max=scale_max,
        higher_is_better=instrument in HIGHER_IS_BETTER,
        points=points,
        change=delta,
        meaningful=meaningful,
        threshold=MEANINGFUL[instrument],
    )


def _answers(instrument: Instrument, row: dict[str, Any]) -> MeasureAnswers:
    given = json.loads(row["answers"])
    return MeasureAnswers(instrument, tuple(given["items"]), tuple(given["activities"]))
