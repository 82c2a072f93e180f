"""A treatment plan's clinical records: performing a session, evaluating its outcome, and
amending either, the original kept beside the correction.

PlanCommands (service.domain.plan_commands) builds on these; TreatmentPlan defines the events.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any, ClassVar

from eventsourcing.domain import Aggregate

from service.domain.billing_units import UnitRule, bill
from service.domain.errors import PlanClosed, SessionStateError
from service.domain.plan_reading import PlanReading, session_units
from service.domain.rules import (
    require_started,
    validate_amendment,
    validate_evaluation,
    validate_performance,
)
from service.domain.values import (
    Actor,
    Amendment,
    Evaluation,
    Performance,
    PlanStatus,
    Session,
    SessionStatus,
)


class PlanRecords(PlanReading):
    """What a therapist records of a plan's sessions; each by one of TreatmentPlan's events."""

    SessionPerformed: ClassVar[type[Aggregate.Event]]
    OutcomeEvaluated: ClassVar[type[Aggregate.Event]]
    SessionRecordAmended: ClassVar[type[Aggregate.Event]]
    EvaluationAmended: ClassVar[type[Aggregate.Event]]
    trigger_event: Callable[..., None]

    def perform_session(
        self,
        number: int,
        *,
        performance: Performance,
        actor: Actor,
        now: datetime,
        rule: UnitRule = UnitRule.CMS_8_MINUTE,
        authorization_override: str = "",
    ) -> None:
        """Record what was done in a booked session; never before it has started.

        The codes' minutes bill units under `rule`, the plan's payer's: the application
        passes it, and Medicare's 8-minute rule applies to a plan no payer pays for. Codes
        billing more units than the session planned must fit the authorization, unless the
        session was booked beyond it or an override reason is given now.
        """
        booked = self._started(number, now)
        validate_performance(performance)
        billed = bill(performance.procedures, rule)
        override = authorization_override.strip()
        if not (override or booked.authorization_override):
            more = sum(b.units for b in billed) - session_units(booked)
            self._check_units(
                more, f"its codes bill {more} more than session {number} was booked for"
            )
        self.trigger_event(
            self.SessionPerformed,
            number=number,
            performance=performance,
            recorded_late=booked.time.recorded_late(now),
            billed=billed,
            authorization_override=override,
            actor=actor,
        )

    def _started(self, number: int, now: datetime) -> Session:
        """A booked session of an open plan whose time has come: only then is there
        something to record of it."""
        self._require_open()
        booked = self._booked(number)
        require_started(booked.time, now, f"session {number}")
        return booked

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
        self.trigger_event(self.OutcomeEvaluated, number=number, evaluation=evaluation, actor=actor)

    def amend_session_record(
        self,
        number: int,
        performance: Performance,
        *,
        reason: str,
        actor: Actor,
        now: datetime,
        rule: UnitRule = UnitRule.CMS_8_MINUTE,
    ) -> None:
        """Correct what was recorded of a performed session; the original is kept beside it.
        The corrected codes bill their units again under `rule` (see perform_session)."""
        self._amend(
            self.SessionRecordAmended,
            number,
            "performance",
            performance,
            reason,
            actor,
            now,
            billed=bill(performance.procedures, rule),
        )

    def amend_evaluation(
        self, number: int, evaluation: Evaluation, *, reason: str, actor: Actor, now: datetime
    ) -> None:
        """Correct a session's recorded outcome; the original is kept in its amendments."""
        self._amend(self.EvaluationAmended, number, "evaluation", evaluation, reason, actor, now)

    def _amend(
        self,
        amended: type[Aggregate.Event],
        number: int,
        field: str,
        value: Performance | Evaluation,
        reason: str,
        actor: Actor,
        now: datetime,
        **more: object,
    ) -> None:
        """An amendment needs an open plan, something recorded to amend, a reason and a
        change; the event keeps the original beside the correction."""
        self._require_not_cancelled()
        current = getattr(self.session(number), field)
        if current is None:
            what = "record" if field == "performance" else field
            raise SessionStateError(f"session {number} has no {what} to amend")
        validate_amendment(reason, current, value)
        if isinstance(value, Performance):
            validate_performance(value)
        else:
            validate_evaluation(value)
        self.trigger_event(
            amended, number=number, reason=reason, at=now, actor=actor, **{field: value}, **more
        )

    def _require_not_cancelled(self) -> None:
        """A completed plan's records can still be corrected; a cancelled plan's cannot."""
        if self.status is PlanStatus.CANCELLED:
            raise PlanClosed("the plan is cancelled; its records cannot be amended")

    def _replace_session(self, number: int, **changes: Any) -> None:
        self.sessions[number - 1] = replace(self.sessions[number - 1], **changes)

    def _record_performance(self, performed: Any) -> None:
        """Apply a SessionPerformed event; an event without an override reason (or from before
        there were any) keeps the one the session was booked with."""
        session = self.sessions[performed.number - 1]
        self._replace_session(
            performed.number,
            status=SessionStatus.PERFORMED,
            performance=performed.performance,
            billed=tuple(performed.billed),  # JSON gives a list back
            authorization_override=performed.authorization_override
            or session.authorization_override,
        )

    def _amend_session(self, amended: Any, what: str, **changes: Any) -> None:
        """Replace a session's record or evaluation, keeping the replaced one as an amendment;
        the first change names what is replaced, any other goes with it (a record's units)."""
        session = self.sessions[amended.number - 1]
        field, value = next(iter(changes.items()))
        amendment = Amendment(
            what=what,
            reason=amended.reason,
            actor=amended.actor,
            at=amended.at,
            replaced=getattr(session, field) or value,  # the command saw one
        )
        self._replace_session(
            amended.number, **changes, amendments=(*session.amendments, amendment)
        )
