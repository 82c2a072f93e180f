"""A plan's clinical steps that touch no calendar, and closing a plan, which frees it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from service.adapters.store import BaseApplication, retried
from service.application.billing import check_authorization_terms, perform, unit_rule
from service.application.calendar_work import CalendarWork
from service.domain.client import Client
from service.domain.errors import RuleViolated
from service.domain.plan import TreatmentPlan
from service.domain.proposal import PlanProposal
from service.domain.staff import Room, Therapist
from service.domain.values import Actor, Evaluation, Performance, Referral, Session
from service.domain.visit import Visit


class Plans(BaseApplication):
    """Propose, agree, perform, refer, complete or cancel a treatment plan."""

    @retried
    def propose_plan(self, proposal: PlanProposal, *, actor: Actor) -> UUID:
        """A therapist proposes a plan for a client, from the visit it came out of if any;
        the plan and the visit record each other in one save."""
        self.load(Client, proposal.client_id).require_not_erased()
        self.load(Therapist, proposal.therapist_id)
        check_authorization_terms(self, proposal.authorization)
        if proposal.room_id is not None:
            self.load(Room, proposal.room_id)
        visit = None
        if proposal.from_visit_id is not None:
            visit = self.load(Visit, proposal.from_visit_id)
            if visit.client_id != proposal.client_id:
                raise RuleViolated("the visit the plan comes from is another client's")
        plan = TreatmentPlan.propose(proposal, actor)
        if visit is not None:
            visit.lead_to_plan(plan.id, actor)
            self.save(plan, visit)
        else:
            self.save(plan)
        return plan.id

    def plan(self, plan_id: UUID, version: int | None = None) -> TreatmentPlan:
        """The plan now, or as it stood at a version."""
        return self.load(TreatmentPlan, plan_id, version=version)

    def agree_plan(self, plan_id: UUID, *, actor: Actor) -> TreatmentPlan:
        """The client agrees to the proposed plan."""
        return self.change(TreatmentPlan, plan_id, lambda plan: plan.agree(actor))

    def perform_session(
        self,
        plan_id: UUID,
        number: int,
        *,
        performance: Performance,
        actor: Actor,
        now: datetime,
        authorization_override: str = "",
    ) -> TreatmentPlan:
        """The therapist records what was done in a session (once it has started); its codes
        bill units under the plan's payer's rule."""
        return self.change(
            TreatmentPlan,
            plan_id,
            lambda plan: perform(
                self, plan, number, performance, actor, now, authorization_override
            ),
        )

    def amend_session_record(
        self,
        plan_id: UUID,
        number: int,
        *,
        performance: Performance,
        reason: str,
        actor: Actor,
        now: datetime,
    ) -> TreatmentPlan:
        """The therapist corrects a session's record, saying why; the original stays."""
        return self.change(
            TreatmentPlan,
            plan_id,
            lambda plan: plan.amend_session_record(
                number, performance, reason=reason, actor=actor, now=now, rule=unit_rule(self, plan)
            ),
        )

    def amend_evaluation(
        self,
        plan_id: UUID,
        number: int,
        *,
        evaluation: Evaluation,
        reason: str,
        actor: Actor,
        now: datetime,
    ) -> TreatmentPlan:
        """The therapist corrects a session's evaluation, saying why; the original stays.

        The plan's pace is not revised by it: a new interval is a revision of its own."""
        return self.change(
            TreatmentPlan,
            plan_id,
            lambda plan: plan.amend_evaluation(
                number, evaluation, reason=reason, actor=actor, now=now
            ),
        )

    def refer_client(self, plan_id: UUID, *, referral: Referral, actor: Actor) -> TreatmentPlan:
        """The therapist refers the client to another professional."""
        return self.change(
            TreatmentPlan, plan_id, lambda plan: plan.refer(referral=referral, actor=actor)
        )

    def complete_plan(self, plan_id: UUID, *, note: str, actor: Actor) -> TreatmentPlan:
        """Discharge the client; sessions still booked are cancelled and freed."""
        return self._close_plan(plan_id, actor, lambda plan: plan.complete(note=note, actor=actor))

    def cancel_plan(self, plan_id: UUID, *, reason: str, actor: Actor) -> TreatmentPlan:
        """Cancel the plan; sessions still booked are cancelled and freed."""
        return self._close_plan(
            plan_id, actor, lambda plan: plan.cancel(reason=reason, actor=actor)
        )

    @retried
    def _close_plan(
        self, plan_id: UUID, actor: Actor, close: Callable[[TreatmentPlan], list[Session]]
    ) -> TreatmentPlan:
        """Close the plan and free what its still-booked sessions held, in one save."""
        plan = self.load(TreatmentPlan, plan_id)
        released = close(plan)
        work = CalendarWork(self, actor)
        for session in released:
            work.release(plan.id, session)
        self.save(plan, *work.changed())
        return plan
