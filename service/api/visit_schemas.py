"""Request and response bodies for visits outside a plan."""

from __future__ import annotations

from marshmallow import fields, validate

from service.api.clinical import Redacted, clinical
from service.api.fields import LocalDateTime, Text, Zone
from service.api.plan_out_schemas import AmendmentOutSchema
from service.api.plan_schemas import AssessmentSchema
from service.api.schemas import Strict
from service.api.session_schemas import (
    BilledSchema,
    BookingSchema,
    CancelSessionSchema,
    PerformanceSchema,
)
from service.domain import values
from service.domain.rules import MAX_SESSION_MINUTES, MIN_SESSION_MINUTES
from service.domain.visit import VisitKind


class VisitBookingSchema(Strict):
    """A visit to book: who comes, to whom, why, and when (local wall time in an IANA zone)."""

    client_id = fields.UUID(required=True)
    therapist_id = fields.UUID(required=True)
    room_id = fields.UUID(load_default=None, allow_none=True)
    kind = fields.Enum(
        VisitKind,
        by_value=True,
        required=True,
        metadata={"description": "assessment (a first visit), single (one session), follow-up"},
    )
    start = LocalDateTime(required=True)
    timezone = Zone(required=True)
    minutes = fields.Integer(
        required=True,
        validate=validate.Range(MIN_SESSION_MINUTES, MAX_SESSION_MINUTES),
        metadata={"example": 60},
    )
    complaint = Text(
        load_default="",
        max_length=2000,
        metadata={
            "description": "What the client reports",
            "example": "low back pain after lifting, for 3 weeks",
        },
    )


class VisitMoveSchema(BookingSchema):
    """Where a visit moves to: local wall time in an IANA zone (no authorization to override)."""

    class Meta:
        exclude = ("authorization_override",)


class VisitCancelSchema(CancelSessionSchema):
    """Why a visit is cancelled (a visit is one session: there is no rest to cancel)."""

    class Meta:
        exclude = ("scope",)


class VisitOutSchema(Redacted):
    """A visit as it stands."""

    id = fields.UUID()
    version = fields.Integer()
    kind = fields.Enum(VisitKind, by_value=True)
    client_id = fields.UUID()
    complaint = fields.String()
    status = fields.Enum(values.SessionStatus, by_value=True)
    start = fields.AwareDateTime(
        attribute="session.time.start", metadata={"description": "UTC instant"}
    )
    end = fields.AwareDateTime(attribute="session.time.end")
    timezone = fields.String(attribute="session.time.zone")
    local_start = LocalDateTime(attribute="session.time.local_start")
    minutes = fields.Integer(attribute="session.time.minutes")
    therapist_id = fields.UUID(attribute="session.therapist_id")
    room_id = fields.UUID(attribute="session.room_id", allow_none=True)
    late_cancel = fields.Boolean(attribute="session.late_cancel")
    billed = fields.List(
        fields.Nested(BilledSchema),
        attribute="session.billed",
        metadata={"description": "The codes performed, with minutes and the units they bill"},
    )
    plan_id = fields.UUID(
        allow_none=True, metadata={"description": "The plan proposed from this visit"}
    )
    assessment = fields.Nested(AssessmentSchema, allow_none=True, metadata=clinical())
    performance = fields.Nested(
        PerformanceSchema, attribute="session.performance", allow_none=True, metadata=clinical()
    )
    amendments = fields.List(
        fields.Nested(AmendmentOutSchema),
        attribute="session.amendments",
        metadata=clinical("Records amended, earliest first, with what they replaced"),
    )
