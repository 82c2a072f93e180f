"""The free hours of a therapist's day column, each a place to book a visit. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from service.web.calendar_model import Block, DayGrid

SLOT_MINUTES = 60


@dataclass(frozen=True)
class FreeSlot:
    """An hour with nothing booked, in the clinic's wall time, placed on the day grid."""

    start: datetime
    top: float
    height: float
    therapist: str

    @property
    def label(self) -> str:
        """The link's accessible name: 'Book 10:00 with Ada Therapist'."""
        return f"Book {self.start:%H:%M} with {self.therapist}"


def free_slots(
    grid: DayGrid, opening: tuple[time, time], zone: str, now: datetime
) -> dict[str, list[FreeSlot]]:
    """Each column's free hours within opening hours that have not started yet, by column key."""
    return {
        column.key: _free_in(grid, column.blocks, column.name, opening, zone, now)
        for column in grid.columns
    }


def _free_in(
    grid: DayGrid,
    blocks: list[Block],
    therapist: str,
    opening: tuple[time, time],
    zone: str,
    now: datetime,
) -> list[FreeSlot]:
    tz = ZoneInfo(zone)
    total = (grid.last_hour - grid.first_hour) * 60
    length = timedelta(minutes=SLOT_MINUTES)
    slots = []
    for start in _hours(grid.day, opening, tz):
        end = start + length
        if start < now or any(b.start < end and start < b.end for b in blocks):
            continue
        offset = (start.hour - grid.first_hour) * 60 + start.minute
        slots.append(
            FreeSlot(
                start=start,
                top=round(offset / total * 100, 3),
                height=round(SLOT_MINUTES / total * 100, 3),
                therapist=therapist,
            )
        )
    return slots


def _hours(day: date, opening: tuple[time, time], tz: ZoneInfo) -> list[datetime]:
    """The whole hours from opening on, each ending by closing time."""
    first, last = opening
    closing = datetime.combine(day, last, tz)
    start = datetime.combine(day, first, tz)
    if start.minute:
        start = start.replace(minute=0) + timedelta(hours=1)
    hours = []
    while start + timedelta(minutes=SLOT_MINUTES) <= closing:
        hours.append(start)
        start += timedelta(minutes=SLOT_MINUTES)
    return hours
