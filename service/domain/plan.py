"""The treatment plan: a client's series of sessions from proposal to discharge."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from service.domain.plan_commands import PlanCommands
from service.domain.proposal import PlanProposal
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


class TreatmentPlan(PlanCommands, Aggregate):
    """A client's series of sessions; its events only change state (the commands check rules)."""

    @classmethod
    def propose(cls, proposal: PlanProposal, actor: Actor) -> TreatmentPlan:
        """Propose a plan after an assessment (the proposal checked itself when made)."""
        return cls(**proposal.arguments(), actor=actor)

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
        self._start_as_proposed()

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
