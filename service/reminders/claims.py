"""The outbox as the dispatcher sees it: claims of due reminders, and how each one ended."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol, TypeVar
from uuid import UUID

from service.adapters.channels import Sender
from service.domain.reminders import Channel
from service.reminders.planning import delivery_key


@dataclass(frozen=True)
class Claim:
    """A due reminder this dispatcher alone may send, until `token`'s lease runs out."""

    reminder_id: UUID
    session_start: datetime
    client_id: UUID
    plan_id: UUID
    number: int
    channel: Channel
    lead_minutes: int
    attempts: int
    token: str

    @property
    def key(self) -> UUID:
        """The delivery's idempotency key: Message-ID, webhook key, outbox file name."""
        return delivery_key(self.reminder_id, self.session_start)


@dataclass
class DispatchReport:
    """What one pass did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff after a transient failure, doubling up to a ceiling; give up after N attempts."""

    first_delay: timedelta = timedelta(minutes=1)
    max_delay: timedelta = timedelta(minutes=30)
    max_attempts: int = 6

    def next_try(self, attempts: int, now: datetime) -> datetime | None:
        """When to try again after `attempts` failures, or None to give up."""
        if attempts >= self.max_attempts:
            return None
        return now + min(self.first_delay * 2 ** (attempts - 1), self.max_delay)

    def retry_at(
        self, attempts: int, now: datetime, *, transient: bool, deadline: datetime
    ) -> datetime | None:
        """When to try again after the failure that made `attempts` attempts, or None to
        give up: the failure was not transient, the attempts are used up, or the next try
        would come no earlier than `deadline` (a session's start, an offer's hold)."""
        next_try = self.next_try(attempts, now) if transient else None
        return next_try if next_try is not None and next_try < deadline else None


class Outbox(Protocol):
    """Where claims come from and outcomes go (reminder_outbox.ReminderOutbox)."""

    def claim(self, now: datetime, worker: str, limit: int) -> list[Claim]:
        """Atomically take up to `limit` due reminders of sessions still booked then."""

    def give_up_on_started(self, now: datetime) -> int:
        """Mark failed every unsent reminder whose session has begun; returns how many."""

    def sent(self, claim: Claim, now: datetime) -> bool:
        """Record the reminder as sent."""

    def retry(self, claim: Claim, now: datetime, error: str, next_try: datetime) -> bool:
        """Record a transient failure; the reminder is claimable again at `next_try`."""

    def failed(self, claim: Claim, now: datetime, error: str) -> bool:
        """Record that the reminder will not be sent."""

    def cancelled(self, claim: Claim, now: datetime, reason: str) -> bool:
        """Record that the reminder is no longer wanted (the session moved or was cancelled)."""


C = TypeVar("C")
C_contra = TypeVar("C_contra", contravariant=True)


class FailureRecords(Protocol[C_contra]):
    """Where a failed delivery's outcome goes: the reminders' outbox, the offers'."""

    def retry(self, claim: C_contra, now: datetime, error: str, next_try: datetime) -> bool:
        """Record a transient failure; claimable again from `next_try`."""

    def failed(self, claim: C_contra, now: datetime, error: str) -> bool:
        """Record that the message will not be sent."""


def settle_failure(
    outbox: FailureRecords[C],
    claim: C,
    now: datetime,
    error: str,
    next_try: datetime | None,
    report: DispatchReport,
) -> None:
    """Record a failed delivery, to be tried again at `next_try` or (None) failed for good,
    and count it in the pass's report."""
    report.errors.append(error)
    if next_try is None:
        outbox.failed(claim, now, error)
        report.failed += 1
    else:
        outbox.retry(claim, now, error, next_try)
        report.retried += 1


def deliver_claimed(
    claim: Callable[[], Sequence[C]],
    deliver: Callable[[C], object],
    senders: Mapping[Channel, Sender],
    read_batch: Callable[[Sequence[C]], object] = lambda claims: None,
) -> None:
    """Claim batch after batch until none is left, delivering each claim in turn.

    Every sender is closed at the end of the pass, however it ended: a connection kept for
    one pass is never left open to the next.
    """
    with ExitStack() as open_channels:
        for sender in senders.values():
            open_channels.callback(sender.close)
        while claims := claim():
            read_batch(claims)
            for one in claims:
                deliver(one)
