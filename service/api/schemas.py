"""Request and response bodies for setup and clients."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from service.api.fields import (
    EmailAddress,
    Line,
    LocalDateTime,
    Name,
    Text,
    WallTime,
    Zone,
    input_problem,
)
from service.domain.values import DayHours, WeeklyHours

PAGE_LIMIT_MAX = 500


class Strict(ma.Schema):
    """Unknown fields are refused, never ignored; values are checked before any field reads them.

    Every schema that reads input derives from this one, so the check below covers
    every string of every body and query (no control character or lone surrogate
    anywhere, one line unless the field is free text: service.domain.text) and every
    JSON integer (a whole number: 30.5 or 2.6e-42 are refused, never truncated).
    """

    class Meta:
        unknown = ma.RAISE

    @ma.pre_load
    def refuse_unreadable_values(self, data: Any, **kwargs: Any) -> Any:
        """Refuse, at its field, a string that is no storable text or a number not whole."""
        if isinstance(data, Mapping):
            problems = {
                key: [reason]
                for key, field in self.load_fields.items()
                if (reason := input_problem(data, field.data_key or key, field))
            }
            if problems:
                raise ma.ValidationError(problems)
        return data


class EndsAfterStart(Strict):
    """A span of the day, its `start` and `end` wall times declared by the schema: it ends
    after it starts."""

    @ma.validates_schema
    def end_after_start(self, data: dict[str, Any], **kwargs: Any) -> None:
        """The span ends after it starts."""
        if data["end"] <= data["start"]:
            raise ma.ValidationError("end must be after start", field_name="end")


class DayHoursSchema(EndsAfterStart):
    """Open or working hours on one weekday (0 = Monday), local wall time."""

    weekday = fields.Integer(
        required=True,
        validate=validate.Range(0, 6),
        metadata={"description": "0 = Monday", "example": 0},
    )
    start = WallTime(required=True, metadata={"example": "09:00"})
    end = WallTime(required=True, metadata={"example": "17:00"})

    @ma.post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> DayHours:
        """Load as a value object."""
        return DayHours(**data)


def weekly_hours(intervals: list[DayHours]) -> WeeklyHours:
    """Weekly hours from their intervals, in a stable order."""
    return WeeklyHours(tuple(sorted(intervals, key=lambda h: (h.weekday, h.start))))


class TherapistSchema(Strict):
    """A therapist to register."""

    name = Name(metadata={"example": "Sam Carter"})
    email = EmailAddress(optional=True)
    phone = fields.String(
        load_default="",
        validate=validate.Length(max=40),
        metadata={
            "example": "+44 20 7946 0019",
            "description": "How the desk reaches the therapist; a national number is read as"
            " one of the clinic's country. Kept in E.164.",
        },
    )
    modalities = fields.List(
        Line(max_length=100),
        load_default=list,
        metadata={"example": ["swedish", "deep tissue", "myofascial release"]},
    )


class TimeOffSchema(Strict):
    """An absence, in local wall time of a zone."""

    start = LocalDateTime(required=True, example_at=time(13))
    end = LocalDateTime(required=True, example_at=time(17))
    timezone = Zone(required=True)
    reason = Name(metadata={"example": "training course"})


class TimeOffOutSchema(ma.Schema):
    """An absence as stored (UTC instants)."""

    start = fields.AwareDateTime()
    end = fields.AwareDateTime()
    reason = fields.String()


class WorkingHoursSchema(Strict):
    """A therapist's weekly working hours."""

    hours = fields.List(fields.Nested(DayHoursSchema), required=True)


class TherapistOutSchema(ma.Schema):
    """A therapist as stored."""

    id = fields.UUID()
    version = fields.Integer()
    name = fields.String()
    email = fields.String(metadata={"description": "An email address, or empty"})
    phone = fields.String(
        metadata={
            "description": "E.164, or empty (none recorded, as for every therapist"
            " registered before phone numbers were)"
        }
    )
    modalities = fields.List(fields.String())
    working_hours = fields.Method("dump_hours")
    time_off = fields.List(fields.Nested(TimeOffOutSchema))

    def dump_hours(self, therapist: Any) -> Any:
        """Working hours as a list, or null when none are set."""
        hours = therapist.working_hours
        if hours is None:
            return None
        return DayHoursSchema(many=True).dump(hours.intervals)


class RoomSchema(Strict):
    """A treatment room."""

    name = Name(metadata={"example": "Room 1"})


class RoomOutSchema(RoomSchema):
    """A room as stored."""

    id = fields.UUID()


class ClientSchema(Strict):
    """A client to register."""

    name = Name(metadata={"example": "Maria Lopez"})
    email = EmailAddress(optional=True)
    phone = fields.String(
        load_default="", validate=validate.Length(max=40), metadata={"example": "+44 20 7946 0018"}
    )
    timezone = Zone(
        load_default=None, attribute="zone", metadata={"description": "Defaults to the clinic's"}
    )
    notes = Text(load_default="", metadata={"example": "prefers morning appointments"})
    allow_duplicate = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Register even if a client with the same email, or the same name "
            "and phone number, is registered already; without it that answers 409 naming them"
        },
    )


class ClientPatchSchema(Strict):
    """Changes to a client's details; only the fields given change."""

    name = fields.String(validate=[validate.Length(min=1, max=200)])
    email = EmailAddress()
    phone = fields.String(validate=validate.Length(max=40))
    timezone = Zone(attribute="zone")
    notes = Text()


class ClientOutSchema(ma.Schema):
    """A client as stored."""

    id = fields.UUID()
    version = fields.Integer()
    name = fields.String()
    email = fields.String()
    phone = fields.String()
    timezone = fields.String(attribute="zone")
    notes = fields.String()


class ErasureSchema(Strict):
    """An erasure request; inside the clinic's retention period it needs an override."""

    override_reason = Text(
        load_default="",
        max_length=500,
        metadata={
            "description": "Why the client's records are erased inside the retention period"
            " (recorded with the erasure); leave out otherwise",
            "example": "court order 2026/114: erase now",
        },
    )


class ErasureOutSchema(ma.Schema):
    """What an erasure did."""

    client_id = fields.UUID()
    plan_ids = fields.List(fields.UUID())
    visit_ids = fields.List(fields.UUID())
    override_reason = fields.String()
