"""Which fields of which events are a client's personal or clinical data, and what an erased
one reads as.

With a cipher key these fields are stored encrypted under the client's own data key
(service/adapters/client_mapper.py); once the client is erased the key is gone, and replay
gives each field a placeholder of its own type ("erased" for text, empty for sequences and
measures, zero for numbers, None where the field may be absent), so every aggregate still
loads and every page still renders. Ids, versions, times and the series' numbers stay in
the structure: the calendar, the seals and the log's order need them.

Every event class holding text is named here, either with its personal fields or as
holding none (tests/unit/test_personal_data.py checks it).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import UTC, date, datetime, time
from enum import Enum
from functools import cache
from typing import Any
from uuid import UUID

from eventsourcing.domain import Snapshot

from service.domain.access import PlanAccessDay
from service.domain.client import ERASED, Client
from service.domain.clinic import Clinic
from service.domain.payer import Payer
from service.domain.plan import TreatmentPlan
from service.domain.staff import Room, Therapist
from service.domain.users import StaffRoster, User
from service.domain.visit import Visit
from service.domain.waitlist import SlotOffer, WaitlistEntry

_PLAN, _VISIT = TreatmentPlan, Visit

PERSONAL: dict[type, tuple[str, ...]] = {
    Client.ClientRegistered: ("name", "email", "phone", "notes"),
    Client.ClientDetailsChanged: ("changes",),
    _PLAN.PlanProposed: (
        "assessment",
        "focus_areas",
        "modalities",
        "expected_progress",
        "adjuncts",
        "referral",
        "prescription",
        "authorization",
    ),
    _PLAN.SessionBooked: ("authorization_override",),
    _PLAN.SessionRescheduled: ("authorization_override",),
    _PLAN.SessionCancelled: ("reason",),
    _PLAN.SessionPerformed: ("performance", "billed", "authorization_override"),
    _PLAN.OutcomeEvaluated: ("evaluation",),
    _PLAN.SessionRecordAmended: ("performance", "reason", "billed"),
    _PLAN.EvaluationAmended: ("evaluation", "reason"),
    _PLAN.PlanRevised: ("reason",),
    _PLAN.ClientReferred: ("referral",),
    _PLAN.PlanCompleted: ("note",),
    _PLAN.PlanCancelled: ("reason",),
    _VISIT.VisitBooked: ("complaint",),
    _VISIT.VisitCancelled: ("reason",),
    _VISIT.VisitPerformed: ("performance", "billed"),
    _VISIT.VisitRecordAmended: ("performance", "reason", "billed"),
    _VISIT.AssessmentRecorded: ("assessment",),
    WaitlistEntry.WaitlistLeft: ("reason",),
    PlanAccessDay.RecordViewed: ("detail", "reason"),
    # A plan's snapshot holds all of the above; an erasure deletes the client's snapshots.
    Snapshot: ("state",),
}

# Events that hold text but nothing of a client's: why, for each.
NOT_PERSONAL: dict[type, str] = {
    Client.ClientErased: "who erased the client, when and why: no personal data",
    Client.FeedTokenIssued: "a hash of a secret, worthless once the token is replaced",
    Client.ReminderPreferencesSet: "channels consented to, lead times and quiet hours",
    _PLAN.SeriesScheduled: "the series' first start, zone and policy: the calendar needs them",
    _PLAN.SeriesExtensionBlocked: "which occurrences clash, and with what kind of booking",
    _PLAN.OccurrencesPassedUnbooked: "times the series passed unbooked",
    _VISIT.VisitRescheduled: "times only (a session time names its zone)",
    PlanAccessDay.AccessLogOpened: "the plan and the day only",
    Clinic.ClinicConfigured: "the clinic's own settings",
    Clinic.ClosureAdded: "the clinic's closures",
    Clinic.ClinicContactSet: "the clinic's own address, phone, email and website",
    Therapist.TherapistRegistered: "staff, not clients: kept for the audit trail",
    Therapist.WorkingHoursSet: "staff hours",
    Therapist.TimeOffAdded: "staff absence",
    Room.RoomAdded: "a room's name",
    User.UserAdded: "a staff user and a hash of their token",
    StaffRoster.UserEnlisted: "a staff user's name and role",
    Payer.PayerRegistered: "an insurer's terms",
    Payer.PayerChanged: "an insurer's terms",
    WaitlistEntry.WaitlistJoined: "the client's id and the weekly times they can come",
    SlotOffer.SlotOfferOpened: "a freed time of the calendar",
    SlotOffer.OfferClosed: "why the offer closed, in the scheduler's words",
}


@cache
def personal_fields(event_class: type) -> tuple[str, ...]:
    """The personal fields of events of this class (none if it holds none)."""
    for cls in event_class.__mro__:
        if cls in PERSONAL:
            return PERSONAL[cls]
    return ()


@cache
def placeholders(event_class: type) -> dict[str, Any]:
    """What each personal field of an erased event of this class reads as."""
    hints = typing.get_type_hints(event_class)
    return {name: placeholder(hints[name]) for name in personal_fields(event_class)}


def placeholder(hint: Any) -> Any:
    """An erased value of this type: text "erased", sequences and mappings empty, numbers
    zero, optional values None, a value object made of placeholders."""
    origin = typing.get_origin(hint) or hint
    arguments = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return None if type(None) in arguments else placeholder(arguments[0])
    simple = {str: ERASED, int: 0, float: 0.0, bool: False, tuple: (), list: [], dict: {}}
    if origin in simple:
        return simple[origin]
    if dataclasses.is_dataclass(origin) and isinstance(origin, type):
        inner = typing.get_type_hints(origin)
        fields = dataclasses.fields(origin)
        return origin(**{f.name: placeholder(inner[f.name]) for f in fields if f.init})
    if isinstance(origin, type) and issubclass(origin, Enum):
        return next(iter(origin))
    return _FIXED.get(origin)


_FIXED: dict[Any, Any] = {
    UUID: UUID(int=0),
    date: date.min,
    datetime: datetime.min.replace(tzinfo=UTC),
    time: time.min,
    Any: None,
}


def client_named(event: Any) -> UUID | None:
    """The client an event names: a client's own events, and events carrying a client's id
    (a plan's or a visit's first); others are about the client their aggregate's first
    event named, if any."""
    if isinstance(event, Client.Event):
        return event.originator_id
    client_id = getattr(event, "client_id", None)
    return client_id if isinstance(client_id, UUID) else None
