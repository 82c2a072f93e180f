"""Who read which plan's clinical record, and when: one append-only log per plan per day."""

from __future__ import annotations

from datetime import date, datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from service.domain.values import Actor


class PlanAccessDay(Aggregate):
    """The reads of one plan's clinical record on one UTC day, in order."""

    @staticmethod
    def create_id(plan_id: UUID, day: date) -> UUID:
        """One log per plan per day: found without an index, and few writers contend."""
        return uuid5(NAMESPACE_URL, f"regimen:plan-access:{plan_id}:{day.isoformat()}")

    @event("AccessLogOpened")
    def __init__(self, plan_id: UUID, day: date, actor: Actor, timestamp: datetime) -> None:
        self.plan_id = plan_id
        self.day = day
        self.views = 0

    class RecordViewed(Aggregate.Event):
        """Someone read (part of) the plan's clinical record."""

        actor: Actor
        record: str
        detail: str
        via: str

    @event(RecordViewed)
    def record_view(
        self, *, actor: Actor, record: str, detail: str, via: str, timestamp: datetime
    ) -> None:
        """Record that someone read (part of) the plan's clinical record."""
        self.views += 1
