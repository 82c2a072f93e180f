"""Series: book or preview a whole series, revise its pace, find free time."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView

from service.api.auth import CLINICAL, DESK, STAFF, current_actor
from service.api.charts import CHANGE
from service.api.context import etag, now, regimen, settings
from service.api.resource import ResourceBlueprint
from service.api.series_schemas import (
    AvailabilityQuerySchema,
    FreeSlotSchema,
    RevisionOutSchema,
    RevisionSchema,
    SeriesBookingSchema,
    SeriesOutcomeSchema,
)
from service.application.commands import PlanRevision, SeriesBooking, Slot

blp = ResourceBlueprint("series", __name__, description="Series booking, revision and availability")


@blp.route("/plans/<uuid:plan_id>/series")
class SeriesView(MethodView):
    """A whole series at the plan's interval."""

    @blp.change(DESK, SeriesBookingSchema(), SeriesOutcomeSchema, status=201)
    @blp.alt_response(200, schema=SeriesOutcomeSchema, description="The preview of a dry run")
    def post(self, body: dict[str, Any], plan_id: UUID) -> Any:
        """Book every remaining session of the plan, or preview it with dry_run

        Every occurrence is checked against clinic hours and closures, the therapist's
        hours and time off, and the bookings of the therapist and the room. With policy
        fail, a conflict books nothing and answers 409 listing every conflict; with a
        booking horizon, conflicts beyond it wait until the scheduler reaches them.
        """
        first = Slot(
            body["first_start"],
            body["timezone"],
            body["therapist_id"],
            body["room_id"],
            body["authorization_override"],
        )
        booking = SeriesBooking(
            first,
            body["conflict_policy"],
            body["shift_window_days"],
            horizon_days=settings().booking_horizon_days,
        )
        outcome = regimen().book_series(
            plan_id, booking, actor=current_actor(), now=now(), dry_run=body["dry_run"]
        )
        return outcome, 200 if outcome.dry_run else 201


@blp.route("/plans/<uuid:plan_id>/revise")
class ReviseView(MethodView):
    """Re-pacing a plan."""

    @blp.change(CLINICAL, RevisionSchema(), RevisionOutSchema, use=CHANGE)
    def post(self, body: dict[str, Any], plan_id: UUID) -> Any:
        """Change the series' interval, count or length; future sessions are re-booked"""
        revision = PlanRevision(body["series"], body["reason"], body["conflict_policy"])
        plan, proposal = regimen().revise_plan(
            plan_id, revision, actor=current_actor(), now=now(), dry_run=body["dry_run"]
        )
        result = {
            "dry_run": body["dry_run"],
            "plan": plan,
            "slots": proposal.slots if proposal else [],
            "conflicts": proposal.conflicts if proposal else [],
        }
        # A preview's plan is not stored: its version is no ETag to send back in If-Match.
        return result, 200, {} if body["dry_run"] else etag(plan.version)


@blp.route("/availability")
class AvailabilityView(MethodView):
    """Free time."""

    @blp.reading(STAFF, FreeSlotSchema(many=True), query=AvailabilityQuerySchema())
    def get(self, query: dict[str, Any]) -> Any:
        """List the starts where a session of the given length fits, per clinic-local day"""
        return regimen().free_time(
            query["therapist_id"],
            room_id=query["room_id"],
            first_day=query["from_"],
            last_day=query["to"],
            minutes=query["duration_minutes"],
            step_minutes=query["step_minutes"],
            now=now(),
        )
