"""Regimen's use cases: one method each; load, decide, save atomically, return plain values."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from service.adapters.store import retried
from service.application.accounts import Accounts
from service.application.housekeeping import Housekeeping
from service.application.reminding import Reminding
from service.application.revision import Revisions
from service.audit.trail import AuditTrail
from service.domain.client import Client
from service.domain.clinic import CLINIC_ID, Clinic, ClinicSettings
from service.domain.plan import TreatmentPlan
from service.domain.proposal import PlanProposal
from service.domain.staff import Room, Therapist
from service.domain.values import (
    Actor,
    Closure,
    Performance,
    Referral,
    TimeOff,
    WeeklyHours,
)


class Regimen(Housekeeping, Revisions, Accounts, AuditTrail, Reminding):
    """The clinic's use cases."""

    # --- setup ---------------------------------------------------------------

    def configure_clinic(self, settings: ClinicSettings, *, actor: Actor) -> Clinic:
        """Set (or change) the clinic's name, zone, hours and late-cancel policy."""
        clinic = self.find(Clinic, CLINIC_ID) or Clinic(actor)
        clinic.configure(settings, actor)
        self.save(clinic)
        return clinic

    @retried
    def add_closure(self, *, actor: Actor, **closure: Any) -> Clinic:
        """Close the clinic on some days."""
        clinic = self.clinic()
        clinic.close(Closure(**closure), actor)
        self.save(clinic)
        return clinic

    def register_therapist(self, *, actor: Actor, **details: Any) -> UUID:
        """Register a therapist."""
        therapist = Therapist.register(actor=actor, **details)
        self.save(therapist)
        return therapist.id

    @retried
    def set_working_hours(self, therapist_id: UUID, hours: WeeklyHours, actor: Actor) -> Therapist:
        """Replace a therapist's weekly working hours."""
        therapist = self.load(Therapist, therapist_id)
        therapist.set_working_hours(hours, actor)
        self.save(therapist)
        return therapist

    @retried
    def take_time_off(self, therapist_id: UUID, absence: TimeOff, actor: Actor) -> Therapist:
        """Record a therapist's absence."""
        therapist = self.load(Therapist, therapist_id)
        therapist.take_time_off(absence, actor)
        self.save(therapist)
        return therapist

    def add_room(self, *, name: str, actor: Actor) -> UUID:
        """Add a treatment room."""
        room = Room.add(name=name, actor=actor)
        self.save(room)
        return room.id

    # --- clients -------------------------------------------------------------

    def register_client(self, *, actor: Actor, **details: Any) -> UUID:
        """Register a client."""
        client = Client.register(actor=actor, **details)
        self.save(client)
        return client.id

    @retried
    def update_client(self, client_id: UUID, changes: dict[str, Any], actor: Actor) -> Client:
        """Change a client's contact details."""
        client = self.load(Client, client_id)
        client.update(changes, actor)
        self.save(client)
        return client

    # --- plans ---------------------------------------------------------------

    def propose_plan(self, proposal: PlanProposal, *, actor: Actor) -> UUID:
        """A therapist proposes a plan for a client."""
        self.load(Client, proposal.client_id)
        self.load(Therapist, proposal.therapist_id)
        if proposal.room_id is not None:
            self.load(Room, proposal.room_id)
        plan = TreatmentPlan.propose(proposal, actor)
        self.save(plan)
        return plan.id

    def plan(self, plan_id: UUID, version: int | None = None) -> TreatmentPlan:
        """The plan now, or as it stood at a version."""
        return self.load(TreatmentPlan, plan_id, version=version)

    @retried
    def _change_plan(self, plan_id: UUID, change: Callable[[TreatmentPlan], None]) -> TreatmentPlan:
        """Apply a change that touches no calendar (agree, perform, evaluate, refer, revise)."""
        plan = self.plan(plan_id)
        change(plan)
        self.save(plan)
        return plan

    def agree_plan(self, plan_id: UUID, *, actor: Actor) -> TreatmentPlan:
        """The client agrees to the proposed plan."""
        return self._change_plan(plan_id, lambda plan: plan.agree(actor))

    def perform_session(
        self, plan_id: UUID, number: int, *, performance: Performance, actor: Actor
    ) -> TreatmentPlan:
        """The therapist records what was done in a session."""
        return self._change_plan(
            plan_id,
            lambda plan: plan.perform_session(number, performance=performance, actor=actor),
        )

    def refer_client(self, plan_id: UUID, *, referral: Referral, actor: Actor) -> TreatmentPlan:
        """The therapist refers the client to another professional."""
        return self._change_plan(plan_id, lambda plan: plan.refer(referral=referral, actor=actor))


def utc_now() -> datetime:
    """The current instant: the entry points read the clock and pass `now` inward."""
    return datetime.now(UTC)
