"""The treatment plan: a client's series of sessions from proposal to discharge."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from service.domain.billing_units import ProcedureUnits
from service.domain.events import ActorEvent, AggregateCreated
from service.domain.measures import Instrument
from service.domain.plan_commands import PlanCommands
from service.domain.proposal import PlanProposal
from service.domain.rolling_series import OccurrenceConflict, RollingSeriesCommands
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
    SessionStatus,
    SessionTime,
)


class TreatmentPlan(PlanCommands, RollingSeriesCommands, Aggregate):
    """A client's series of sessions; its events only change state (the commands check rules)."""

    from_visit_id: UUID | None = None  # also for plans snapshotted before visits existed
    # The instruments tracked (none before they existed); a list, as snapshots give it back.
    measures: list[Instrument] | tuple[()] = ()

    @classmethod
    def propose(cls, proposal: PlanProposal, actor: Actor) -> TreatmentPlan:
        """Propose a plan after an assessment (the proposal checked itself when made)."""
        return cls(**proposal.arguments(), actor=actor)

    class PlanProposed(AggregateCreated):
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
        from_visit_id: UUID | None = None  # the assessment visit it came out of, if any
        measures: tuple[Instrument, ...] = ()  # the outcome measures the plan tracks

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
        from_visit_id: UUID | None = None,
        measures: tuple[Instrument, ...] = (),
    ) -> None:
        self.client_id = client_id
        self.from_visit_id = from_visit_id
        self.measures = list(measures)
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

    class PlanAgreed(ActorEvent):
        """Plan agreed."""

        def apply(self, aggregate: TreatmentPlan) -> None:
            aggregate.status = PlanStatus.AGREED

    class SessionBooked(ActorEvent):
        """Session booked."""

        number: int
        therapist_id: UUID
        room_id: UUID | None
        time: SessionTime
        authorization_override: str

        def apply(self, aggregate: TreatmentPlan) -> None:
            aggregate._add_session(self)

    class SessionRescheduled(ActorEvent):
        """Session rescheduled."""

        number: int
        previous: SessionTime
        therapist_id: UUID
        room_id: UUID | None
        time: SessionTime
        authorization_override: str

        def apply(self, aggregate: TreatmentPlan) -> None:
            aggregate._move_session(self)

    class SessionCancelled(ActorEvent):
        """Session cancelled."""

        number: int
        reason: str
        late_cancel: bool
        counts_against_authorization: bool

        def apply(self, aggregate: TreatmentPlan) -> None:
            aggregate._replace_session(
                self.number,
                status=SessionStatus.CANCELLED,
                late_cancel=self.late_cancel,
                counts_against_authorization=self.counts_against_authorization,
            )

    class SessionMissed(ActorEvent):
        """Session missed."""

        number: int
        counts_against_authorization: bool

        def apply(self, aggregate: TreatmentPlan) -> None:
            aggregate._replace_session(
                self.number,
                status=SessionStatus.MISSED,
                counts_against_authorization=self.counts_against_authorization,
            )

    class SessionPerformed(ActorEvent):
        """Session performed."""

        number: int
        performance: Performance
        recorded_late: bool = False  # recorded hours after the session ended
        billed: tuple[ProcedureUnits, ...] = ()  # the codes' units; added later
        authorization_override: str = ""  # why the codes may go beyond it; added later

        def apply(self, aggregate: TreatmentPlan) -> None:
            aggregate._record_performance(self)

    class OutcomeEvaluated(ActorEvent):
        """Outcome evaluated."""

        number: int
        evaluation: Evaluation

        def apply(self, aggregate: TreatmentPlan) -> None:
            aggregate._replace_session(self.number, evaluation=self.evaluation)

    class SessionRecordAmended(ActorEvent):
        """Session record amended (the replaced record stays in the session's amendments)."""

        number: int
        performance: Performance
        reason: str
        at: datetime
        billed: tuple[ProcedureUnits, ...] = ()  # the corrected codes' units; added later

        def apply(self, aggregate: TreatmentPlan) -> None:
            aggregate._amend_session(
                self, "record", performance=self.performance, billed=tuple(self.billed)
            )

    class EvaluationAmended(ActorEvent):
        """Evaluation amended (the replaced evaluation stays in the session's amendments)."""

        number: int
        evaluation: Evaluation
        reason: str
        at: datetime

        def apply(self, aggregate: TreatmentPlan) -> None:
            aggregate._amend_session(self, "evaluation", evaluation=self.evaluation)

    class PlanRevised(ActorEvent):
        """Plan revised."""

        series: SeriesSpec
        reason: str

        def apply(self, aggregate: TreatmentPlan) -> None:
            aggregate.series = self.series

    class ClientReferred(ActorEvent):
        """Client referred."""

        referral: Referral

        def apply(self, aggregate: TreatmentPlan) -> None:
            aggregate.referrals.append(self.referral)

    class SeriesScheduled(ActorEvent):
        """Series scheduled."""

        rule: SeriesRule

        def apply(self, aggregate: TreatmentPlan) -> None:
            aggregate.series_rule = self.rule

    class SessionLeftUnrecorded(ActorEvent):
        """Session left unrecorded."""

        number: int

        def apply(self, aggregate: TreatmentPlan) -> None:
            aggregate._replace_session(self.number, unrecorded=True)

    class AuthorizationRunningOut(ActorEvent):
        """Authorization running out."""

        visits_left: int | None
        valid_until: date
        units_left: int | None = None  # added later; None unless the authorization counts units

        def apply(self, aggregate: TreatmentPlan) -> None:
            aggregate.authorization_warned = True

    class OccurrencesPassedUnbooked(ActorEvent):
        """Occurrences of the series passed unbooked (the scheduler was not running)."""

        occurrences: tuple[datetime, ...]  # local wall times

        def apply(self, aggregate: TreatmentPlan) -> None:
            aggregate.passed_unbooked = (*aggregate.passed_unbooked, *self.occurrences)

    class SeriesExtensionBlocked(ActorEvent):
        """The next occurrences of the series cannot be booked under its policy."""

        conflicts: tuple[OccurrenceConflict, ...]

        def apply(self, aggregate: TreatmentPlan) -> None:
            aggregate.extension_blocked = tuple(self.conflicts)

    class SeriesExtensionUnblocked(ActorEvent):
        """The series extends again."""

        def apply(self, aggregate: TreatmentPlan) -> None:
            aggregate.extension_blocked = ()

    class PlanCompleted(ActorEvent):
        """Plan completed."""

        note: str

        def apply(self, aggregate: TreatmentPlan) -> None:
            aggregate.status = PlanStatus.COMPLETED
            aggregate.closing_note = self.note

    class PlanCancelled(ActorEvent):
        """Plan cancelled."""

        reason: str

        def apply(self, aggregate: TreatmentPlan) -> None:
            aggregate.status = PlanStatus.CANCELLED
            aggregate.closing_note = self.reason
