"""Request bodies of a plan's sessions: booking, cancelling, the record, the evaluation,
and their amendments."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from service.api.fields import Line, LocalDateTime, Name, Text, Zone
from service.api.loading import builds, value_from
from service.api.measure_schemas import answers_field
from service.api.plan_schemas import PAIN, RangeOfMotionSchema
from service.api.schemas import Strict
from service.domain import values
from service.domain.billing_units import ProcedureMinutes
from service.domain.rules import MAX_INTERVAL_DAYS, MAX_SESSION_MINUTES

PLAN_DEFAULT = {"description": "Defaults to the plan's"}
# Who and where a session is, when the request may leave them to the plan.
PLAN_THERAPIST = fields.UUID(load_default=None, metadata=PLAN_DEFAULT)
PLAN_ROOM = fields.UUID(load_default=None, metadata=PLAN_DEFAULT)


class BookingSchema(Strict):
    """When a session takes place: local wall time in an IANA zone."""

    start = LocalDateTime(required=True)
    timezone = Zone(required=True)
    therapist_id = PLAN_THERAPIST
    room_id = PLAN_ROOM
    authorization_override = Line(
        load_default="",
        max_length=500,
        metadata={"description": "Why to book beyond the authorization (recorded)"},
    )


class CancelSessionSchema(Strict):
    """Cancel this session, or it and every later booked one."""

    reason = Name(metadata={"example": "client is unwell"})
    scope = fields.String(load_default="this", validate=validate.OneOf(["this", "rest"]))


class ProcedureSchema(Strict):
    """Minutes of one procedure code in a session."""

    code = Name(
        metadata={
            "description": "CPT 97124 massage, 97140 manual therapy, 97110, 97112, or the "
            "clinic's own code",
            "example": "97124",
        }
    )
    minutes = fields.Integer(
        required=True, validate=validate.Range(1, MAX_SESSION_MINUTES), metadata={"example": 45}
    )
    make = builds(ProcedureMinutes)


class BilledSchema(ma.Schema):
    """A procedure code performed: its minutes and the units they bill under the payer's rule."""

    code = fields.String()
    minutes = fields.Integer()
    units = fields.Integer()


class PerformanceSchema(Strict):
    """What the therapist did in a session."""

    techniques = fields.List(
        Name(),
        required=True,
        validate=validate.Length(min=1, max=30),
        metadata={"example": ["swedish", "myofascial release"]},
    )
    areas = fields.List(Name(), load_default=list, metadata={"example": ["lower back"]})
    duration_minutes = fields.Integer(
        required=True, validate=validate.Range(1, MAX_SESSION_MINUTES), metadata={"example": 60}
    )
    pain_before = fields.Integer(
        required=True, validate=PAIN, metadata={"description": "0-10", "example": 6}
    )
    notes = Text(
        load_default="",
        max_length=10000,
        metadata={"example": "right erector spinae tight; eased after release"},
    )
    client_report = Text(
        load_default="",
        max_length=10000,
        metadata={
            "description": "What the client reports: the S of a SOAP note.",
            "example": "sleeping better; the ache comes back after long drives",
        },
    )
    procedures = fields.List(
        fields.Nested(ProcedureSchema),
        load_default=list,
        validate=validate.Length(max=20),
        metadata={"description": "Minutes per procedure code, each code once"},
    )
    make = builds(values.Performance)


class PerformSchema(PerformanceSchema):
    """What the therapist did in a session, perhaps billing beyond the authorization."""

    authorization_override = Line(
        load_default="",
        max_length=500,
        metadata={"description": "Why the codes may bill beyond the authorization (recorded)"},
    )

    @ma.post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> Any:
        """The record as a Performance, and the override beside it."""
        override = data.pop("authorization_override")
        return {
            "performance": value_from(values.Performance, data),
            "authorization_override": override,
        }


class EvaluationSchema(Strict):
    """The outcome of a session and the recommendation."""

    pain_after = fields.Integer(
        required=True, validate=PAIN, metadata={"description": "0-10", "example": 3}
    )
    mobility = fields.Enum(values.Mobility, by_value=True, required=True)
    recommendation = fields.Enum(values.Recommendation, by_value=True, required=True)
    range_of_motion = fields.List(fields.Nested(RangeOfMotionSchema), load_default=list)
    posture = Text(load_default="", metadata={"example": "upright, no lean"})
    client_rating = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=PAIN,
        metadata={"description": "How the client rates the session, 0-10", "example": 8},
    )
    recommended_interval_days = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.Range(1, MAX_INTERVAL_DAYS),
        metadata={"description": "With recommendation change_interval: the new interval"},
    )
    notes = Text(
        load_default="",
        max_length=10000,
        metadata={"example": "bends to mid-shin without pain"},
    )
    measures = answers_field("The client's answers on the instruments, taken again")
    make = builds(values.Evaluation)


def _amendment_reason(what: str, example: str) -> Name:
    """Why the record or the evaluation is amended: required, and kept with the amendment."""
    return Name(
        metadata={"description": f"Why the {what} is amended (kept with it)", "example": example}
    )


class RecordAmendmentSchema(Strict):
    """A corrected record of what was done, and why; the original stays in the history."""

    performance = fields.Nested(PerformanceSchema, required=True)
    reason = _amendment_reason("record", "wrote the wrong side: it was the left hip")


class EvaluationAmendmentSchema(Strict):
    """A corrected evaluation, and why; the original stays in the history. It does not
    re-pace the series: a new interval is a revision of its own."""

    evaluation = fields.Nested(EvaluationSchema, required=True)
    reason = _amendment_reason("evaluation", "misheard the client: pain after was 2")
