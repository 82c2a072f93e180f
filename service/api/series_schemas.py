"""Request and response bodies for series booking, revision and availability."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from service.api.fields import DAY_TIME, Day, Line, LocalDateTime, Name, Zone
from service.api.plan_out_schemas import PlanOutSchema, SessionOutSchema
from service.api.plan_schemas import SeriesSchema
from service.api.schemas import Strict
from service.api.session_schemas import PLAN_ROOM, PLAN_THERAPIST, EvaluationSchema
from service.application.commands import MAX_SHIFT_WINDOW_DAYS
from service.scheduler.booking_policy import ConflictPolicy, ConflictReason

POLICY = fields.Enum(
    ConflictPolicy,
    by_value=True,
    load_default=ConflictPolicy.FAIL,
    metadata={
        "description": "fail: book nothing if any session conflicts; shift: move a conflicting "
        "session to the nearest free time that day, then the following days; skip: drop it "
        "and extend the series"
    },
)


class SeriesBookingSchema(Strict):
    """Book (or preview) every remaining session of a plan at its interval."""

    first_start = LocalDateTime(required=True)
    timezone = Zone(required=True)
    therapist_id = PLAN_THERAPIST
    room_id = PLAN_ROOM
    conflict_policy = POLICY
    shift_window_days = fields.Integer(
        load_default=3, validate=validate.Range(0, MAX_SHIFT_WINDOW_DAYS)
    )
    dry_run = fields.Boolean(
        load_default=False, metadata={"description": "Preview: answer what would be booked"}
    )
    authorization_override = Line(load_default="", max_length=500)


class SlotOutSchema(ma.Schema):
    """A planned session time."""

    occurrence = fields.Integer(metadata={"description": "Position in the recurrence, from 1"})
    start = fields.AwareDateTime(attribute="time.start")
    end = fields.AwareDateTime(attribute="time.end")
    timezone = fields.String(attribute="time.zone")
    local_start = LocalDateTime(attribute="time.local_start")
    requested_local_start = LocalDateTime()
    shifted = fields.Boolean()


class ConflictOutSchema(ma.Schema):
    """Why one occurrence cannot take place at its time."""

    occurrence = fields.Integer()
    # Any year: an occurrence past the years sessions are booked in is a conflict to report.
    local_start = LocalDateTime(metadata={"pattern": rf"^[0-9]{{4}}-{DAY_TIME}$"})
    reason = fields.Enum(ConflictReason, by_value=True)
    detail = fields.String()


class BeyondAuthorizationSchema(ma.Schema):
    """A session the plan's authorization would not cover without an override."""

    number = fields.Integer(metadata={"description": "The session's number in the plan"})
    local_start = LocalDateTime()
    detail = fields.String(metadata={"description": "Why: visits, units or dates"})


class SeriesOutcomeSchema(ma.Schema):
    """What booking the series did (or would do, on a dry run)."""

    dry_run = fields.Boolean()
    bookable = fields.Boolean()
    conflict_policy = fields.Enum(ConflictPolicy, by_value=True, attribute="proposal.policy")
    slots = fields.List(fields.Nested(SlotOutSchema), attribute="proposal.slots")
    conflicts = fields.List(fields.Nested(ConflictOutSchema), attribute="proposal.conflicts")
    missing = fields.Integer(attribute="proposal.missing")
    sessions = fields.List(fields.Nested(SessionOutSchema))
    beyond_authorization = fields.List(
        fields.Nested(BeyondAuthorizationSchema),
        metadata={
            "description": "On a dry run: the sessions beyond the authorization and why; "
            "booking them needs an override reason"
        },
    )


class RevisionSchema(Strict):
    """A new pace or length; future sessions are re-booked under the same rules."""

    series = fields.Nested(SeriesSchema, required=True)
    reason = Name(metadata={"example": "improving: space the sessions out"})
    conflict_policy = POLICY
    dry_run = fields.Boolean(load_default=False)


class RevisionOutSchema(ma.Schema):
    """The revised plan and how its future sessions were re-booked."""

    dry_run = fields.Boolean()
    plan = fields.Nested(PlanOutSchema)
    slots = fields.List(fields.Nested(SlotOutSchema))
    conflicts = fields.List(fields.Nested(ConflictOutSchema))


class AvailabilityQuerySchema(Strict):
    """Free time of a therapist (and a room) over clinic-local days."""

    therapist_id = fields.UUID(required=True)
    room_id = fields.UUID(load_default=None)
    from_ = Day(required=True, data_key="from")
    to = Day(required=True)
    duration_minutes = fields.Integer(load_default=60, validate=validate.Range(15, 240))
    step_minutes = fields.Integer(load_default=15, validate=validate.OneOf([5, 10, 15, 30, 60]))


class FreeSlotSchema(ma.Schema):
    """A start where a session of the asked length fits."""

    start = fields.AwareDateTime()
    end = fields.AwareDateTime()
    timezone = fields.String(attribute="zone")
    local_start = LocalDateTime()


class EvaluationRequestSchema(EvaluationSchema):
    """An evaluation; a recommended new interval can be applied to the series at once."""

    apply_recommendation = fields.Boolean(
        load_default=False,
        metadata={
            "description": "With recommendation change_interval: revise the series to "
            "recommended_interval_days and re-book the future sessions in the same save"
        },
    )
    conflict_policy = fields.Enum(ConflictPolicy, by_value=True, load_default=ConflictPolicy.SHIFT)

    @ma.post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """The evaluation value and what to do with its recommendation."""
        options = {k: data.pop(k) for k in ("apply_recommendation", "conflict_policy")}
        return {"evaluation": EvaluationSchema().make(data), **options}
