"""Who may read or change a client's chart, and who read which plan's clinical record when."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from enum import Enum
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from service.domain.events import ActorEvent, AggregateCreated
from service.domain.values import Actor


class ChartUse(Enum):
    """What a therapist wants to do with a chart."""

    READ = "read"
    CHANGE = "change"


class ChartAccess(Enum):
    """The answer to a therapist asking for a chart."""

    ALLOWED = "allowed"  # their own client, or the clinic opens every chart
    BREAK_GLASS = "break_glass"  # outside their clients, read for a stated reason (logged)
    NEEDS_REASON = "needs_reason"  # outside their clients: reading needs a stated reason
    REFUSED = "refused"  # outside their clients: changing is never allowed
    UNLINKED = "unlinked"  # the user is tied to no therapist record


def chart_access(
    therapist_id: UUID | None,
    treating: Collection[UUID],
    *,
    open_to_all: bool,
    use: ChartUse,
    reason: str = "",
) -> ChartAccess:
    """Decide whether a therapist may read or change a client's chart.

    `treating` holds the therapists who treat the client (plans, booked sessions);
    `open_to_all` is the clinic's setting for small clinics where every therapist
    covers for every other. Breaking the glass is for reading only.
    """
    if therapist_id is None:
        return ChartAccess.UNLINKED
    if open_to_all or therapist_id in treating:
        return ChartAccess.ALLOWED
    if use is ChartUse.CHANGE:
        return ChartAccess.REFUSED
    return ChartAccess.BREAK_GLASS if reason.strip() else ChartAccess.NEEDS_REASON


class PlanAccessDay(Aggregate):
    """The reads of one plan's clinical record on one UTC day, in order."""

    @staticmethod
    def create_id(plan_id: UUID, day: date) -> UUID:
        """One log per plan per day: found without an index, and few writers contend."""
        return uuid5(NAMESPACE_URL, f"regimen:plan-access:{plan_id}:{day.isoformat()}")

    class AccessLogOpened(AggregateCreated):
        """Access log opened."""

        plan_id: UUID
        day: date
        actor: Actor

    @event(AccessLogOpened)
    def __init__(self, plan_id: UUID, day: date, actor: Actor, timestamp: datetime) -> None:
        self.plan_id = plan_id
        self.day = day
        self.views = 0

    class RecordViewed(ActorEvent):
        """Someone read (part of) the plan's clinical record."""

        record: str
        detail: str
        via: str
        reason: str = ""  # set for a read outside the reader's own clients (break the glass)

    @event(RecordViewed)
    def record_view(
        self,
        *,
        actor: Actor,
        record: str,
        detail: str,
        via: str,
        timestamp: datetime,
        reason: str = "",
    ) -> None:
        """Record that someone read (part of) the plan's clinical record."""
        self.views += 1
