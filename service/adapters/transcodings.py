"""How the domain's value types are written to and read from the event store."""

from __future__ import annotations

import dataclasses
from datetime import date, time, timedelta
from enum import Enum
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from service.domain import values
from service.domain.billing_units import ProcedureMinutes, ProcedureUnits, UnitRule
from service.domain.calendar import Reservation, Resource
from service.domain.measures import Instrument, MeasureAnswers
from service.domain.payer import AuthorizationCount, Fee, PayerTerms
from service.domain.reminders import Channel, QuietHours, ReminderPreferences
from service.domain.rolling_series import ConflictReason, OccurrenceConflict
from service.domain.visit import VisitKind
from service.domain.waitlist import EntryStatus, FreedSlot, OfferStatus, WaitlistRequest, Window

VALUE_TYPES: tuple[type, ...] = (
    values.Actor,
    values.RangeOfMotion,
    MeasureAnswers,
    values.Assessment,
    values.SeriesSpec,
    values.Referral,
    values.Prescription,
    values.Authorization,
    values.DayHours,
    values.WeeklyHours,
    values.Closure,
    values.TimeOff,
    values.SessionTime,
    values.Performance,
    values.Evaluation,
    values.Amendment,
    values.Session,
    values.SeriesRule,
    Reservation,
    QuietHours,
    ReminderPreferences,
    OccurrenceConflict,
    Fee,
    PayerTerms,
    ProcedureMinutes,
    ProcedureUnits,
    Window,
    WaitlistRequest,
    FreedSlot,
)
ENUM_TYPES: tuple[type[Enum], ...] = (
    values.Role,
    values.Intention,
    values.PlanStatus,
    values.SessionStatus,
    values.Mobility,
    values.Recommendation,
    Instrument,
    UnitRule,
    AuthorizationCount,
    Resource,
    Channel,
    VisitKind,
    ConflictReason,
    EntryStatus,
    OfferStatus,
)


def iso_transcoding(cls: type[date] | type[time], label: str) -> Transcoding:
    """A transcoding for a calendar date (YYYY-MM-DD) or a wall-clock time (HH:MM[:SS])."""

    class AsISO(Transcoding):
        type = cls
        name = label

        def encode(self, obj: date | time) -> str:
            return obj.isoformat()

        def decode(self, data: str) -> date | time:
            return cls.fromisoformat(data)

    return AsISO()


class TimedeltaAsMicroseconds(Transcoding):
    """A duration as a whole number of microseconds: exact at any size."""

    type = timedelta
    name = "timedelta_us"

    def encode(self, obj: timedelta) -> int:
        return obj // timedelta(microseconds=1)

    def decode(self, data: int) -> timedelta:
        return timedelta(microseconds=data)


class FieldsAsDict(Transcoding):
    """A frozen dataclass as a dict of its fields by name (`names`, in their order)."""

    names: tuple[str, ...]

    def encode(self, obj: Any) -> dict[str, Any]:
        return {n: getattr(obj, n) for n in self.names}


def value_transcoding(cls: type) -> Transcoding:
    """A transcoding for a frozen dataclass: its fields by name.

    JSON turns tuples into lists; value objects hold sequences as tuples, so
    lists are turned back on the way in.
    """

    class ValueAsDict(FieldsAsDict):
        type = cls
        name = cls.__name__
        names = tuple(field.name for field in dataclasses.fields(cls))

        def decode(self, data: dict[str, Any]) -> Any:
            return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})

    return ValueAsDict()


def enum_transcoding(cls: type[Enum]) -> Transcoding:
    """A transcoding for an Enum: its value."""

    class EnumAsValue(Transcoding):
        type = cls
        name = cls.__name__

        def encode(self, obj: Enum) -> Any:
            return obj.value

        def decode(self, data: Any) -> Enum:
            return cls(data)

    return EnumAsValue()


def register_value_transcodings(transcoder: JSONTranscoder) -> None:
    """Register every value type of the domain."""
    dates, times = iso_transcoding(date, "date_iso"), iso_transcoding(time, "time_iso")
    for transcoding in (dates, times, TimedeltaAsMicroseconds()):
        transcoder.register(transcoding)
    for value_type in VALUE_TYPES:
        transcoder.register(value_transcoding(value_type))
    for enum_type in ENUM_TYPES:
        transcoder.register(enum_transcoding(enum_type))
