"""The treatment plan: a client's series of sessions from proposal to discharge."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from service.domain.errors import (
    RuleViolated,
    SeriesFull,
    SessionStateError,
)
from service.domain.plan_reading import PlanReading
from service.domain.proposal import PlanProposal
from service.domain.rules import (
    require_text,
    validate_evaluation,
    validate_performance,
    validate_series,
)
from service.domain.values import (
    Actor,
    Assessment,
    Authorization,
    Evaluation,
    Intention,
    Performance,
    PlanStatus,
    Prescription,
    Referral,
    SeriesRule,
    SeriesSpec,
    Session,
    SessionStatus,
    SessionTime,
)


class TreatmentPlan(PlanReading, Aggregate):
    """A series of sessions a therapist proposed and a client agreed to."""

    @classmethod
    def propose(cls, proposal: PlanProposal, actor: Actor) -> TreatmentPlan:
        """Propose a plan after an assessment (the proposal checked itself when made)."""
        return cls(
            client_id=proposal.client_id,
            therapist_id=proposal.therapist_id,
            room_id=proposal.room_id,
            assessment=proposal.assessment,
            intention=proposal.intention,
            focus_areas=tuple(proposal.focus_areas),
            modalities=tuple(proposal.modalities),
            series=proposal.series,
            expected_progress=proposal.expected_progress,
            adjuncts=tuple(proposal.adjuncts),
            referral=proposal.referral,
            prescription=proposal.prescription,
            authorization=proposal.authorization,
            actor=actor,
        )

    class PlanProposed(Aggregate.Created):
        """Plan proposed."""

        client_id: UUID
        therapist_id: UUID
        room_id: UUID | None
        assessment: Assessment
        intention: Intention
        focus_areas: tuple[str, ...]
        modalities: tuple[str, ...]
        series: SeriesSpec
        expected_progress: str
        adjuncts: tuple[str, ...]
        referral: Referral | None
        prescription: Prescription | None
        authorization: Authorization | None
        actor: Actor

    @event(PlanProposed)
    def __init__(
        self,
        *,
        client_id: UUID,
        therapist_id: UUID,
        room_id: UUID | None,
        assessment: Assessment,
        intention: Intention,
        focus_areas: tuple[str, ...],
        modalities: tuple[str, ...],
        series: SeriesSpec,
        expected_progress: str,
        adjuncts: tuple[str, ...],
        referral: Referral | None,
        prescription: Prescription | None,
        authorization: Authorization | None,
        actor: Actor,
    ) -> None:
        self.client_id = client_id
        self.therapist_id = therapist_id
        self.room_id = room_id
        self.assessment = assessment
        self.intention = intention
        self.focus_areas = list(focus_areas)
        self.modalities = list(modalities)
        self.series = series
        self.expected_progress = expected_progress
        self.adjuncts = list(adjuncts)
        self.referrals: list[Referral] = [referral] if referral else []
        self.prescription = prescription
        self.authorization = authorization
        self.status = PlanStatus.PROPOSED
        self.sessions: list[Session] = []
        self.closing_note = ""
        self.series_rule: SeriesRule | None = None
        self.authorization_warned = False

    # --- commands -----------------------------------------------------------

    def agree(self, actor: Actor) -> None:
        """Record that the client agreed to the proposed plan."""
        self._require_open()
        if self.status is not PlanStatus.PROPOSED:
            raise RuleViolated("the plan is already agreed")
        self._agreed(actor=actor)

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
        self._series_scheduled(rule=rule, actor=actor)

    def flag_unrecorded(self, number: int, actor: Actor) -> bool:
        """Flag a booked session that ended with nothing recorded; once. Returns if flagged."""
        session = self.session(number)
        if not self.is_open or session.status is not SessionStatus.BOOKED or session.unrecorded:
            return False
        self._session_left_unrecorded(number=number, actor=actor)
        return True

    def warn_authorization(self, actor: Actor) -> bool:
        """Record, once, that the authorization is running out. Returns if warned."""
        if self.authorization is None or self.authorization_warned or not self.is_open:
            return False
        self._authorization_running_out(
            visits_left=self.authorized_visits_left,
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
        self._session_booked(
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
        self._session_rescheduled(
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
        self._session_cancelled(
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
        self._require_open()
        booked = self._booked(number)
        if now < booked.time.start:
            raise SessionStateError(f"session {number} has not started yet")
        self._session_missed(
            number=number, counts_against_authorization=no_show_counts, actor=actor
        )
        return self.sessions[number - 1]

    def perform_session(self, number: int, *, performance: Performance, actor: Actor) -> None:
        """Record what was done in a booked session."""
        self._require_open()
        self._booked(number)
        validate_performance(performance)
        self._session_performed(number=number, performance=performance, actor=actor)

    def evaluate_session(self, number: int, *, evaluation: Evaluation, actor: Actor) -> None:
        """Record the outcome of a performed session, once."""
        self._require_open()
        session = self.session(number)
        if session.status is not SessionStatus.PERFORMED:
            raise SessionStateError(
                f"session {number} is {session.status.value}; only a performed session "
                "can be evaluated"
            )
        if session.evaluation is not None:
            raise SessionStateError(f"session {number} is already evaluated")
        validate_evaluation(evaluation)
        self._outcome_evaluated(number=number, evaluation=evaluation, actor=actor)

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
        self._revised(series=series, reason=reason, actor=actor)

    def refer(self, *, referral: Referral, actor: Actor) -> None:
        """Refer the client to another health professional."""
        self._require_open()
        require_text("profession", referral.profession)
        self._referred(referral=referral, actor=actor)

    def complete(self, *, note: str, actor: Actor) -> list[Session]:
        """Discharge the client; outstanding bookings are cancelled. Returns them."""
        self._require_agreed()
        released = self._release_outstanding("plan completed", actor)
        self._completed(note=note, actor=actor)
        return released

    def cancel(self, *, reason: str, actor: Actor) -> list[Session]:
        """Cancel the whole plan; outstanding bookings are cancelled. Returns them."""
        self._require_open()
        require_text("reason", reason)
        released = self._release_outstanding(reason, actor)
        self._cancelled(reason=reason, actor=actor)
        return released

    # --- used by the commands ----------------------------------------------

    def _release_outstanding(self, reason: str, actor: Actor) -> list[Session]:
        outstanding = self.sessions_in(SessionStatus.BOOKED)
        for session in outstanding:
            self._session_cancelled(
                number=session.number,
                reason=reason,
                late_cancel=False,
                counts_against_authorization=False,
                actor=actor,
            )
        return outstanding

    def _replace_session(self, number: int, **changes: Any) -> None:
        self.sessions[number - 1] = replace(self.sessions[number - 1], **changes)

    # --- events: they only change state, so replay never re-checks rules ----

    class PlanAgreed(Aggregate.Event):
        """Plan agreed."""

        actor: Actor

    @event(PlanAgreed)
    def _agreed(self, actor: Actor) -> None:
        self.status = PlanStatus.AGREED

    class SessionBooked(Aggregate.Event):
        """Session booked."""

        number: int
        therapist_id: UUID
        room_id: UUID | None
        time: SessionTime
        authorization_override: str
        actor: Actor

    @event(SessionBooked)
    def _session_booked(
        self,
        number: int,
        therapist_id: UUID,
        room_id: UUID | None,
        time: SessionTime,
        authorization_override: str,
        actor: Actor,
    ) -> None:
        self.sessions.append(
            Session(
                number=number,
                therapist_id=therapist_id,
                room_id=room_id,
                time=time,
                authorization_override=authorization_override,
            )
        )

    class SessionRescheduled(Aggregate.Event):
        """Session rescheduled."""

        number: int
        previous: SessionTime
        therapist_id: UUID
        room_id: UUID | None
        time: SessionTime
        authorization_override: str
        actor: Actor

    @event(SessionRescheduled)
    def _session_rescheduled(
        self,
        number: int,
        previous: SessionTime,
        therapist_id: UUID,
        room_id: UUID | None,
        time: SessionTime,
        authorization_override: str,
        actor: Actor,
    ) -> None:
        self._replace_session(
            number,
            therapist_id=therapist_id,
            room_id=room_id,
            time=time,
            authorization_override=authorization_override
            or self.sessions[number - 1].authorization_override,
            unrecorded=False,
        )

    class SessionCancelled(Aggregate.Event):
        """Session cancelled."""

        number: int
        reason: str
        late_cancel: bool
        counts_against_authorization: bool
        actor: Actor

    @event(SessionCancelled)
    def _session_cancelled(
        self,
        number: int,
        reason: str,
        late_cancel: bool,
        counts_against_authorization: bool,
        actor: Actor,
    ) -> None:
        self._replace_session(
            number,
            status=SessionStatus.CANCELLED,
            late_cancel=late_cancel,
            counts_against_authorization=counts_against_authorization,
        )

    class SessionMissed(Aggregate.Event):
        """Session missed."""

        number: int
        counts_against_authorization: bool
        actor: Actor

    @event(SessionMissed)
    def _session_missed(
        self, number: int, counts_against_authorization: bool, actor: Actor
    ) -> None:
        self._replace_session(
            number,
            status=SessionStatus.MISSED,
            counts_against_authorization=counts_against_authorization,
        )

    class SessionPerformed(Aggregate.Event):
        """Session performed."""

        number: int
        performance: Performance
        actor: Actor

    @event(SessionPerformed)
    def _session_performed(self, number: int, performance: Performance, actor: Actor) -> None:
        self._replace_session(number, status=SessionStatus.PERFORMED, performance=performance)

    class OutcomeEvaluated(Aggregate.Event):
        """Outcome evaluated."""

        number: int
        evaluation: Evaluation
        actor: Actor

    @event(OutcomeEvaluated)
    def _outcome_evaluated(self, number: int, evaluation: Evaluation, actor: Actor) -> None:
        self._replace_session(number, evaluation=evaluation)

    class PlanRevised(Aggregate.Event):
        """Plan revised."""

        series: SeriesSpec
        reason: str
        actor: Actor

    @event(PlanRevised)
    def _revised(self, series: SeriesSpec, reason: str, actor: Actor) -> None:
        self.series = series

    class ClientReferred(Aggregate.Event):
        """Client referred."""

        referral: Referral
        actor: Actor

    @event(ClientReferred)
    def _referred(self, referral: Referral, actor: Actor) -> None:
        self.referrals.append(referral)

    class SeriesScheduled(Aggregate.Event):
        """Series scheduled."""

        rule: SeriesRule
        actor: Actor

    @event(SeriesScheduled)
    def _series_scheduled(self, rule: SeriesRule, actor: Actor) -> None:
        self.series_rule = rule

    class SessionLeftUnrecorded(Aggregate.Event):
        """Session left unrecorded."""

        number: int
        actor: Actor

    @event(SessionLeftUnrecorded)
    def _session_left_unrecorded(self, number: int, actor: Actor) -> None:
        self._replace_session(number, unrecorded=True)

    class AuthorizationRunningOut(Aggregate.Event):
        """Authorization running out."""

        visits_left: int | None
        valid_until: date
        actor: Actor

    @event(AuthorizationRunningOut)
    def _authorization_running_out(
        self, visits_left: int | None, valid_until: date, actor: Actor
    ) -> None:
        self.authorization_warned = True

    class PlanCompleted(Aggregate.Event):
        """Plan completed."""

        note: str
        actor: Actor

    @event(PlanCompleted)
    def _completed(self, note: str, actor: Actor) -> None:
        self.status = PlanStatus.COMPLETED
        self.closing_note = note

    class PlanCancelled(Aggregate.Event):
        """Plan cancelled."""

        reason: str
        actor: Actor

    @event(PlanCancelled)
    def _cancelled(self, reason: str, actor: Actor) -> None:
        self.status = PlanStatus.CANCELLED
        self.closing_note = reason
