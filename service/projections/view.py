"""What a view is: its tables, and the rows each kind of event writes (portable SQL)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from service.projections.rows import Write

Event = Aggregate.Event
Handler = Callable[[Any, int], list[Write]]


# An event's instants and ids recur in several views (and its ids in many events), so
# their text is kept for a while: formatting them is much of the cost of a rebuild.
RECENT = 16384


@lru_cache(maxsize=RECENT)
def instant(moment: datetime) -> str:
    """A UTC instant as sortable text."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")[:19] + "Z"


def text(value: UUID) -> str:
    """An id as text."""
    return _id_text(value.int)


@lru_cache(maxsize=RECENT)
def _id_text(number: int) -> str:
    # Keyed by the number: a UUID key would keep garbage-collected objects alive.
    return str(UUID(int=number))


def local_minute(moment: datetime) -> str:
    """A local wall time to the minute, 'YYYY-MM-DDTHH:MM'."""
    return moment.isoformat(timespec="minutes")[:16]


def time_columns(event: Any) -> dict[str, Any]:
    """Who, where and when of a booked or rescheduled session, as view columns."""
    time = event.time
    return {
        "therapist_id": text(event.therapist_id),
        "room_id": text(event.room_id) if event.room_id else None,
        "start_utc": instant(time.start),
        "end_utc": instant(time.end),
        "zone": time.zone,
        "local_start": local_minute(time.local_start),
        "minutes": time.minutes,
    }


@dataclass(frozen=True)
class View:
    """A read model: its tables and indexes, and what each kind of event writes to it."""

    name: str
    tables: tuple[str, ...]
    clear: tuple[str, ...]
    handlers: dict[type[Event], Handler]  # keyed by the domain's own event classes
    every_event: Handler | None = None
    version: int = 1  # raise it when the tables change: the view is then dropped and rebuilt
    drop: tuple[str, ...] = ()
    # Indexes the view's own writes find rows by: kept while the view is rebuilt (the
    # others are dropped then and made again after), or each such write reads the table.
    looked_up: tuple[str, ...] = ()

    def writes(self, events: Sequence[tuple[int, Event]], after: int) -> list[Write]:
        """The writes that the events (with their positions) after position `after` cause in
        this view, in order; events it does not care about cause none."""
        handlers, every_event = self.handlers, self.every_event
        writes: list[Write] = []
        for position, event in events:
            if position > after:
                handler = handlers.get(type(event), every_event)
                if handler is not None:
                    writes.extend(handler(event, position))
        return writes
