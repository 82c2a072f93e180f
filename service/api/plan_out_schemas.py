"""Response bodies of a treatment plan: the plan, its sessions, their amendments, its history."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields

from service.api.clinical import Redacted, clinical
from service.api.fields import LocalDateTime
from service.api.plan_schemas import (
    AssessmentSchema,
    AuthorizationSchema,
    PrescriptionSchema,
    ReferralSchema,
    SeriesSchema,
)
from service.api.session_schemas import BilledSchema, EvaluationSchema, PerformanceSchema
from service.domain import values
from service.domain.measures import Instrument


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
            "system, 'Command line (server operator)' for the regimen command; null if the "
            "user is not known)",
            "example": "Maria Lopez",
        },
    )
    data = fields.Dict()
