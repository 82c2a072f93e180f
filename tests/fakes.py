"""Hand-written fakes: a clock the test sets, a capturing channel, a leader lock, a job."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from service.adapters.channels import DeliveryFailed, Outgoing

WAIT_S = 10  # a deadline for a loaded machine, not a measurement


class FixedClock:
    """A clock that says what the test tells it, and moves only when told."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        """Move the clock forward."""
        self.now += timedelta(**delta)
        return self.now


@dataclass
class CapturingSender:
    """A channel that records what it is asked to send, failing while `down` says so."""

    sent: list[Outgoing] = field(default_factory=list)
    down: Callable[[], bool] = lambda: False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, outgoing: Outgoing) -> None:
        if self.down():
            raise DeliveryFailed("the relay is down", transient=True)
        with self.lock:
            self.sent.append(outgoing)

    def close(self) -> None:
        """Nothing to close."""


class FakeLeaderLock:
    """A lock the test grants or withholds, counting releases."""

    def __init__(self, grant: bool = True) -> None:
        self.grant = grant
        self.held = False
        self.releases = 0

    def try_acquire(self) -> bool:
        self.held = self.grant
        return self.held

    def release(self) -> None:
        self.held = False
        self.releases += 1


class RecordingJob:
    """A job body that remembers each `now` it was given and can raise instead of returning."""

    def __init__(self, fails: bool = False) -> None:
        self.fails = fails
        self.calls: list[datetime] = []
        self._changed = threading.Condition()

    def __call__(self, now: datetime) -> int:
        with self._changed:
            self.calls.append(now)
            self._changed.notify_all()
        if self.fails:
            raise RuntimeError("the outbox is on fire")
        return len(self.calls)

    def wait_for_calls(self, count: int) -> bool:
        """Block until the job has run `count` times (bounded)."""
        with self._changed:
            return self._changed.wait_for(lambda: len(self.calls) >= count, timeout=WAIT_S)
