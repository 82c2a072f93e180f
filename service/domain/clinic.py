"""The clinic: its time zone, opening hours, closures and cancellation policy."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from service.domain.clinic_contact import NO_CONTACT, ClinicContact, checked_contact
from service.domain.errors import InvalidValue
from service.domain.events import ActorEvent, AggregateCreated
from service.domain.languages import DEFAULT_LANGUAGE, require_language
from service.domain.retention import DEFAULT_RETENTION_YEARS
from service.domain.rules import require_range, require_text
from service.domain.values import Actor, Closure, WeeklyHours
from service.domain.zones import require_zone

CLINIC_ID = uuid5(NAMESPACE_URL, "regimen:clinic")
NPI = re.compile(r"[0-9]{10}")
MAX_TAX_ID = 30


def validate_hours(hours: WeeklyHours) -> None:
    """Weekly hours name weekdays 0-6, are wall times (no offset) and end after they start."""
    for interval in hours.intervals:
        require_range("weekday", interval.weekday, 0, 6)
        if interval.start.tzinfo is not None or interval.end.tzinfo is not None:
            raise InvalidValue("hours are local wall times: give them without an offset")
        if interval.end <= interval.start:
            raise InvalidValue(
                f"hours on weekday {interval.weekday} end ({interval.end}) before they "
                f"start ({interval.start})"
            )


@dataclass(frozen=True)
class ClinicSettings:
    """How the clinic runs: its name, zone, opening hours, late-cancel policy, chart access."""

    name: str
    zone: str
    opening_hours: WeeklyHours
    cancellation_window_hours: int
    late_cancel_counts: bool
    charts_open_to_all_therapists: bool = False
    npi: str = ""  # the clinic's National Provider Identifier, on its superbills
    tax_id: str = ""  # the clinic's tax id (an EIN in the US), on its superbills
    retention_years: int = DEFAULT_RETENTION_YEARS  # records kept after the last treatment
    language: str = DEFAULT_LANGUAGE  # what clients read: messages, their page, their feed
    self_booking: bool = False  # clients book their plan's next sessions from their page

    def __post_init__(self) -> None:
        require_text("name", self.name)
        require_zone(self.zone)
        validate_hours(self.opening_hours)
        require_range("cancellation_window_hours", self.cancellation_window_hours, 0, 24 * 14)
        if self.npi:
            require_npi(self.npi)
        if self.tax_id:
            require_text("tax_id", self.tax_id)
            require_range("the length of tax_id", len(self.tax_id), 1, MAX_TAX_ID)
        require_range("retention_years", self.retention_years, 0, 100)
        require_language(self.language)


SETTINGS = tuple(f.name for f in fields(ClinicSettings))  # what ClinicConfigured carries


def require_npi(npi: str) -> None:
    """An NPI is ten digits whose last is a Luhn check digit over 80840 and the first nine."""
    if not NPI.fullmatch(npi):
        raise InvalidValue(f"an NPI is ten digits, not {npi!r}")
    digits = [int(d) for d in "80840" + npi]
    total = sum(
        d if i % 2 == (len(digits) - 1) % 2 else (d * 2 - 9 if d > 4 else d * 2)
        for i, d in enumerate(digits)
    )
    if total % 10:
        raise InvalidValue(f"NPI {npi} fails its check digit: check it for a typing error")


class Clinic(Aggregate):
    """The one clinic a Regimen installation serves."""

    @staticmethod
    def create_id() -> UUID:
        """There is one clinic per installation."""
        return CLINIC_ID

    class ClinicOpened(AggregateCreated):
        """Clinic opened."""

        actor: Actor

    @event(ClinicOpened)
    def __init__(self, actor: Actor) -> None:
        self.name = ""
        self.zone = "UTC"
        self.opening_hours = WeeklyHours()
        self.cancellation_window_hours = 24
        self.late_cancel_counts = False
        self.charts_open_to_all_therapists = False
        self.npi = ""
        self.tax_id = ""
        self.retention_years = DEFAULT_RETENTION_YEARS
        self.language = DEFAULT_LANGUAGE
        self.closures: list[Closure] = []

    def configure(self, settings: ClinicSettings, actor: Actor) -> None:
        """Set name, zone, hours, the late-cancel policy and who reads which charts."""
        self.trigger_event(self.ClinicConfigured, **vars(settings), actor=actor)

    contact = NO_CONTACT  # until the clinic says how clients reach it
    self_booking = False  # until the clinic allows it (and in snapshots from before it)

    def set_contact(self, contact: ClinicContact, actor: Actor) -> None:
        """Record how clients reach the clinic (every message carries it), if it changes."""
        contact = checked_contact(contact)
        if contact != self.contact:
            self.trigger_event(self.ClinicContactSet, **vars(contact), actor=actor)

    def close(self, closure: Closure, actor: Actor) -> None:
        """Close the clinic on some days (a holiday, a training)."""
        require_text("reason", closure.reason)
        if closure.last_day < closure.first_day:
            raise InvalidValue("a closure's last day comes before its first")
        self.trigger_event(self.ClosureAdded, closure=closure, actor=actor)

    @property
    def cancellation_window(self) -> timedelta:
        """How close to a session a cancellation counts as late."""
        return timedelta(hours=self.cancellation_window_hours)

    class ClinicConfigured(ActorEvent):
        """Clinic configured."""

        name: str
        zone: str
        opening_hours: WeeklyHours
        cancellation_window_hours: int
        late_cancel_counts: bool
        charts_open_to_all_therapists: bool = False  # absent from events stored before it
        npi: str = ""  # absent from events stored before it
        tax_id: str = ""  # absent from events stored before it
        retention_years: int = DEFAULT_RETENTION_YEARS  # absent from events stored before it
        language: str = DEFAULT_LANGUAGE  # absent from events stored before it
        self_booking: bool = False  # absent from events stored before it

        def apply(self, aggregate: Clinic) -> None:
            for setting in SETTINGS:
                setattr(aggregate, setting, getattr(self, setting))

    class ClosureAdded(ActorEvent):
        """Closure added."""

        closure: Closure

        def apply(self, aggregate: Clinic) -> None:
            aggregate.closures.append(self.closure)

    class ClinicContactSet(ActorEvent):
        """Clinic contact set."""

        address: str
        phone: str
        email: str
        website: str
        late_cancel_rule: str

        def apply(self, aggregate: Clinic) -> None:
            aggregate.contact = ClinicContact(
                address=self.address,
                phone=self.phone,
                email=self.email,
                website=self.website,
                late_cancel_rule=self.late_cancel_rule,
            )
