"""The free hours of a therapist's day column, each a place to book a visit. Pure.

Which hours are free is the booking rules' answer (`Regimen.free_time`: opening and
working hours, closures, time off, bookings, not in the past); this module only
places them on the day grid.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from service.domain.values import SessionTime
from service.web.calendar_model import DayGrid

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


def place_free(
    grid: DayGrid, free: Mapping[str, Sequence[SessionTime]]
) -> dict[str, list[FreeSlot]]:
    """Each column's free hours of the grid's day, placed like its sessions, by column key."""
    total = (grid.last_hour - grid.first_hour) * 60
    placed: dict[str, list[FreeSlot]] = {}
    for column in grid.columns:
        slots = []
        for time in free.get(column.key, ()):
            start = time.local_start
            offset = (start.hour - grid.first_hour) * 60 + start.minute
            if start.date() != grid.day or offset < 0 or offset + time.minutes > total:
                continue
            top = round(offset / total * 100, 3)
            height = round(time.minutes / total * 100, 3)
            slots.append(FreeSlot(start, top, height, column.name))
        placed[column.key] = slots
    return placed
