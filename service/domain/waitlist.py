"""The waitlist: clients waiting for a freed time, and the offers of such times.

A client joins with the times of the week they can come (local wall-time windows in
the clinic's zone), for a therapist or any, and optionally for an agreed plan (a claim
then books the plan's next session; otherwise a visit). A cancelled session or visit
becomes a `SlotOffer`, sent round by round to the best-placed clients with a hold;
the first claim inside the hold wins, through the same calendar aggregates as every
booking, so two claims never both win.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import Enum
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from service.domain.errors import RuleViolated
from service.domain.events import ActorEvent, AggregateCreated
from service.domain.rules import require_text
from service.domain.values import Actor
from service.domain.waitlist_values import MAX_WINDOWS, FreedSlot, WaitlistRequest, Window

__all__ = [
    "MAX_WINDOWS",
    "AlreadyWaiting",
    "EntryStatus",
    "FreedSlot",
    "NotOffered",
    "OfferLapsed",
    "OfferStatus",
    "OfferTaken",
    "SlotOffer",
    "WaitlistEntry",
    "WaitlistRequest",
    "Window",
    "offer_id",
    "waitlist_entry_id",
]


class OfferTaken(RuleViolated):
    """Someone claimed the time first, or it is no longer free."""


class OfferLapsed(RuleViolated):
    """The hold on the offer ran out before the claim; the time went to other clients."""


class NotOffered(RuleViolated):
    """The offer was not made to this waitlist entry."""


class AlreadyWaiting(RuleViolated):
    """The client already waits for the same therapist, for the same plan or kind of visit,
    at times that overlap."""


class EntryStatus(Enum):
    """Where a waitlist entry stands."""

    WAITING = "waiting"
    LEFT = "left"
    BOOKED = "booked"


class WaitlistEntry(Aggregate):
    """One client waiting for a time, until they leave or a claim books them."""

    class WaitlistJoined(AggregateCreated):
        """Waitlist joined."""

        request: WaitlistRequest
        joined_at: datetime
        actor: Actor

        @property
        def client_id(self) -> UUID:
            """The client who joined (what names the entry's client to the key mapper)."""
            return self.request.client_id

    @event(WaitlistJoined)
    def __init__(
        self, request: WaitlistRequest, joined_at: datetime, actor: Actor, id: UUID | None = None
    ) -> None:
        """`id`: the library's, taken from the event (see `entry_id`); a new one if None."""
        self.request = request
        self.joined_at = joined_at
        self.status = EntryStatus.WAITING
        self.booked_with: UUID | None = None

    @property
    def client_id(self) -> UUID:
        """The client waiting."""
        return self.request.client_id

    def leave(self, *, reason: str, actor: Actor) -> None:
        """Take the client off the list."""
        self._require_waiting()
        require_text("reason", reason)
        self.trigger_event(self.WaitlistLeft, reason=reason, actor=actor)

    def booked(self, *, offer_id: UUID, booked_id: UUID, actor: Actor) -> None:
        """A claim of an offer booked the client: they wait no longer."""
        self._require_waiting()
        self.trigger_event(self.WaitlistBooked, offer_id=offer_id, booked_id=booked_id, actor=actor)

    def _require_waiting(self) -> None:
        if self.status is not EntryStatus.WAITING:
            raise RuleViolated(f"the client is no longer waiting ({self.status.value})")

    class WaitlistLeft(ActorEvent):
        """Waitlist left."""

        reason: str

        def apply(self, aggregate: WaitlistEntry) -> None:
            aggregate.status = EntryStatus.LEFT

    class WaitlistBooked(ActorEvent):
        """Waitlist entry booked through an offer."""

        offer_id: UUID
        booked_id: UUID  # the plan whose next session, or the visit, the claim booked

        def apply(self, aggregate: WaitlistEntry) -> None:
            aggregate.status = EntryStatus.BOOKED
            aggregate.booked_with = self.booked_id


def waitlist_entry_id(request: WaitlistRequest, known: Iterable[UUID]) -> UUID:
    """The id of a client's new entry: it follows from what they ask and the entries they
    had before, so the same request sent twice at once makes one entry, and the same request
    sent again after leaving makes another."""
    before = ",".join(sorted(str(entry) for entry in known))
    return uuid5(NAMESPACE_URL, f"regimen:waitlist-entry:{request!r}:{before}")


def offer_id(holder_id: UUID, number: int) -> UUID:
    """The id of the offer of a cancelled session's time (a plan's, or a visit's: 0)."""
    return uuid5(NAMESPACE_URL, f"regimen:waitlist-offer:{holder_id}:{number}")


class OfferStatus(Enum):
    """Where an offer of a freed time stands."""

    OPEN = "open"
    CLAIMED = "claimed"
    CLOSED = "closed"


class SlotOffer(Aggregate):
    """A freed time offered to waitlisted clients, round after round, until claimed or closed.

    Its id follows from the cancelled session, so offering it again (after a crash
    between the cancellation and the offer) finds the offer already made.
    """

    @staticmethod
    def create_id(slot: FreedSlot) -> UUID:
        """One offer per cancelled session."""
        return offer_id(slot.holder_id, slot.number)

    class SlotOfferOpened(AggregateCreated):
        """Slot offer opened."""

        slot: FreedSlot
        actor: Actor

    @event(SlotOfferOpened)
    def __init__(self, slot: FreedSlot, actor: Actor) -> None:
        self.slot = slot
        self.status = OfferStatus.OPEN
        self.round = 0
        self.round_entries: tuple[UUID, ...] = ()
        self.hold_until: datetime | None = None
        self.offered: tuple[UUID, ...] = ()
        self.claimed_by: UUID | None = None
        self.closed_because = ""
        self.lapsed_round = 0

    @classmethod
    def open(cls, slot: FreedSlot, actor: Actor) -> SlotOffer:
        """The offer of a freed time, sent to no one yet."""
        return cls(slot=slot, actor=actor)

    def on_hold(self, now: datetime) -> bool:
        """Whether the current round's clients still hold the offer."""
        return self.hold_until is not None and now < self.hold_until

    def send(
        self, entry_ids: tuple[UUID, ...], *, hold: timedelta, now: datetime, actor: Actor
    ) -> None:
        """Offer the time to these entries, held for them until `now + hold` (never past the
        start of the time itself)."""
        self._require_open()
        if self.on_hold(now):
            raise RuleViolated("the current round's hold has not run out")
        if not entry_ids or set(entry_ids) & set(self.offered):
            raise RuleViolated("each round goes to entries not offered the time before")
        hold_until = min(now + hold, self.slot.time.start)
        if hold_until <= now:
            raise RuleViolated("the time has begun")
        self.trigger_event(
            self.OfferSent,
            round=self.round + 1,
            entry_ids=tuple(entry_ids),
            hold_until=hold_until,
            actor=actor,
        )

    def check_claim(self, entry_id: UUID, round: int, now: datetime) -> None:
        """Raise unless this entry, offered the time in this round, may claim it now."""
        if self.status is not OfferStatus.OPEN:
            raise OfferTaken("this time has been taken")
        current = round == self.round
        if entry_id not in (self.round_entries if current else self.offered):
            raise NotOffered("this time was not offered to this client")
        if not current or not self.on_hold(now):
            raise OfferLapsed("the hold on this offer ran out; the time was offered to others")

    def claim(
        self, entry_id: UUID, round: int, *, booked_id: UUID, now: datetime, actor: Actor
    ) -> None:
        """The entry claims the time (its booking is saved with this event)."""
        self.check_claim(entry_id, round, now)
        self.trigger_event(self.OfferClaimed, entry_id=entry_id, booked_id=booked_id, actor=actor)

    def lapse(self, *, now: datetime, actor: Actor) -> None:
        """Record that the current round's hold ran out with no claim."""
        self._require_open()
        if self.round == self.lapsed_round or self.on_hold(now):
            raise RuleViolated("no round's hold has run out")
        self.trigger_event(self.OfferHoldLapsed, round=self.round, actor=actor)

    def close(self, *, reason: str, actor: Actor) -> None:
        """No one will get the time through the waitlist."""
        self._require_open()
        self.trigger_event(self.OfferClosed, reason=reason, actor=actor)

    def _require_open(self) -> None:
        if self.status is not OfferStatus.OPEN:
            raise OfferTaken(f"the offer is {self.status.value}")

    class OfferSent(ActorEvent):
        """Offer sent."""

        round: int
        entry_ids: tuple[UUID, ...]
        hold_until: datetime

        def apply(self, aggregate: SlotOffer) -> None:
            aggregate.round = self.round
            aggregate.round_entries = tuple(self.entry_ids)
            aggregate.hold_until = self.hold_until
            aggregate.offered = (*aggregate.offered, *self.entry_ids)

    class OfferHoldLapsed(ActorEvent):
        """Offer hold lapsed."""

        round: int

        def apply(self, aggregate: SlotOffer) -> None:
            aggregate.lapsed_round = self.round

    class OfferClaimed(ActorEvent):
        """Offer claimed."""

        entry_id: UUID
        booked_id: UUID

        def apply(self, aggregate: SlotOffer) -> None:
            aggregate.status = OfferStatus.CLAIMED
            aggregate.claimed_by = self.entry_id

    class OfferClosed(ActorEvent):
        """Offer closed."""

        reason: str

        def apply(self, aggregate: SlotOffer) -> None:
            aggregate.status = OfferStatus.CLOSED
            aggregate.closed_because = self.reason
