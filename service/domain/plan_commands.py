"""A treatment plan's commands: each checks its rules, then records one of the plan's events.

TreatmentPlan (service.domain.plan) mixes these in and defines the events, each applying its
own change: an event class must stay nested in its aggregate, whose module and name are its
stored topic.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from service.domain.errors import RuleViolated, SeriesFull
from service.domain.plan_records import PlanRecords
from service.domain.rules import (
    require_text,
    validate_series,
)
from service.domain.values import (
    Actor,
    PlanStatus,
    Referral,
    SeriesRule,
    SeriesSpec,
    Session,
    SessionStatus,
    SessionTime,
)


class PlanCommands(PlanRecords):
    """What can be done to a plan; every change is recorded by one of TreatmentPlan's events."""

    authorization_warned: bool
    # The plan's events, nested in TreatmentPlan; each applies its own change.
    PlanAgreed: ClassVar[type[Aggregate.Event]]
    SeriesScheduled: ClassVar[type[Aggregate.Event]]
    SessionLeftUnrecorded: ClassVar[type[Aggregate.Event]]
    AuthorizationRunningOut: ClassVar[type[Aggregate.Event]]
    SessionBooked: ClassVar[type[Aggregate.Event]]
    SessionRescheduled: ClassVar[type[Aggregate.Event]]
    SessionCancelled: ClassVar[type[Aggregate.Event]]
    SessionMissed: ClassVar[type[Aggregate.Event]]
    PlanRevised: ClassVar[type[Aggregate.Event]]
    ClientReferred: ClassVar[type[Aggregate.Event]]
    PlanCompleted: ClassVar[type[Aggregate.Event]]
    PlanCancelled: ClassVar[type[Aggregate.Event]]
    trigger_event: Callable[..., None]

    def agree(self, actor: Actor) -> None:
        """Record that the client agreed to the proposed plan."""
        self._require_open()
        if self.status is not PlanStatus.PROPOSED:
            raise RuleViolated("the plan is already agreed")
        self.trigger_event(self.PlanAgreed, actor=actor)

    def require_bookable(self) -> None:
        """Raise unless sessions can be booked now: agreed, open, not full."""
        self._require_agreed()
        if self.sessions_to_book == 0:
            raise SeriesFull(
                f"the plan has {self.series.sessions} sessions and all are booked or done"
            )

    def schedule_series(self, rule: SeriesRule, actor: Actor) -> None:
        """Record how the series is booked, for extending and re-booking it later."""
        self._require_agreed()
        self.trigger_event(self.SeriesScheduled, rule=rule, actor=actor)

    def flag_unrecorded(self, number: int, actor: Actor) -> bool:
        """Flag a booked session that ended with nothing recorded; once. Returns if flagged."""
        session = self.session(number)
        if not self.is_open or session.status is not SessionStatus.BOOKED or session.unrecorded:
            return False
        self.trigger_event(self.SessionLeftUnrecorded, number=number, actor=actor)
        return True

    def warn_authorization(self, actor: Actor) -> bool:
        """Record, once, that the authorization is running out. Returns if warned."""
        if self.authorization is None or self.authorization_warned or not self.is_open:
            return False
        self.trigger_event(
            self.AuthorizationRunningOut,
            visits_left=self.authorized_visits_left,
            units_left=self.authorized_units_left,
            valid_until=self.authorization.valid_until,
            actor=actor,
        )
        return True

    def book_session(
        self,
        *,
        time: SessionTime,
        therapist_id: UUID,
        room_id: UUID | None,
        actor: Actor,
        authorization_override: str = "",
    ) -> Session:
        """Book the next session of the series; returns it with its number."""
        self.require_bookable()
        self._check_authorization(time, authorization_override, extra_visit=True)
        self.trigger_event(
            self.SessionBooked,
            number=len(self.sessions) + 1,
            therapist_id=therapist_id,
            room_id=room_id,
            time=time,
            authorization_override=authorization_override.strip(),
            actor=actor,
        )
        return self.sessions[-1]

    def reschedule_session(
        self,
        number: int,
        *,
        time: SessionTime,
        therapist_id: UUID,
        room_id: UUID | None,
        actor: Actor,
        authorization_override: str = "",
    ) -> Session:
        """Move a booked session to another time (and therapist or room)."""
        self._require_agreed()
        previous = self._booked(number)
        self._check_authorization(time, authorization_override, extra_visit=False)
        self.trigger_event(
            self.SessionRescheduled,
            number=number,
            previous=previous.time,
            therapist_id=therapist_id,
            room_id=room_id,
            time=time,
            authorization_override=authorization_override.strip(),
            actor=actor,
        )
        return self.sessions[number - 1]

    def cancel_session(
        self,
        number: int,
        *,
        reason: str,
        now: datetime,
        cancellation_window: timedelta,
        late_cancel_counts: bool,
        actor: Actor,
    ) -> Session:
        """Cancel a booked session; inside the clinic's window it is a late cancel."""
        self._require_open()
        booked = self._booked(number)
        late = booked.time.start - now < cancellation_window
        self.trigger_event(
            self.SessionCancelled,
            number=number,
            reason=reason,
            late_cancel=late,
            counts_against_authorization=late and late_cancel_counts,
            actor=actor,
        )
        return self.sessions[number - 1]

    def record_no_show(
        self, number: int, *, now: datetime, no_show_counts: bool, actor: Actor
    ) -> Session:
        """Record that the client did not come to a booked session."""
        self._started(number, now)
        self.trigger_event(
            self.SessionMissed,
            number=number,
            counts_against_authorization=no_show_counts,
            actor=actor,
        )
        return self.sessions[number - 1]

    def revise(self, *, series: SeriesSpec, reason: str, actor: Actor) -> None:
        """Change the pace or length of the series."""
        self._require_open()
        validate_series(series)
        require_text("reason", reason)
        if series.sessions < self.active_sessions:
            raise RuleViolated(
                f"{self.active_sessions} sessions are booked or done; cancel some "
                f"before revising the series to {series.sessions}"
            )
        self.trigger_event(self.PlanRevised, series=series, reason=reason, actor=actor)

    def refer(self, *, referral: Referral, actor: Actor) -> None:
        """Refer the client to another health professional."""
        self._require_open()
        require_text("profession", referral.profession)
        self.trigger_event(self.ClientReferred, referral=referral, actor=actor)

    def complete(self, *, note: str, actor: Actor) -> list[Session]:
        """Discharge the client; outstanding bookings are cancelled. Returns them."""
        self._require_agreed()
        released = self._release_outstanding("plan completed", actor)
        self.trigger_event(self.PlanCompleted, note=note, actor=actor)
        return released

    def cancel(self, *, reason: str, actor: Actor) -> list[Session]:
        """Cancel the whole plan; outstanding bookings are cancelled. Returns them."""
        self._require_open()
        require_text("reason", reason)
        released = self._release_outstanding(reason, actor)
        self.trigger_event(self.PlanCancelled, reason=reason, actor=actor)
        return released

    def _start_as_proposed(self) -> None:
        """A new plan's own state: proposed, nothing booked, nothing closed or warned."""
        self.status = PlanStatus.PROPOSED
        self.sessions = []
        self.closing_note = ""
        self.series_rule: SeriesRule | None = None
        self.authorization_warned = False

    def _add_session(self, booked: Any) -> None:
        """Apply a SessionBooked event: the series gains its next session."""
        self.sessions.append(
            Session(
                number=booked.number,
                therapist_id=booked.therapist_id,
                room_id=booked.room_id,
                time=booked.time,
                authorization_override=booked.authorization_override,
            )
        )

    def _move_session(self, rescheduled: Any) -> None:
        """Apply a SessionRescheduled event: a move without a new override reason keeps the
        one the session was booked with, and a moved session is no longer unrecorded."""
        previous_override = self.sessions[rescheduled.number - 1].authorization_override
        self._replace_session(
            rescheduled.number,
            therapist_id=rescheduled.therapist_id,
            room_id=rescheduled.room_id,
            time=rescheduled.time,
            authorization_override=rescheduled.authorization_override or previous_override,
            unrecorded=False,
        )

    def _release_outstanding(self, reason: str, actor: Actor) -> list[Session]:
        outstanding = self.sessions_in(SessionStatus.BOOKED)
        for session in outstanding:
            self.trigger_event(
                self.SessionCancelled,
                number=session.number,
                reason=reason,
                late_cancel=False,
                counts_against_authorization=False,
                actor=actor,
            )
        return outstanding
