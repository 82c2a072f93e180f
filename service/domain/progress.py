"""A plan's progress: pain before and after each performed session, and its pace.

The pace compares the days between consecutive performed sessions with the interval
the plan was following when the later session was put where it is: each session
remembers the series' interval in force when it was last booked or moved to another
time. A revision re-books the sessions after it from the next one, which keeps its
time and so its old interval, while the ones after it move and take the new one; a
session booked after a revision takes the new one; a session the desk moved takes the
plan's interval as it stood, and its gap shows the drift. Where the planned interval
differs from the one before it, the progress names an interval change.

Every measure is one named `Series` on a `Scale`; an outcome measure added later
(NDI, PSFS, ...) is one more entry, drawn on its own scale.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from service.domain.plan import TreatmentPlan
from service.domain.values import SessionStatus


@dataclass(frozen=True)
class Scale:
    """What a series is measured in: its name, its unit and its range."""

    name: str
    unit: str
    low: int
    high: int


PAIN = Scale("Pain", "0–10", 0, 10)
MIN_DAYS_SHOWN = 7  # the days scale shows at least a week, so a short plan's gaps read true


@dataclass(frozen=True)
class Reading:
    """One value of a series at one performed session (None: not measured there)."""

    number: int  # 0: the baseline, taken at the assessment
    value: float | None


@dataclass(frozen=True)
class Series:
    """One named measure over the plan's performed sessions."""

    name: str
    scale: Scale
    readings: tuple[Reading, ...]


@dataclass(frozen=True)
class SessionProgress:
    """One performed session: when, pain before and after, and its distance from the last."""

    number: int
    day: date  # the local date it took place
    pain_before: int
    pain_after: int | None  # None until the session is evaluated
    days_since_previous: int | None  # None for the first performed session
    planned_interval: int | None  # the interval in force for that gap

    @property
    def change(self) -> int | None:
        """Pain after minus pain before (negative is better), once evaluated."""
        return None if self.pain_after is None else self.pain_after - self.pain_before


@dataclass(frozen=True)
class IntervalChange:
    """The planned interval changed: this session was the first planned at the new one."""

    number: int
    before: int
    after: int


@dataclass(frozen=True)
class PlanProgress:
    """A plan's performed sessions, its measures as series, and where its pace changed."""

    sessions: tuple[SessionProgress, ...]
    series: tuple[Series, ...]
    interval_changes: tuple[IntervalChange, ...]

    @property
    def scales(self) -> tuple[Scale, ...]:
        """The scales in use, in the order their first series comes: one chart each."""
        return tuple(dict.fromkeys(s.scale for s in self.series))

    def on(self, scale: Scale) -> tuple[Series, ...]:
        """The series drawn on one scale."""
        return tuple(s for s in self.series if s.scale == scale)


def intervals_when_placed(events: Iterable[object]) -> dict[int, int]:
    """The series interval in force when each session was last booked or moved to another
    time, by number (a move to the same time, another room say, places nothing)."""
    interval = 0
    placed: dict[int, int] = {}
    for event in events:
        if isinstance(event, TreatmentPlan.PlanProposed | TreatmentPlan.PlanRevised):
            interval = event.series.interval_days
        elif _places(event):
            placed[event.number] = interval  # type: ignore[attr-defined]
    return placed


def _places(event: object) -> bool:
    """Whether the event puts a session at a time: a booking, or a move to another time."""
    if isinstance(event, TreatmentPlan.SessionRescheduled):
        return event.time.start != event.previous.start
    return isinstance(event, TreatmentPlan.SessionBooked)


def plan_progress(plan: TreatmentPlan, placed: Mapping[int, int]) -> PlanProgress:
    """The plan's progress from its performed sessions (earliest first) and their intervals."""
    performed = sorted(
        (s for s in plan.sessions_in(SessionStatus.PERFORMED) if s.performance is not None),
        key=lambda s: s.time.start,
    )
    rows: list[SessionProgress] = []
    changes: list[IntervalChange] = []
    in_force: int | None = None
    for session in performed:
        assert session.performance is not None
        day = session.time.local_start.date()
        interval = placed.get(session.number, plan.series.interval_days)
        previous = rows[-1] if rows else None
        if in_force is not None and interval != in_force:
            changes.append(IntervalChange(session.number, in_force, interval))
        in_force = interval
        rows.append(
            SessionProgress(
                number=session.number,
                day=day,
                pain_before=session.performance.pain_before,
                pain_after=session.evaluation.pain_after if session.evaluation else None,
                days_since_previous=(day - previous.day).days if previous else None,
                planned_interval=interval if previous else None,
            )
        )
    return PlanProgress(tuple(rows), _series(rows), tuple(changes))


def _series(rows: list[SessionProgress]) -> tuple[Series, ...]:
    if not rows:
        return ()
    gaps = [r for r in rows if r.days_since_previous is not None]
    longest = max(
        (max(r.days_since_previous or 0, r.planned_interval or 0) for r in gaps), default=0
    )
    days = Scale("Days between sessions", "days", 0, max(MIN_DAYS_SHOWN, longest))
    return (
        Series("Pain before", PAIN, tuple(Reading(r.number, r.pain_before) for r in rows)),
        Series("Pain after", PAIN, tuple(Reading(r.number, r.pain_after) for r in rows)),
        Series(
            "Actual interval",
            days,
            tuple(Reading(r.number, r.days_since_previous) for r in rows),
        ),
        Series(
            "Planned interval", days, tuple(Reading(r.number, r.planned_interval) for r in rows)
        ),
    )
