"""The clinic's waitlist settings: how long an offer is held, how many clients a round reaches."""

from __future__ import annotations

from datetime import timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from service.domain.events import ActorEvent, AggregateCreated
from service.domain.rules import require_range
from service.domain.values import Actor

POLICY_ID = uuid5(NAMESPACE_URL, "regimen:waitlist-policy")
DEFAULT_HOLD_MINUTES = 30
DEFAULT_ROUND_SIZE = 3


class WaitlistPolicy(Aggregate):
    """The hold and the round size; until an administrator sets them, the defaults apply."""

    @staticmethod
    def create_id() -> UUID:
        """One policy per clinic."""
        return POLICY_ID

    class WaitlistPolicyOpened(AggregateCreated):
        """Waitlist policy opened."""

        actor: Actor

    @event(WaitlistPolicyOpened)
    def __init__(self, actor: Actor) -> None:
        self.hold_minutes = DEFAULT_HOLD_MINUTES
        self.round_size = DEFAULT_ROUND_SIZE

    @property
    def hold(self) -> timedelta:
        """How long the clients of one round hold an offer before it moves on."""
        return timedelta(minutes=self.hold_minutes)

    def set(self, *, hold_minutes: int, round_size: int, actor: Actor) -> None:
        """Change the hold (5 minutes to 2 days) and the round size (1 to 20 clients)."""
        require_range("hold_minutes", hold_minutes, 5, 2 * 24 * 60)
        require_range("round_size", round_size, 1, 20)
        if (hold_minutes, round_size) != (self.hold_minutes, self.round_size):
            self.trigger_event(
                self.WaitlistPolicySet,
                hold_minutes=hold_minutes,
                round_size=round_size,
                actor=actor,
            )

    class WaitlistPolicySet(ActorEvent):
        """Waitlist policy set."""

        hold_minutes: int
        round_size: int

        def apply(self, aggregate: WaitlistPolicy) -> None:
            aggregate.hold_minutes = self.hold_minutes
            aggregate.round_size = self.round_size
