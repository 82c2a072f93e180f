"""Domain values as plain JSON-ready data, for histories and exports."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

ENVELOPE = ("originator_id", "originator_version", "timestamp", "actor")


def plain(value: Any) -> Any:
    """The value as JSON-ready data: dataclasses as dicts, enums by value, times and
    durations in ISO 8601, sets as sorted lists, bytes as hex, decimals as text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return duration(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, set | frozenset):
        return sorted((plain(v) for v in value), key=str)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def duration(value: timedelta) -> str:
    """A duration in ISO 8601, e.g. P2D or PT1H30M (negative ones with a leading minus)."""
    sign, value = ("-", -value) if value < timedelta(0) else ("", value)
    hours, rest = divmod(value.seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    clock = "".join(f"{amount}{unit}" for amount, unit in ((hours, "H"), (minutes, "M")) if amount)
    if seconds or value.microseconds:
        clock += f"{seconds}.{value.microseconds:06d}".rstrip("0").rstrip(".") + "S"
    days = f"{value.days}D" if value.days else ""
    return f"{sign}P{days}{'T' + clock if clock else ''}" if days or clock else "PT0S"


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
