"""A series booked as the horizon moves: what it could not book, and why.

TreatmentPlan (service.domain.plan) mixes these commands in and defines their events
(OccurrencesPassedUnbooked, SeriesExtensionBlocked, SeriesExtensionUnblocked), each
applying its own change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import ClassVar

from eventsourcing.domain import Aggregate

from service.domain.plan_reading import PlanReading
from service.domain.values import Actor


class ConflictReason(Enum):
    """Why a session cannot take place at a time."""

    PAST = "past"
    CLOSURE = "closure"
    CLINIC_CLOSED = "clinic_closed"
    OFF_HOURS = "therapist_off_hours"
    TIME_OFF = "therapist_time_off"
    BUSY = "busy"


@dataclass(frozen=True)
class OccurrenceConflict:
    """One reason an occurrence of a series (at its local wall time) could not be booked."""

    local_start: datetime
    reason: ConflictReason
    detail: str


class RollingSeriesCommands(PlanReading):
    """What the scheduler records when a rolling series cannot simply be extended."""

    # Plans recorded before these events existed know of nothing passed or blocked.
    passed_unbooked: tuple[datetime, ...] = ()
    extension_blocked: tuple[OccurrenceConflict, ...] = ()
    OccurrencesPassedUnbooked: ClassVar[type[Aggregate.Event]]
    SeriesExtensionBlocked: ClassVar[type[Aggregate.Event]]
    SeriesExtensionUnblocked: ClassVar[type[Aggregate.Event]]
    trigger_event: Callable[..., None]

    def record_passed_unbooked(
        self, occurrences: Iterable[datetime], actor: Actor
    ) -> tuple[datetime, ...]:
        """Record the occurrences whose time passed with nothing booked (each once);
        returns those newly recorded."""
        new = tuple(sorted(set(occurrences) - set(self.passed_unbooked)))
        if new and self.is_open:
            self.trigger_event(self.OccurrencesPassedUnbooked, occurrences=new, actor=actor)
            return new
        return ()

    def record_extension_blocked(
        self, conflicts: Iterable[OccurrenceConflict], actor: Actor
    ) -> bool:
        """Record that the next occurrences cannot be booked, unless nothing changed since the
        last time; returns whether it was recorded."""
        found = tuple(conflicts)
        if not found or found == self.extension_blocked or not self.is_open:
            return False
        self.trigger_event(self.SeriesExtensionBlocked, conflicts=found, actor=actor)
        return True

    def clear_extension_block(self, actor: Actor) -> bool:
        """Record that the series extends again (booked, or the conflict went away)."""
        if not self.extension_blocked:
            return False
        self.trigger_event(self.SeriesExtensionUnblocked, actor=actor)
        return True
