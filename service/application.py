"""Regimen's use cases: one method each; load, decide, save atomically, return plain values."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from service.accounts import Accounts
from service.audit.trail import AuditTrail
from service.domain.client import Client
from service.domain.clinic import CLINIC_ID, Clinic
from service.domain.plan import TreatmentPlan
from service.domain.staff import Room, Therapist
from service.domain.values import (
    Actor,
    Closure,
    Performance,
    Referral,
)
from service.housekeeping import Housekeeping
from service.reminding import Reminding
from service.revision import Revisions


class Regimen(Housekeeping, Revisions, Accounts, AuditTrail, Reminding):
    """The clinic's use cases."""

    # --- setup ---------------------------------------------------------------

    def configure_clinic(self, *, actor: Actor, **settings: Any) -> Clinic:
        """Set (or change) the clinic's name, zone, hours and late-cancel policy."""
        clinic = self.find(Clinic, CLINIC_ID) or Clinic(actor)
        clinic.configure(actor=actor, **settings)
        self.save(clinic)
        return clinic

    def add_closure(self, *, actor: Actor, **closure: Any) -> Clinic:
        """Close the clinic on some days."""

        def attempt() -> Clinic:
            clinic = self.clinic()
            clinic.close(Closure(**closure), actor)
            self.save(clinic)
            return clinic

        return self.retrying(attempt)

    def register_therapist(self, *, actor: Actor, **details: Any) -> UUID:
        """Register a therapist."""
        therapist = Therapist.register(actor=actor, **details)
        self.save(therapist)
        return therapist.id

    def update_therapist(
        self, therapist_id: UUID, change: Callable[[Therapist], None]
    ) -> Therapist:
        """Apply a change (hours, time off) to a therapist and save it."""

        def attempt() -> Therapist:
            therapist = self.load(Therapist, therapist_id)
            change(therapist)
            self.save(therapist)
            return therapist

        return self.retrying(attempt)

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

    def update_client(self, client_id: UUID, changes: dict[str, Any], actor: Actor) -> Client:
        """Change a client's contact details."""

        def attempt() -> Client:
            client = self.load(Client, client_id)
            client.update(changes, actor)
            self.save(client)
            return client

        return self.retrying(attempt)

    # --- plans ---------------------------------------------------------------

    def propose_plan(self, *, actor: Actor, **proposal: Any) -> UUID:
        """A therapist proposes a plan for a client."""
        self.load(Client, proposal["client_id"])
        self.load(Therapist, proposal["therapist_id"])
        if proposal.get("room_id") is not None:
            self.load(Room, proposal["room_id"])
        plan = TreatmentPlan.propose(actor=actor, **proposal)
        self.save(plan)
        return plan.id

    def plan(self, plan_id: UUID, version: int | None = None) -> TreatmentPlan:
        """The plan now, or as it stood at a version."""
        return self.load(TreatmentPlan, plan_id, version=version)

    def change_plan(self, plan_id: UUID, change: Callable[[TreatmentPlan], None]) -> TreatmentPlan:
        """Apply a change that touches no calendar (agree, perform, evaluate, refer, revise)."""

        def attempt() -> TreatmentPlan:
            plan = self.plan(plan_id)
            change(plan)
            self.save(plan)
            return plan

        return self.retrying(attempt)

    def agree_plan(self, plan_id: UUID, *, actor: Actor) -> TreatmentPlan:
        """The client agrees to the proposed plan."""
        return self.change_plan(plan_id, lambda plan: plan.agree(actor))

    def perform_session(
        self, plan_id: UUID, number: int, *, performance: Performance, actor: Actor
    ) -> TreatmentPlan:
        """The therapist records what was done in a session."""
        return self.change_plan(
            plan_id,
            lambda plan: plan.perform_session(number, performance=performance, actor=actor),
        )

    def refer_client(self, plan_id: UUID, *, referral: Referral, actor: Actor) -> TreatmentPlan:
        """The therapist refers the client to another professional."""
        return self.change_plan(plan_id, lambda plan: plan.refer(referral=referral, actor=actor))


def utc_now() -> datetime:
    """The current instant: the entry points read the clock and pass `now` inward."""
    return datetime.now(UTC)
