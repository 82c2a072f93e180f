"""Commands on one session of a plan: reschedule, cancel, no-show, perform, evaluate, amend."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView

from service.adapters.preconditions import noting_saves
from service.api.auth import CLINICAL, DESK, STAFF, current_actor
from service.api.charts import CHANGE, READ
from service.api.context import etag, now, regimen
from service.api.plan_out_schemas import PlanOutSchema, SessionOutSchema
from service.api.plan_schemas import EmptySchema
from service.api.plans import slot_of
from service.api.resource import ResourceBlueprint, versioned
from service.api.series_schemas import EvaluationRequestSchema
from service.api.session_schemas import (
    BookingSchema,
    CancelSessionSchema,
    EvaluationAmendmentSchema,
    PerformSchema,
    RecordAmendmentSchema,
)

blp = ResourceBlueprint("sessions", __name__, description="Commands on one session of a plan")
SESSION = "/plans/<uuid:plan_id>/sessions/<int:number>"


@blp.route(SESSION)
class SessionView(MethodView):
    """One session of a plan."""

    @blp.reading(STAFF, SessionOutSchema, use=READ)
    def get(self, plan_id: UUID, number: int) -> Any:
        """Read one session (front desk sees no clinical notes)"""
        plan = regimen().plan(plan_id)
        return plan.session(number), 200, etag(plan.version)


@blp.route(f"{SESSION}/reschedule")
class RescheduleView(MethodView):
    """Moving a session."""

    @blp.change(DESK, BookingSchema(), SessionOutSchema)
    def post(self, booking: dict[str, Any], plan_id: UUID, number: int) -> Any:
        """Move a booked session to another local time (therapist or room too)"""
        with noting_saves() as saved:
            session = regimen().reschedule_session(
                plan_id, number, slot_of(booking), actor=current_actor(), now=now()
            )
        return session, 200, etag(saved[plan_id])


@blp.route(f"{SESSION}/cancel")
class CancelSessionView(MethodView):
    """Cancelling a session, or the rest of the series."""

    @blp.change(DESK, CancelSessionSchema(), PlanOutSchema)
    def post(self, body: dict[str, Any], plan_id: UUID, number: int) -> Any:
        """Cancel a booked session (scope this), or it and every later one (scope rest)"""
        plan = regimen().cancel_sessions(
            plan_id,
            number,
            reason=body["reason"],
            rest=body["scope"] == "rest",
            actor=current_actor(),
            now=now(),
        )
        return versioned(plan)


@blp.route(f"{SESSION}/no-show")
class NoShowView(MethodView):
    """Recording a no-show."""

    @blp.change(DESK, EmptySchema(), SessionOutSchema)
    def post(self, _: dict[str, Any], plan_id: UUID, number: int) -> Any:
        """Record that the client did not come"""
        with noting_saves() as saved:
            session = regimen().record_no_show(plan_id, number, actor=current_actor(), now=now())
        return session, 200, etag(saved[plan_id])


@blp.route(f"{SESSION}/perform")
class PerformView(MethodView):
    """Recording what was done."""

    @blp.change(CLINICAL, PerformSchema(), PlanOutSchema, use=CHANGE)
    def post(self, body: dict[str, Any], plan_id: UUID, number: int) -> Any:
        """Record the techniques, areas, duration, pain before and procedure codes of a session"""
        plan = regimen().perform_session(plan_id, number, **body, actor=current_actor(), now=now())
        return versioned(plan)


@blp.route(f"{SESSION}/evaluate")
class EvaluateView(MethodView):
    """Recording the outcome."""

    @blp.change(CLINICAL, EvaluationRequestSchema(), PlanOutSchema, use=CHANGE)
    def post(self, body: dict[str, Any], plan_id: UUID, number: int) -> Any:
        """Record pain after, mobility, rating and the recommendation"""
        plan = regimen().evaluate_session(
            plan_id,
            number,
            evaluation=body["evaluation"],
            apply_recommendation=body["apply_recommendation"],
            policy=body["conflict_policy"],
            actor=current_actor(),
            now=now(),
        )
        return versioned(plan)


@blp.route(f"{SESSION}/record-amendments")
class RecordAmendmentsView(MethodView):
    """Amending what was recorded."""

    @blp.change(CLINICAL, RecordAmendmentSchema(), PlanOutSchema, use=CHANGE)
    def post(self, body: dict[str, Any], plan_id: UUID, number: int) -> Any:
        """Amend a performed session's record, with a reason; the original stays in the history"""
        plan = regimen().amend_session_record(
            plan_id, number, **body, actor=current_actor(), now=now()
        )
        return versioned(plan)


@blp.route(f"{SESSION}/evaluation-amendments")
class EvaluationAmendmentsView(MethodView):
    """Amending the outcome."""

    @blp.change(CLINICAL, EvaluationAmendmentSchema(), PlanOutSchema, use=CHANGE)
    def post(self, body: dict[str, Any], plan_id: UUID, number: int) -> Any:
        """Amend a session's evaluation, with a reason; the original stays in the history"""
        plan = regimen().amend_evaluation(plan_id, number, **body, actor=current_actor(), now=now())
        return versioned(plan)
