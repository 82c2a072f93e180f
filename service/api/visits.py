"""Visits outside a plan: book one, read it, move, cancel, no-show, perform, amend, assess."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView

from service.api.auth import CLINICAL, DESK, STAFF, current_actor
from service.api.charts import CHANGE, READ
from service.api.context import now, regimen
from service.api.plan_schemas import AssessmentSchema, EmptySchema
from service.api.plans import slot_of
from service.api.resource import ResourceBlueprint, versioned
from service.api.session_schemas import PerformanceSchema, RecordAmendmentSchema
from service.api.visit_schemas import (
    VisitBookingSchema,
    VisitCancelSchema,
    VisitMoveSchema,
    VisitOutSchema,
)
from service.domain.visit import VisitBooking
from service.scheduler.recurrence import session_time

blp = ResourceBlueprint("visits", __name__, description="Visits outside a plan")
VISIT = "/visits/<uuid:visit_id>"


@blp.route("/visits")
class VisitsView(MethodView):
    """Booking a visit."""

    @blp.change(DESK, VisitBookingSchema(), VisitOutSchema, status=201)
    def post(self, body: dict[str, Any]) -> Any:
        """Book a first assessment, a single session or a follow-up, outside any plan"""
        booking = VisitBooking(
            client_id=body["client_id"],
            therapist_id=body["therapist_id"],
            room_id=body["room_id"],
            kind=body["kind"],
            time=session_time(body["start"], body["timezone"], body["minutes"]),
            complaint=body["complaint"],
        )
        visit = regimen().book_visit(booking, actor=current_actor(), now=now())
        answer, status, headers = versioned(visit, 201)
        return answer, status, {"Location": f"/api/v1/visits/{visit.id}", **headers}


@blp.route(VISIT)
class VisitView(MethodView):
    """One visit."""

    @blp.reading(STAFF, VisitOutSchema, use=READ)
    def get(self, visit_id: UUID) -> Any:
        """Read a visit (front desk sees no clinical details)"""
        return versioned(regimen().visit(visit_id))


@blp.route(f"{VISIT}/reschedule")
class RescheduleVisitView(MethodView):
    """Moving a visit."""

    @blp.change(DESK, VisitMoveSchema(), VisitOutSchema)
    def post(self, booking: dict[str, Any], visit_id: UUID) -> Any:
        """Move a booked visit to another local time (therapist or room too)"""
        moved = regimen().reschedule_visit(
            visit_id, slot_of(booking), actor=current_actor(), now=now()
        )
        return versioned(moved)


@blp.route(f"{VISIT}/cancel")
class CancelVisitView(MethodView):
    """Cancelling a visit."""

    @blp.change(DESK, VisitCancelSchema(), VisitOutSchema)
    def post(self, body: dict[str, Any], visit_id: UUID) -> Any:
        """Cancel a booked visit (inside the clinic's window it is a late cancel)"""
        visit = regimen().cancel_visit(
            visit_id, reason=body["reason"], actor=current_actor(), now=now()
        )
        return versioned(visit)


@blp.route(f"{VISIT}/no-show")
class VisitNoShowView(MethodView):
    """Recording a no-show."""

    @blp.change(DESK, EmptySchema(), VisitOutSchema)
    def post(self, _: dict[str, Any], visit_id: UUID) -> Any:
        """Record that the client did not come (once the visit has started)"""
        return versioned(regimen().record_visit_no_show(visit_id, actor=current_actor(), now=now()))


@blp.route(f"{VISIT}/perform")
class PerformVisitView(MethodView):
    """Recording what was done."""

    @blp.change(CLINICAL, PerformanceSchema(), VisitOutSchema, use=CHANGE)
    def post(self, done: Any, visit_id: UUID) -> Any:
        """Record the techniques, areas, duration and pain before (once the visit has started)"""
        return versioned(regimen().perform_visit(visit_id, done, actor=current_actor(), now=now()))


@blp.route(f"{VISIT}/record-amendments")
class VisitRecordAmendmentsView(MethodView):
    """Amending what was recorded."""

    @blp.change(CLINICAL, RecordAmendmentSchema(), VisitOutSchema, use=CHANGE)
    def post(self, body: dict[str, Any], visit_id: UUID) -> Any:
        """Amend a performed visit's record, with a reason; the original stays in the history"""
        visit = regimen().amend_visit_record(visit_id, **body, actor=current_actor(), now=now())
        return versioned(visit)


@blp.route(f"{VISIT}/assessment")
class AssessmentView(MethodView):
    """Recording the assessment."""

    @blp.change(CLINICAL, AssessmentSchema(), VisitOutSchema, use=CHANGE)
    def post(self, assessment: Any, visit_id: UUID) -> Any:
        """Record the therapist's assessment made during the visit"""
        visit = regimen().record_assessment(visit_id, assessment, actor=current_actor(), now=now())
        return versioned(visit)
