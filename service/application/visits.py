"""Visits outside a plan: a first assessment, a single session, a follow-up."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from service.adapters.store import BaseApplication, retried
from service.application.billing import check_authorization_terms
from service.application.calendar_work import CalendarWork, check_slot, move_slot
from service.application.commands import Slot
from service.application.setup import load_clinic
from service.domain.client import Client
from service.domain.errors import RuleViolated
from service.domain.plan import TreatmentPlan
from service.domain.proposal import PlanProposal
from service.domain.staff import Room, Therapist
from service.domain.values import Actor, Assessment, Performance
from service.domain.visit import Visit, VisitBooking


class Visits(BaseApplication):
    """Book, move, cancel and record visits; their calendar is held like a plan's sessions."""

    def visit(self, visit_id: UUID) -> Visit:
        """The visit as it stands."""
        return self.load(Visit, visit_id)

    def chart_of(self, record_id: UUID) -> TreatmentPlan | Visit:
        """The plan or the visit of this id: the record whose client's chart is asked for.

        Read once whichever it is: every chart-scoped request asks.
        """
        record = self.current([record_id]).get(record_id)
        if isinstance(record, Visit):
            return self.found(Visit, record_id, record)
        return self.found(TreatmentPlan, record_id, record)

    @retried
    def book_visit(self, booking: VisitBooking, *, actor: Actor, now: datetime) -> Visit:
        """Book a visit, its therapist and room held in the same save."""
        self.load(Client, booking.client_id).require_not_erased()
        work = CalendarWork(self, actor)
        check_slot(work, booking.time, booking.therapist_id, booking.room_id, now)
        visit = Visit.book(booking, actor)
        work.reserve(visit.id, visit.session)
        self.save(visit, *work.changed())
        return visit

    @retried
    def reschedule_visit(self, visit_id: UUID, slot: Slot, *, actor: Actor, now: datetime) -> Visit:
        """Move a booked visit to a slot; the old one is freed in the same save."""
        visit = self.load(Visit, visit_id)
        work = CalendarWork(self, actor)
        moved = move_slot(work, visit.id, visit.session, slot, now)
        after = visit.reschedule(
            time=moved.time, therapist_id=moved.therapist_id, room_id=moved.room_id, actor=actor
        )
        work.reserve(visit.id, after)
        self.save(visit, *work.changed())
        return visit

    @retried
    def cancel_visit(self, visit_id: UUID, *, reason: str, actor: Actor, now: datetime) -> Visit:
        """Cancel a booked visit and free its time; inside the window it is a late cancel."""
        clinic = load_clinic(self)
        visit = self.load(Visit, visit_id)
        cancelled = visit.cancel(
            reason=reason, now=now, cancellation_window=clinic.cancellation_window, actor=actor
        )
        work = CalendarWork(self, actor)
        work.release(visit.id, cancelled)
        self.save(visit, *work.changed())
        return visit

    def record_visit_no_show(self, visit_id: UUID, *, actor: Actor, now: datetime) -> Visit:
        """The client did not come; the time stays held, as it was lost."""
        return self.change(Visit, visit_id, lambda v: v.record_no_show(now=now, actor=actor))

    def perform_visit(
        self, visit_id: UUID, performance: Performance, *, actor: Actor, now: datetime
    ) -> Visit:
        """The therapist records what was done in the visit."""
        return self.change(Visit, visit_id, lambda v: v.perform(performance, now=now, actor=actor))

    def amend_visit_record(
        self,
        visit_id: UUID,
        *,
        performance: Performance,
        reason: str,
        actor: Actor,
        now: datetime,
    ) -> Visit:
        """The therapist corrects the visit's record, saying why; the original stays."""
        return self.change(
            Visit,
            visit_id,
            lambda v: v.amend_record(performance, reason=reason, now=now, actor=actor),
        )

    def record_assessment(
        self, visit_id: UUID, assessment: Assessment, *, actor: Actor, now: datetime
    ) -> Visit:
        """The therapist records the assessment made during the visit."""
        return self.change(
            Visit, visit_id, lambda v: v.record_assessment(assessment, now=now, actor=actor)
        )

    @retried
    def assess_visit(
        self,
        visit_id: UUID,
        assessment: Assessment,
        *,
        proposal: PlanProposal | None,
        actor: Actor,
        now: datetime,
    ) -> UUID | None:
        """Record the visit's assessment and, if one is given, the plan proposed from it, in
        one save: both are kept or neither. An assessment equal to the one already recorded
        is not recorded twice. Returns the plan's id, or None for an assessment alone."""
        visit = self.load(Visit, visit_id)
        if visit.assessment != assessment:
            visit.record_assessment(assessment, now=now, actor=actor)
        if proposal is None:
            if visit.pending_events:
                self.save(visit)
            return None
        if proposal.from_visit_id != visit_id:
            raise RuleViolated("the plan must name the visit it is proposed from")
        if proposal.client_id != visit.client_id:
            raise RuleViolated("the visit the plan comes from is another client's")
        self.load(Therapist, proposal.therapist_id)
        if proposal.room_id is not None:
            self.load(Room, proposal.room_id)
        check_authorization_terms(self, proposal.authorization)  # as proposing without a visit
        plan = TreatmentPlan.propose(proposal, actor)
        visit.lead_to_plan(plan.id, actor)
        self.save(plan, visit)
        return plan.id
