"""The clinic's settings and closures as the API reads and writes them."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from service.api.fields import Day, Line, Name, Zone
from service.api.schemas import DayHoursSchema, Strict
from service.domain.languages import DEFAULT_LANGUAGE, LANGUAGES
from service.domain.retention import DEFAULT_RETENTION_YEARS
from service.domain.values import Closure


class ClinicSchema(Strict):
    """The clinic's settings."""

    name = Name(metadata={"example": "Riverside Massage Clinic"})
    timezone = Zone(required=True)
    opening_hours = fields.List(fields.Nested(DayHoursSchema), required=True)
    cancellation_window_hours = fields.Integer(
        load_default=24,
        validate=validate.Range(0, 336),
        metadata={"description": "A cancellation later than this before a session is late"},
    )
    late_cancel_counts = fields.Boolean(
        load_default=False,
        metadata={"description": "Late cancels and no-shows use up an authorized visit"},
    )
    charts_open_to_all_therapists = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Every therapist reads and changes every client's chart; otherwise "
            "only the charts of the clients they treat (others: read with X-Access-Reason)"
        },
    )
    npi = fields.String(
        load_default="",
        validate=validate.Regexp(r"^([0-9]{10})?$", error="ten digits"),
        metadata={
            "description": "The clinic's National Provider Identifier (10 digits), on superbills",
            "example": "1234567893",
            "pattern": "^([0-9]{10})?$",
        },
    )
    tax_id = Line(
        load_default="",
        max_length=30,
        metadata={"description": "The clinic's tax id (an EIN in the US), on superbills"},
    )
    retention_years = fields.Integer(
        load_default=DEFAULT_RETENTION_YEARS,
        validate=validate.Range(0, 100),
        metadata={
            "description": "Years a client's records are kept after their last treatment:"
            " erasing them sooner needs an override with a reason"
        },
    )
    language = fields.String(
        load_default=DEFAULT_LANGUAGE,
        validate=validate.OneOf(LANGUAGES),
        metadata={"description": "What clients read: their messages, page and calendar feed"},
    )
    self_booking = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Clients book the next sessions of their agreed plans from their"
            " own page, at free times within the plan's pace"
        },
    )


class ClosureSchema(Strict):
    """Days the clinic is closed (local dates, inclusive)."""

    first_day = Day(required=True, metadata={"example": "2026-12-24"})
    last_day = Day(required=True, metadata={"example": "2026-12-26"})
    reason = Name(metadata={"example": "Christmas"})

    @ma.post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> Closure:
        """Load as a value object."""
        return Closure(**data)


class ClinicOutSchema(ClinicSchema):
    """The clinic as stored."""

    version = fields.Integer()
    closures = fields.List(fields.Nested(ClosureSchema))
