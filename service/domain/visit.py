"""A visit outside a plan: a first assessment, a single session, or a follow-up.

A visit holds one session (number 0) and reserves its therapist and room through
the same calendar-day aggregates as a plan's sessions, under the visit's id. Its
events carry the same fields as a plan's session events, so the views read both.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from service.domain.billing_units import ProcedureUnits, UnitRule, bill
from service.domain.errors import RuleViolated, SessionStateError
from service.domain.events import ActorEvent, AggregateCreated
from service.domain.rules import (
    require_started,
    validate_amendment,
    validate_assessment,
    validate_performance,
)
from service.domain.text import require_safe_text
from service.domain.values import (
    Actor,
    Amendment,
    Assessment,
    Performance,
    Session,
    SessionStatus,
    SessionTime,
)

VISIT_NUMBER = 0  # a visit's one session, in calendar reservations and the views

# A visit is outside any plan, so no payer names a rule: Medicare's applies.
VISIT_UNIT_RULE = UnitRule.CMS_8_MINUTE


class VisitKind(Enum):
    """Why the client comes when no plan says so."""

    ASSESSMENT = "assessment"  # a first visit with a complaint; usually leads to a plan
    SINGLE = "single"  # one session, relaxation or clinical, no series
    FOLLOW_UP = "follow-up"  # a re-assessment, e.g. when a plan ends


@dataclass(frozen=True)
class VisitBooking:
    """What the desk books: who comes, to whom, why, and the session's time."""

    client_id: UUID
    therapist_id: UUID
    room_id: UUID | None
    kind: VisitKind
    time: SessionTime
    complaint: str = ""

    def __post_init__(self) -> None:
        require_safe_text("complaint", self.complaint, multiline=True)


