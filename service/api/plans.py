"""Treatment plans: propose, agree, book, revise, refer, complete, cancel; read as of then."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView

from service.adapters.preconditions import noting_saves
from service.api.audit_schemas import PlanAsOfQuerySchema
from service.api.auth import CLINICAL, DESK, STAFF, current_actor
from service.api.charts import CHANGE, READ, proposing_therapist
from service.api.context import etag, now, reads, regimen
from service.api.pages import window
from service.api.plan_out_schemas import PlanOutSchema, SessionOutSchema
from service.api.plan_schemas import (
    CancelPlanSchema,
    CompleteSchema,
    CreatedSchema,
    EmptySchema,
    PlanProposalSchema,
    ReferralSchema,
)
from service.api.resource import ResourceBlueprint, versioned
from service.api.session_schemas import BookingSchema
from service.api.view_schemas import PlanListQuerySchema, PlanRowSchema
from service.application.commands import Slot
from service.domain.proposal import PlanProposal

blp = ResourceBlueprint("plans", __name__, description="Treatment plans and their lifecycle")


def slot_of(booking: dict[str, Any]) -> Slot:
    """A BookingSchema body (or a visit's, which has no override) as the use cases take it."""
    return Slot(
        local_start=booking["start"],
        zone=booking["timezone"],
        therapist_id=booking["therapist_id"],
        room_id=booking["room_id"],
        authorization_override=booking.get("authorization_override", ""),
    )


@blp.route("/plans")
class PlansView(MethodView):
    """Treatment plans."""

    @blp.listing(STAFF, PlanListQuerySchema(), PlanRowSchema(many=True))
    def get(self, query: dict[str, Any]) -> Any:
        """List plans, newest first, by client, therapist or status, with their progress"""
        return reads().plans(
            client_id=str(query["client_id"]) if query["client_id"] else None,
            therapist_id=str(query["therapist_id"]) if query["therapist_id"] else None,
            status=query["status"],
            **window(query),
        )

    @blp.change(CLINICAL, PlanProposalSchema(), CreatedSchema, status=201)
    def post(self, proposal: dict[str, Any]) -> Any:
        """Propose a treatment plan after an assessment (for oneself, unless charts are open)"""
        proposal["therapist_id"] = proposing_therapist(proposal["therapist_id"])
        plan_id = regimen().propose_plan(PlanProposal(**proposal), actor=current_actor())
        return {"id": plan_id}, 201, {"Location": f"/api/v1/plans/{plan_id}"}


@blp.route("/plans/<uuid:plan_id>")
class PlanView(MethodView):
    """One plan."""

    @blp.reading(STAFF, PlanOutSchema, query=PlanAsOfQuerySchema(), use=READ)
    def get(self, when: dict[str, Any], plan_id: UUID) -> Any:
        """Read a plan now, at ?version=N or ?as_of=<instant> (front desk: no clinical details)"""
        return versioned(regimen().plan_at(plan_id, version=when["version"], as_of=when["as_of"]))


@blp.route("/plans/<uuid:plan_id>/agree")
class AgreeView(MethodView):
    """Consent."""

    @blp.change(DESK, EmptySchema(), PlanOutSchema)
    def post(self, _: dict[str, Any], plan_id: UUID) -> Any:
        """Record that the client agreed to the plan"""
        return versioned(regimen().agree_plan(plan_id, actor=current_actor()))


@blp.route("/plans/<uuid:plan_id>/sessions")
class SessionsView(MethodView):
    """Booking one session."""

    @blp.change(DESK, BookingSchema(), SessionOutSchema, status=201)
    def post(self, booking: dict[str, Any], plan_id: UUID) -> Any:
        """Book the plan's next session at a local time"""
        with noting_saves() as saved:
            session = regimen().book_session(
                plan_id, slot_of(booking), actor=current_actor(), now=now()
            )
        location = f"/api/v1/plans/{plan_id}/sessions/{session.number}"
        return session, 201, {"Location": location, **etag(saved[plan_id])}


@blp.route("/plans/<uuid:plan_id>/refer")
class ReferView(MethodView):
    """Referral."""

    @blp.change(CLINICAL, ReferralSchema(), PlanOutSchema, use=CHANGE)
    def post(self, referral: Any, plan_id: UUID) -> Any:
        """Refer the client to another health professional"""
        return versioned(regimen().refer_client(plan_id, referral=referral, actor=current_actor()))


@blp.route("/plans/<uuid:plan_id>/complete")
class CompleteView(MethodView):
    """Discharge."""

    @blp.change(CLINICAL, CompleteSchema(), PlanOutSchema, use=CHANGE)
    def post(self, body: dict[str, Any], plan_id: UUID) -> Any:
        """Complete the plan; sessions still booked are cancelled"""
        return versioned(regimen().complete_plan(plan_id, note=body["note"], actor=current_actor()))


@blp.route("/plans/<uuid:plan_id>/cancel")
class CancelView(MethodView):
    """Cancelling the whole plan."""

    @blp.change(DESK, CancelPlanSchema(), PlanOutSchema)
    def post(self, body: dict[str, Any], plan_id: UUID) -> Any:
        """Cancel the plan; sessions still booked are cancelled"""
        return versioned(
            regimen().cancel_plan(plan_id, reason=body["reason"], actor=current_actor())
        )
