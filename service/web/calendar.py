"""The live calendar: a day by therapist or room on a time grid, or a week as a matrix."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import Response, request

from service.domain.clinic import Clinic
from service.domain.errors import DomainError
from service.domain.values import SessionTime
from service.http.context import is_htmx, now, page, reads, regimen, today, utc_text, zone_label
from service.web.blueprint import web
from service.web.calendar_model import Block, block_of, day_grid, week_of, week_rows
from service.web.free_slots import SLOT_MINUTES, place_free
from service.web.security import signed_in

POLL_SECONDS = 5
MAX_ROWS = 500


@dataclass(frozen=True)
class CalendarQuery:
    """What the desk asked to see: a day or a week, grouped and filtered."""

    view: str
    day: date
    by: str
    therapist: str
    room: str

    def args(self, **changes: Any) -> dict[str, str]:
        """The query string of this view, with some values changed."""
        values = {
            "view": self.view,
            "date": self.day.isoformat(),
            "by": self.by,
            "therapist": self.therapist,
            "room": self.room,
        }
        values.update({k: str(v) for k, v in changes.items()})
        return {k: v for k, v in values.items() if v}

    @property
    def step(self) -> timedelta:
        """How far Previous and Next move."""
        return timedelta(days=7 if self.view == "week" else 1)


def calendar_query(zone: str) -> CalendarQuery:
    """The calendar's query string, with sensible defaults for anything missing or wrong."""
    args = request.args
    try:
        day = date.fromisoformat(args.get("date", ""))
    except ValueError:
        day = today(zone)
    return CalendarQuery(
        view="week" if args.get("view") == "week" else "day",
        day=day,
        by="room" if args.get("by") == "room" else "therapist",
        therapist=args.get("therapist", "")[:36],
        room=args.get("room", "")[:36],
    )


def opening_on(clinic: Clinic, day: date) -> tuple[time, time] | None:
    """The clinic's earliest opening and latest closing on that weekday, if it opens."""
    intervals = [h for h in clinic.opening_hours.intervals if h.weekday == day.weekday()]
    if not intervals:
        return None
    return min(h.start for h in intervals), max(h.end for h in intervals)


def closures_on(clinic: Clinic, days: list[date]) -> dict[date, str]:
    """The days the clinic is closed for a closure (a holiday, works), with its reason."""
    closed = {}
    for day in days:
        closure = next((c for c in clinic.closures if c.includes(day)), None)
        if closure is not None:
            closed[day] = closure.reason or "Closed"
    return closed


def span_of(first: date, last: date, zone: str) -> tuple[str, str]:
    """The UTC instants bounding clinic-local days first..last."""
    tz = ZoneInfo(zone)
    start = datetime.combine(first, time(0), tz)
    end = datetime.combine(last + timedelta(days=1), time(0), tz)
    return utc_text(start), utc_text(end)


def calendar_values(query: CalendarQuery) -> dict[str, Any]:
    """Everything the calendar templates need for this query."""
    app = regimen()
    position = app.recorder.max_notification_id() or 0  # before reading: nothing is missed
    clinic = app.clinic()
    zone = clinic.zone
    model = reads()
    therapists = [(r["id"], r["name"]) for r in model.directory("therapist", limit=MAX_ROWS).items]
    rooms = [(r["id"], r["name"]) for r in model.directory("room", limit=MAX_ROWS).items]
    days = [query.day] if query.view == "day" else week_of(query.day)
    start, end = span_of(days[0], days[-1], zone)
    rows = model.sessions_between(
        start, end, therapist_id=query.therapist, room_id=query.room, limit=MAX_ROWS
    ).items
    blocks = [block_of(row, zone) for row in rows]
    resources = therapists if query.by == "therapist" else rooms
    chosen = query.therapist if query.by == "therapist" else query.room
    if chosen:
        resources = [r for r in resources if r[0] == chosen]
    values: dict[str, Any] = {
        "query": query,
        "therapists": therapists,
        "rooms": rooms,
        "zone_label": zone_label(zone, query.day),
        "today": today(zone),
        "position": position,
        "poll_seconds": POLL_SECONDS,
        "updated_at": now().astimezone(ZoneInfo(zone)),
        "clinic_name": clinic.name,
        "closures": closures_on(clinic, days),
    }
    if query.view == "day":
        values.update(day_values(clinic, query, blocks, resources, values["closures"]))
    else:
        shown = [
            d for d in days if opening_on(clinic, d) or any(b.start.date() == d for b in blocks)
        ]
        values["days"] = shown
        values["rows"] = week_rows(shown, blocks, resources, query.by)
    return values


def day_values(
    clinic: Clinic,
    query: CalendarQuery,
    blocks: list[Block],
    resources: list[tuple[str, str]],
    closures: dict[date, str],
) -> dict[str, Any]:
    """The day grid, and the free hours of each therapist to book a visit in."""
    opening = opening_on(clinic, query.day)
    grid = day_grid(query.day, blocks, resources, query.by, opening, now())
    bookable = query.by == "therapist" and opening is not None and not closures
    free = {key: free_hours(key, query.day) for key, _ in resources} if bookable else {}
    placed = place_free(grid, free)
    return {
        "grid": grid,
        "closed": opening is None,
        "free": placed,
        "any_free": any(placed.values()),
    }


def free_hours(therapist_id: str, day: date) -> list[SessionTime]:
    """The whole hours of the day a visit with the therapist could be booked, by the rules
    booking uses; none if the therapist cannot be read."""
    try:
        return regimen().free_time(
            UUID(therapist_id),
            first_day=day,
            last_day=day,
            minutes=SLOT_MINUTES,
            now=now(),
            step_minutes=SLOT_MINUTES,
        )
    except (DomainError, ValueError):
        return []


@web.get("/calendar")
@signed_in
def calendar() -> tuple[str, int]:
    """The calendar page: controls, and the grid that keeps itself up to date."""
    query = calendar_query(regimen().clinic().zone)
    attention = reads().needs_attention(now())  # on the page only, not on every poll
    return page("calendar.html", **calendar_values(query), attention=attention)


@web.get("/calendar/grid")
@signed_in
def calendar_grid() -> Response | tuple[str, int]:
    """The grid alone, for htmx polling: 204 (nothing to swap) when nothing has changed."""
    seen = request.args.get("seen", "")
    if (
        is_htmx()
        and seen.isdigit()
        and int(seen) == (regimen().recorder.max_notification_id() or 0)
    ):
        return Response(status=204)
    query = calendar_query(regimen().clinic().zone)
    return page("_calendar_grid.html", **calendar_values(query))