class Visit(Aggregate):
    """A booked visit and what became of it."""

    @classmethod
    def book(cls, booking: VisitBooking, actor: Actor) -> Visit:
        """Book a visit (its calendar is held by the caller in the same save)."""
        return cls(**vars(booking), actor=actor)

    class VisitBooked(AggregateCreated):
        """Visit booked."""

        number: ClassVar[int] = VISIT_NUMBER
        client_id: UUID
        therapist_id: UUID
        room_id: UUID | None
        kind: VisitKind
        time: SessionTime
        complaint: str
        actor: Actor

    @event(VisitBooked)
    def __init__(
        self,
        client_id: UUID,
        therapist_id: UUID,
        room_id: UUID | None,
        kind: VisitKind,
        time: SessionTime,
        complaint: str,
        actor: Actor,
    ) -> None:
        self.client_id = client_id
        self.kind = kind
        self.complaint = complaint
        self.session = Session(
            number=VISIT_NUMBER, therapist_id=therapist_id, room_id=room_id, time=time
        )
        self.assessment: Assessment | None = None
        self.plan_id: UUID | None = None

    @property
    def status(self) -> SessionStatus:
        """Where the visit stands: booked, cancelled, missed or performed."""
        return self.session.status

    def reschedule(
        self, *, time: SessionTime, therapist_id: UUID, room_id: UUID | None, actor: Actor
    ) -> Session:
        """Move the booked visit to another time (and therapist or room)."""
        self._require_booked()
        self.trigger_event(
            self.VisitRescheduled,
            previous=self.session.time,
            therapist_id=therapist_id,
            room_id=room_id,
            time=time,
            actor=actor,
        )
        return self.session

    def cancel(
        self, *, reason: str, now: datetime, cancellation_window: timedelta, actor: Actor
    ) -> Session:
        """Cancel the booked visit; inside the clinic's window it is a late cancel."""
        self._require_booked()
        late = self.session.time.start - now < cancellation_window
        self.trigger_event(self.VisitCancelled, reason=reason, late_cancel=late, actor=actor)
        return self.session

    def record_no_show(self, *, now: datetime, actor: Actor) -> Session:
        """Record that the client did not come."""
        self._require_booked()
        require_started(self.session.time, now, "the visit")
        self.trigger_event(self.VisitMissed, actor=actor)
        return self.session

    def perform(self, performance: Performance, *, now: datetime, actor: Actor) -> None:
        """Record what was done; never before the visit has started."""
        self._require_booked()
        require_started(self.session.time, now, "the visit")
        validate_performance(performance)
        self.trigger_event(
            self.VisitPerformed,
            performance=performance,
            recorded_late=self.session.time.recorded_late(now),
            billed=bill(performance.procedures, VISIT_UNIT_RULE),
            actor=actor,
        )

    def amend_record(
        self, performance: Performance, *, reason: str, now: datetime, actor: Actor
    ) -> None:
        """Correct what was recorded of the visit; the original is kept in its amendments."""
        current = self.session.performance
        if current is None:
            raise SessionStateError("the visit has no record to amend")
        validate_performance(performance)
        validate_amendment(reason, current, performance)
        self.trigger_event(
            self.VisitRecordAmended,
            performance=performance,
            reason=reason,
            at=now,
            billed=bill(performance.procedures, VISIT_UNIT_RULE),
            actor=actor,
        )

    @property
    def amendments(self) -> tuple[Amendment, ...]:
        """The visit's amended records, earliest first, each with the value it replaced."""
        return self.session.amendments

    def record_assessment(self, assessment: Assessment, *, now: datetime, actor: Actor) -> None:
        """Record the therapist's assessment, once the visit has started."""
        if self.status in (SessionStatus.CANCELLED, SessionStatus.MISSED):
            raise SessionStateError(f"the visit is {self.status.value}")
        require_started(self.session.time, now, "the visit")
        validate_assessment(assessment)
        self.trigger_event(self.AssessmentRecorded, assessment=assessment, actor=actor)

    def lead_to_plan(self, plan_id: UUID, actor: Actor) -> None:
        """Record the plan proposed from this visit (the plan records the visit)."""
        if self.kind is VisitKind.SINGLE:
            raise RuleViolated("a plan is proposed from an assessment or follow-up visit")
        if self.status in (SessionStatus.CANCELLED, SessionStatus.MISSED):
            raise SessionStateError(f"the visit is {self.status.value}")
        if self.plan_id is not None:
            raise RuleViolated(f"a plan was already proposed from this visit: {self.plan_id}")
        self.trigger_event(self.PlanProposedFromVisit, plan_id=plan_id, actor=actor)

    def _change_session(self, **changes: Any) -> None:
        """Apply an event's change to the visit's one session."""
        self.session = replace(self.session, **changes)

    def _require_booked(self) -> None:
        if self.status is not SessionStatus.BOOKED:
            raise SessionStateError(f"the visit is {self.status.value}")

    class VisitRescheduled(ActorEvent):
        """Visit rescheduled."""

        number: ClassVar[int] = VISIT_NUMBER
        previous: SessionTime
        therapist_id: UUID
        room_id: UUID | None
        time: SessionTime

        def apply(self, aggregate: Visit) -> None:
            aggregate._change_session(
                therapist_id=self.therapist_id, room_id=self.room_id, time=self.time
            )

    class VisitCancelled(ActorEvent):
        """Visit cancelled."""

        number: ClassVar[int] = VISIT_NUMBER
        counts_against_authorization: ClassVar[bool] = False  # no plan, no authorization
        reason: str
        late_cancel: bool

        def apply(self, aggregate: Visit) -> None:
            aggregate._change_session(status=SessionStatus.CANCELLED, late_cancel=self.late_cancel)

    class VisitMissed(ActorEvent):
        """Visit missed."""

        number: ClassVar[int] = VISIT_NUMBER
        counts_against_authorization: ClassVar[bool] = False

        def apply(self, aggregate: Visit) -> None:
            aggregate._change_session(status=SessionStatus.MISSED)

    class VisitPerformed(ActorEvent):
        """Visit performed."""

        number: ClassVar[int] = VISIT_NUMBER
        performance: Performance
        recorded_late: bool
        billed: tuple[ProcedureUnits, ...] = ()  # the codes' units; added later

        def apply(self, aggregate: Visit) -> None:
            aggregate._change_session(
                status=SessionStatus.PERFORMED,
                performance=self.performance,
                billed=tuple(self.billed),  # JSON gives a list back
            )

    class VisitRecordAmended(ActorEvent):
        """Visit record amended (the replaced record stays in the visit's amendments)."""

        number: ClassVar[int] = VISIT_NUMBER
        performance: Performance
        reason: str
        at: datetime
        billed: tuple[ProcedureUnits, ...] = ()  # the corrected codes' units; added later

        def apply(self, aggregate: Visit) -> None:
            amendment = Amendment(
                what="record",
                reason=self.reason,
                actor=self.actor,
                at=self.at,
                replaced=aggregate.session.performance or self.performance,  # the command saw one
            )
            aggregate._change_session(
                performance=self.performance,
                amendments=(*aggregate.amendments, amendment),
                billed=tuple(self.billed),
            )

    class AssessmentRecorded(ActorEvent):
        """Assessment recorded."""

        assessment: Assessment

        def apply(self, aggregate: Visit) -> None:
            aggregate.assessment = self.assessment

    class PlanProposedFromVisit(ActorEvent):
        """Plan proposed from the visit."""

        plan_id: UUID

        def apply(self, aggregate: Visit) -> None:
            aggregate.plan_id = self.plan_id
