"""Request and response bodies for treatment plans and their sessions."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from service.api.clinical import Redacted, clinical
from service.api.fields import Line, LocalDateTime, Name, Text, Zone
from service.api.measure_schemas import answers_field, tracked_field
from service.api.schemas import Strict
from service.domain import values
from service.domain.billing_units import ProcedureMinutes
from service.domain.measures import Instrument
from service.domain.rules import (
    ICD10,
    MAX_DIAGNOSES,
    MAX_INTERVAL_DAYS,
    MAX_SERIES_SESSIONS,
    MAX_SESSION_MINUTES,
    MIN_SESSION_MINUTES,
)

PAIN = validate.Range(0, 10)
PLAN_DEFAULT = {"description": "Defaults to the plan's"}
# Who and where a session is, when the request may leave them to the plan.
PLAN_THERAPIST = fields.UUID(load_default=None, metadata=PLAN_DEFAULT)
PLAN_ROOM = fields.UUID(load_default=None, metadata=PLAN_DEFAULT)


def _value(cls: type) -> Any:
    """A post_load hook building the value object `cls`, sequences as tuples."""

    @ma.post_load
    def make(self: Any, data: dict[str, Any], **kwargs: Any) -> Any:
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})

    return make


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
    make = _value(values.RangeOfMotion)


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
    make = _value(values.Assessment)


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
    make = _value(values.SeriesSpec)


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
    make = _value(values.Referral)


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
    make = _value(values.Prescription)


class AuthorizationSchema(Strict):
    """An insurer's authorization of visits."""

    payer = Name(metadata={"example": "Acme Health"})
    number = Name(metadata={"example": "AUTH-2026-0042"})
    visits = fields.Integer(
        required=True, validate=validate.Range(1, 1000), metadata={"example": 6}
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
    make = _value(values.Authorization)


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


class EmptySchema(Strict):
    """No fields."""


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
    make = _value(ProcedureMinutes)


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
    make = _value(values.Performance)


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
        given: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        return {"performance": values.Performance(**given), "authorization_override": override}


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
    make = _value(values.Evaluation)


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


class CompleteSchema(Strict):
    """Discharge note."""

    note = Text(load_default="", metadata={"example": "pain-free at work; discharged"})


class CancelPlanSchema(Strict):
    """Why the plan is cancelled."""

    reason = Name(metadata={"example": "client moved away"})


class ActorSchema(ma.Schema):
    """Who caused an event."""

    user_id = fields.String()
    role = fields.Enum(values.Role, by_value=True)


class AmendmentOutSchema(ma.Schema):
    """A record or evaluation amended: why, by whom, when, and the value it replaced."""

    what = fields.String(metadata={"enum": ["record", "evaluation"]})
    reason = fields.String()
    by = fields.Nested(ActorSchema)
    at = fields.AwareDateTime()
    replaced_record = fields.Nested(
        PerformanceSchema,
        allow_none=True,
        metadata={"description": "The record it replaced (what: record), else null"},
    )
    replaced_evaluation = fields.Nested(
        EvaluationSchema,
        allow_none=True,
        metadata={"description": "The evaluation it replaced (what: evaluation), else null"},
    )

    @ma.pre_dump
    def split_replaced(self, amendment: values.Amendment, **kwargs: Any) -> dict[str, Any]:
        """The replaced value under the name of its kind."""
        record = amendment.replaced if isinstance(amendment.replaced, values.Performance) else None
        evaluation = (
            amendment.replaced if isinstance(amendment.replaced, values.Evaluation) else None
        )
        return {
            "what": amendment.what,
            "reason": amendment.reason,
            "by": amendment.actor,
            "at": amendment.at,
            "replaced_record": record,
            "replaced_evaluation": evaluation,
        }


class SessionOutSchema(Redacted):
    """A session as it stands."""

    number = fields.Integer()
    status = fields.Enum(values.SessionStatus, by_value=True)
    start = fields.AwareDateTime(attribute="time.start", metadata={"description": "UTC instant"})
    end = fields.AwareDateTime(attribute="time.end")
    timezone = fields.String(attribute="time.zone")
    local_start = LocalDateTime(attribute="time.local_start")
    minutes = fields.Integer(attribute="time.minutes")
    therapist_id = fields.UUID()
    room_id = fields.UUID(allow_none=True)
    late_cancel = fields.Boolean()
    counts_against_authorization = fields.Boolean()
    authorization_override = fields.String()
    billed = fields.List(
        fields.Nested(BilledSchema),
        metadata={"description": "The codes performed, with minutes and the units they bill"},
    )
    performance = fields.Nested(PerformanceSchema, allow_none=True, metadata=clinical())
    evaluation = fields.Nested(EvaluationSchema, allow_none=True, metadata=clinical())
    amendments = fields.List(
        fields.Nested(AmendmentOutSchema),
        metadata=clinical(
            "Records and evaluations amended, earliest first, with what they replaced"
        ),
    )


class PlanOutSchema(Redacted):
    """A treatment plan as it stands (or stood, at a version)."""

    id = fields.UUID()
    version = fields.Integer()
    status = fields.Enum(values.PlanStatus, by_value=True)
    client_id = fields.UUID()
    therapist_id = fields.UUID()
    room_id = fields.UUID(allow_none=True)
    intention = fields.Enum(values.Intention, by_value=True)
    focus_areas = fields.List(fields.String())
    modalities = fields.List(fields.String())
    series = fields.Nested(SeriesSchema)
    adjuncts = fields.List(fields.String(), metadata=clinical("Home care and other adjuncts"))
    referrals = fields.List(fields.Nested(ReferralSchema))
    authorization = fields.Nested(AuthorizationSchema, allow_none=True)
    authorized_visits_used = fields.Integer()
    authorized_units_used = fields.Integer(
        metadata={"description": "Units charged to the authorization, booked ones included"}
    )
    authorized_units_left = fields.Integer(
        allow_none=True, metadata={"description": "Null unless the authorization counts units"}
    )
    sessions = fields.List(fields.Nested(SessionOutSchema))
    assessment = fields.Nested(AssessmentSchema, metadata=clinical())
    expected_progress = fields.String(metadata=clinical())
    prescription = fields.Nested(PrescriptionSchema, allow_none=True, metadata=clinical())
    closing_note = fields.String(metadata=clinical())
    from_visit_id = fields.UUID(allow_none=True)
    measures = fields.List(fields.Enum(Instrument, by_value=True))
    created_on = fields.AwareDateTime()
    modified_on = fields.AwareDateTime()


class CreatedSchema(ma.Schema):
    """The id of what was created."""

    id = fields.UUID()


class HistoryEventSchema(ma.Schema):
    """One stored event of a plan."""

    version = fields.Integer()
    type = fields.String()
    timestamp = fields.AwareDateTime()
    actor = fields.Nested(ActorSchema)
    actor_name = fields.String(
        allow_none=True,
        metadata={
            "description": "The actor's name from the accounts list ('Scheduler' for the "
            "system; null if the user is not known)",
            "example": "Maria Lopez",
        },
    )
    data = fields.Dict()
