"""What every change to a clinic's records carries: the user who made it, and when."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from eventsourcing.domain import Aggregate, datetime_now_with_tzinfo

from service.domain.values import Actor

_RECORDED_AT: ContextVar[datetime | None] = ContextVar("recorded_at", default=None)


@contextmanager
def recorded_at(instant: datetime) -> Iterator[datetime]:
    """Stamp the events triggered inside with this instant instead of the wall clock.

    For loading a known past (the demo clinic's story): nothing a request or a job runs
    sets it, so every other event is stamped when it happens, as the library does.
    """
    stamp = instant.astimezone(UTC)
    token = _RECORDED_AT.set(stamp)
    try:
        yield stamp
    finally:
        _RECORDED_AT.reset(token)


def recording_time() -> datetime:
    """When an event triggered now is recorded: the scoped instant, else the wall clock."""
    return _RECORDED_AT.get() or datetime_now_with_tzinfo()


class ActorEvent(Aggregate.Event):
    """A change some user made; the audit trail reads who from every one of them."""

    actor: Actor

    @staticmethod
    def create_timestamp() -> datetime:
        """The wall clock, unless a loader of a known past set the instant (recorded_at)."""
        return recording_time()


class AggregateCreated(Aggregate.Created):
    """The first event of an aggregate, stamped as every ActorEvent is."""

    @staticmethod
    def create_timestamp() -> datetime:
        """The wall clock, unless a loader of a known past set the instant (recorded_at)."""
        return recording_time()
