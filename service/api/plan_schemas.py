"""Request bodies of a treatment plan: the proposal and what it is made of, and its close."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from service.api.clinical import Redacted, clinical
from service.api.fields import Line, Name, Text
from service.api.loading import builds
from service.api.measure_schemas import answers_field, tracked_field
from service.api.schemas import Strict
from service.domain import values
from service.domain.rules import (
    ICD10,
    MAX_DIAGNOSES,
    MAX_INTERVAL_DAYS,
    MAX_SERIES_SESSIONS,
    MAX_SESSION_MINUTES,
    MIN_SESSION_MINUTES,
)

PAIN = validate.Range(0, 10)


class RangeOfMotionSchema(Strict):
    """A range-of-motion finding."""

    joint = Name(metadata={"example": "lumbar spine"})
    movement = Name(metadata={"example": "flexion"})
    degrees = fields.Integer(
        required=True, validate=validate.Range(0, 360), metadata={"example": 40}
    )
    side = fields.String(
        load_default="",
        validate=validate.OneOf(["", "left", "right"]),
        metadata={"description": "The client's side measured; blank for the spine", "example": ""},
    )
    make = builds(values.RangeOfMotion)


class AssessmentSchema(Strict):
    """The assessment behind a plan."""

    complaint = Name(metadata={"example": "low back pain after lifting"})
    duration = Text(
        load_default="", metadata={"description": "How long it has hurt", "example": "3 weeks"}
    )
    onset = fields.String(
        load_default="",
        validate=validate.OneOf(["", "sudden", "gradual"]),
        metadata={"example": "sudden"},
    )
    pain_description = Text(
        load_default="", metadata={"example": "sharp when bending, a dull ache at rest"}
    )
    pain_level = fields.Integer(
        required=True, validate=PAIN, metadata={"description": "0-10", "example": 6}
    )
    range_of_motion = fields.List(fields.Nested(RangeOfMotionSchema), load_default=list)
    posture = Text(load_default="", metadata={"example": "guarded, leans to the left"})
    tissue = Text(load_default="", metadata={"example": "hypertonic right erector spinae"})
    measures = answers_field("The baseline: the client's answers on the instruments tracked")
    make = builds(values.Assessment)


class SeriesSchema(Strict):
    """How many sessions, how many days apart, how long each."""

    sessions = fields.Integer(
        required=True, validate=validate.Range(1, MAX_SERIES_SESSIONS), metadata={"example": 6}
    )
    interval_days = fields.Integer(
        required=True, validate=validate.Range(1, MAX_INTERVAL_DAYS), metadata={"example": 7}
    )
    session_minutes = fields.Integer(
        required=True,
        validate=validate.Range(MIN_SESSION_MINUTES, MAX_SESSION_MINUTES),
        metadata={"example": 60},
    )
    make = builds(values.SeriesSpec)


class ReferralSchema(Strict, Redacted):
    """A referral to another health professional (the desk sees to whom, not why)."""

    profession = Name(metadata={"example": "physiotherapist"})
    name = Line(load_default="", metadata={"example": "Dr Amal Haddad"})
    reason = Text(
        load_default="",
        metadata={
            **clinical("Why the client is referred"),
            "example": "numbness down the right leg",
        },
    )
    make = builds(values.Referral)


class PrescriptionSchema(Strict):
    """A physician's prescription."""

    physician = Name(metadata={"example": "Dr Amal Haddad"})
    issued_on = fields.Date(required=True, metadata={"example": "2026-03-02"})
    notes = Text(load_default="", metadata={"example": "6 sessions of massage therapy"})
    diagnosis_codes = fields.List(
        fields.String(
            validate=validate.Regexp(f"^{ICD10.pattern}$", error="not shaped like an ICD-10 code"),
            metadata={"pattern": f"^{ICD10.pattern}$", "example": "M54.5"},
        ),
        load_default=list,
        validate=validate.Length(max=MAX_DIAGNOSES),
        metadata={"description": "ICD-10 codes as the physician wrote them (the superbill's)"},
    )
    make = builds(values.Prescription)


class AuthorizationSchema(Strict):
    """An insurer's authorization of visits, units or both."""

    payer = Name(metadata={"example": "Acme Health"})
    number = Name(metadata={"example": "AUTH-2026-0042"})
    visits = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.Range(1, 1000),
        metadata={
            "example": 6,
            "description": "Visits authorized; null only when the payer counts units only",
        },
    )
    valid_until = fields.Date(required=True, metadata={"example": "2027-06-30"})
    payer_id = fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={"description": "The registered payer whose terms count and bill the plan"},
    )
    units = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.Range(1, 10000),
        metadata={"description": "15-minute units authorized, if the payer counts units"},
    )
    make = builds(values.Authorization)


class PlanProposalSchema(Strict):
    """A therapist's proposed treatment plan."""

    client_id = fields.UUID(
        required=True, metadata={"description": "The client's id (GET /api/v1/clients)"}
    )
    therapist_id = fields.UUID(
        load_default=None,
        metadata={"description": "Defaults to the proposing therapist's own record"},
    )
    room_id = fields.UUID(load_default=None, allow_none=True)
    assessment = fields.Nested(AssessmentSchema, required=True)
    intention = fields.Enum(values.Intention, by_value=True, required=True)
    focus_areas = fields.List(
        Name(),
        required=True,
        validate=validate.Length(min=1, max=20),
        metadata={"example": ["lower back", "right hip"]},
    )
    modalities = fields.List(
        Name(),
        required=True,
        validate=validate.Length(min=1, max=20),
        metadata={"example": ["swedish", "myofascial release"]},
    )
    series = fields.Nested(SeriesSchema, required=True)
    expected_progress = Text(
        load_default="",
        metadata={"example": "pain below 3 and bending freely within six weeks"},
    )
    adjuncts = fields.List(
        Line(),
        load_default=list,
        metadata={
            "description": "Home care and other adjuncts",
            "example": ["heat at home", "daily knee-to-chest stretches"],
        },
    )
    referral = fields.Nested(ReferralSchema, load_default=None, allow_none=True)
    prescription = fields.Nested(PrescriptionSchema, load_default=None, allow_none=True)
    authorization = fields.Nested(AuthorizationSchema, load_default=None, allow_none=True)
    from_visit_id = fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={"description": "The assessment or follow-up visit the plan comes out of"},
    )
    measures = tracked_field()


class EmptySchema(Strict):
    """No fields."""


class CompleteSchema(Strict):
    """Discharge note."""

    note = Text(load_default="", metadata={"example": "pain-free at work; discharged"})


class CancelPlanSchema(Strict):
    """Why the plan is cancelled."""

    reason = Name(metadata={"example": "client moved away"})


class CreatedSchema(ma.Schema):
    """The id of what was created."""

    id = fields.UUID()
