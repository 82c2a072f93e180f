"""Reading the past: a plan's history in pages, the plan at a version or instant, the feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import takewhile
from typing import cast
from uuid import UUID

from eventsourcing.application import project_aggregate
from eventsourcing.domain import Aggregate

from service.audit.sealed import PLAN_TOPIC, SealedStore
from service.domain.errors import InvalidValue, NotFound
from service.domain.plan import TreatmentPlan

MAX_PAGE = 1000
MAX_VERSION = 2**31 - 1
MAX_POSITION = 2**62


@dataclass(frozen=True)
class LoggedEvent:
    """An event with its position in the global log."""

    position: int
    event: Aggregate.Event


class Replay(SealedStore):
    """History, as-of state and the global feed, read straight from the stored events."""

    def history_page(
        self, plan_id: UUID, after_version: int = 0, limit: int = 100
    ) -> tuple[list[Aggregate.Event], bool]:
        """A plan's events after a version, oldest first, and whether more follow."""
        _check_page(after_version, limit)
        self.require_plan(plan_id)
        events = list(self.events.get(plan_id, gt=after_version or None, limit=limit + 1))
        return [cast(Aggregate.Event, e) for e in events[:limit]], len(events) > limit

    def require_plan(self, plan_id: UUID) -> None:
        """NotFound unless a treatment plan with this id was stored."""
        first = self.recorder.select_events(plan_id, limit=1)
        if not first or not first[0].topic.startswith(PLAN_TOPIC):
            raise NotFound(f"no treatment plan with id {plan_id}")

    def plan_at(
        self, plan_id: UUID, *, version: int | None = None, as_of: datetime | None = None
    ) -> TreatmentPlan:
        """The plan now, as it stood at a version, or as it stood at an instant."""
        if version is not None and as_of is not None:
            raise InvalidValue("ask for a version or an instant (as_of), not both")
        if as_of is not None:
            return self.plan_as_of(plan_id, as_of)
        if version is None:
            return self.load(TreatmentPlan, plan_id)
        if not 1 <= version <= MAX_VERSION:
            raise InvalidValue(f"a version is between 1 and {MAX_VERSION}, not {version}")
        plan = self.load(TreatmentPlan, plan_id, version=version)
        if plan.version != version:
            raise NotFound(
                f"plan {plan_id} has {plan.version} versions; there is no version {version}"
            )
        return plan

    def plan_as_of(self, plan_id: UUID, instant: datetime) -> TreatmentPlan:
        """The plan after every event recorded at or before an instant."""
        if instant.tzinfo is None:
            raise InvalidValue("as_of needs a UTC offset, e.g. 2026-03-02T09:00:00+00:00")
        try:
            instant = instant.astimezone(UTC)
        except OverflowError:
            raise InvalidValue("as_of is out of range") from None
        events = cast(list[Aggregate.Event], list(self.events.get(plan_id)))
        if not events or not isinstance(events[0], TreatmentPlan.Event):
            raise NotFound(f"no treatment plan with id {plan_id}")
        known = list(takewhile(lambda e: e.timestamp <= instant, events))
        if not known:
            raise NotFound(
                f"plan {plan_id} did not exist yet at {instant.isoformat()}; "
                f"it was proposed at {events[0].timestamp.isoformat()}"
            )
        plan = project_aggregate(None, known)
        assert isinstance(plan, TreatmentPlan)
        return plan

    def plan_changes(
        self, plan_id: UUID, from_version: int, to_version: int | None = None
    ) -> tuple[TreatmentPlan, TreatmentPlan, list[Aggregate.Event]]:
        """The plan at two versions (the second defaults to now) and the events between."""
        after = self.plan_at(plan_id, version=to_version)
        if from_version > after.version:
            raise InvalidValue(f"from ({from_version}) must not come after to ({after.version})")
        before = self.plan_at(plan_id, version=from_version)
        events = self.events.get(plan_id, gt=from_version, lte=after.version)
        return before, after, [cast(Aggregate.Event, e) for e in events]

    def event_feed(self, after: int = 0, limit: int = 100) -> tuple[list[LoggedEvent], bool]:
        """The stored events after a position of the global log, in order, and if more follow."""
        _check_page(after, limit)
        notifications = self.recorder.select_notifications(
            start=after, limit=limit + 1, inclusive_of_start=False
        )
        events = [
            LoggedEvent(n.id, cast(Aggregate.Event, self.mapper.to_domain_event(n)))
            for n in notifications[:limit]
        ]
        return events, len(notifications) > limit

    def plan_events(self, plan_id: UUID) -> list[LoggedEvent]:
        """A plan's events with their positions in the log, oldest first."""
        self.require_plan(plan_id)
        positions = self.chain.positions_of(plan_id)
        return [
            LoggedEvent(positions.get(e.originator_version, 0), cast(Aggregate.Event, e))
            for e in self.events.get(plan_id)
        ]


def _check_page(after: int, limit: int) -> None:
    if not 0 <= after <= MAX_POSITION:
        raise InvalidValue(f"a position or version to start after is 0 to {MAX_POSITION}")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidValue(f"limit must be between 1 and {MAX_PAGE}, not {limit}")
