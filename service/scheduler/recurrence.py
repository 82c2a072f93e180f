"""DST-safe wall-clock arithmetic: local times in an IANA zone to UTC instants and back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from itertools import count
from zoneinfo import ZoneInfo

from service.domain.values import SessionTime
from service.domain.zones import require_zone


def zone_info(zone: str) -> ZoneInfo:
    """The IANA zone of this name; InvalidValue (a ValueError) when there is none."""
    return require_zone(zone)


def _require_naive(local: datetime) -> None:
    if local.tzinfo is not None:
        raise ValueError(f"expected a naive local wall time, got {local.isoformat()}")


@lru_cache(maxsize=8192)
def to_instant(local: datetime, zone: str) -> datetime:
    """The UTC instant of a local wall time: gaps resolve forward, ambiguity takes the first.
    Kept per process (pure, and asked again for the same times: a series' days, its plan,
    each slot's `shifted`)."""
    _require_naive(local)
    # PEP 495: fold=0 reads a gap time with the offset before the transition, which lands
    # the gap's length later on the wall clock, and picks the earlier of two repeated times.
    return local.replace(tzinfo=zone_info(zone), fold=0).astimezone(UTC)


def to_local(instant: datetime, zone: str) -> datetime:
    """The naive local wall time an aware instant shows in a zone."""
    if instant.tzinfo is None:
        raise ValueError(f"expected an aware instant, got {instant.isoformat()}")
    return instant.astimezone(zone_info(zone)).replace(tzinfo=None)


def local_instants(local: datetime, zone: str) -> tuple[datetime, ...]:
    """Every UTC instant the wall clock shows this time: none in a gap, two when repeated."""
    _require_naive(local)
    tz = zone_info(zone)
    found: list[datetime] = []
    for fold in (0, 1):
        instant = local.replace(tzinfo=tz, fold=fold).astimezone(UTC)
        shown = instant.astimezone(tz).replace(tzinfo=None)
        if shown == local and instant not in found:
            found.append(instant)
    return tuple(sorted(found))


def session_at(instant: datetime, zone: str, minutes: int) -> SessionTime:
    """A session starting at a UTC instant, with the local wall time it shows in the zone."""
    if minutes <= 0:
        raise ValueError(f"a session lasts at least one minute, got {minutes}")
    start = instant.astimezone(UTC)
    return SessionTime(start=start, zone=zone, local_start=to_local(start, zone), minutes=minutes)


@lru_cache(maxsize=4096)
def session_time(local: datetime, zone: str, minutes: int) -> SessionTime:
    """A session at a local wall time, the start resolved as in to_instant. Kept per
    process: a series booking resolves each occurrence twice (the days to load, then the
    plan), and the answer is an immutable value of its arguments alone."""
    return session_at(to_instant(local, zone), zone, minutes)


def series_local_starts(first_local: datetime, interval_days: int) -> Iterator[datetime]:
    """The naive local starts first, first + interval, ... for ever (wall clock, not UTC)."""
    _require_naive(first_local)
    if interval_days <= 0:
        raise ValueError(f"a series repeats at least every day, got {interval_days} days")
    return (first_local + timedelta(days=interval_days * n) for n in count())
