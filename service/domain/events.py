"""What every change to a clinic's records carries: the user who made it."""

from __future__ import annotations

from eventsourcing.domain import Aggregate

from service.domain.values import Actor


class ActorEvent(Aggregate.Event):
    """A change some user made; the audit trail reads who from every one of them."""

    actor: Actor
