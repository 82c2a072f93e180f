"""Domain values as plain JSON-ready data, for histories and exports."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time
from enum import Enum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

ENVELOPE = ("originator_id", "originator_version", "timestamp", "actor")


def plain(value: Any) -> Any:
    """The value as JSON-ready data: dataclasses as dicts, enums by value, times in ISO."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def event_type(event: Aggregate.Event) -> str:
    """An event's public name, e.g. SessionBooked."""
    return type(event).__qualname__.rsplit(".", 1)[-1]


def event_record(event: Aggregate.Event) -> dict[str, Any]:
    """An event as an auditor reads it: version, type, timestamp, actor, data."""
    attributes = vars(event)
    return {
        "version": event.originator_version,
        "type": event_type(event),
        "timestamp": event.timestamp,
        "actor": attributes.get("actor"),
        "data": {k: plain(v) for k, v in attributes.items() if k not in ENVELOPE},
    }
