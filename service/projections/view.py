"""What a view is: its tables, and the rows each kind of event writes (portable SQL)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from eventsourcing.domain import Aggregate

from service.projections.recorders import Statement

Event = Aggregate.Event
Handler = Callable[[Any, int], list[Statement]]


def instant(moment: datetime) -> str:
    """A UTC instant as sortable text."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")[:19] + "Z"


def event_name(event: Event) -> str:
    """'TreatmentPlan.SessionBooked' for a plan's SessionBooked."""
    return type(event).__qualname__


@dataclass(frozen=True)
class View:
    """A read model: its tables and indexes, and what each kind of event writes to it."""

    name: str
    tables: tuple[str, ...]
    clear: tuple[str, ...]
    handlers: dict[str, Handler]
    every_event: Handler | None = None
    version: int = 1  # raise it when the tables change: the view is then dropped and rebuilt
    drop: tuple[str, ...] = ()

    def statements(self, event: Event, position: int) -> list[Statement]:
        """The writes this event causes in this view (none if it does not care)."""
        handler = self.handlers.get(event_name(event), self.every_event)
        return handler(event, position) if handler else []
