"""The client: who is treated, and how to reach them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from service.domain.email_address import email_address
from service.domain.errors import ClientErasedError, InvalidValue
from service.domain.events import ActorEvent, AggregateCreated
from service.domain.phone_number import phone_number
from service.domain.reminders import (
    NO_REMINDERS,
    Channel,
    ReminderPreferences,
    validate_preferences,
)
from service.domain.rules import require_text
from service.domain.values import Actor
from service.domain.zones import require_zone

CONTACT_FIELDS = ("name", "email", "phone", "zone", "notes")
ERASED = "erased"  # what an erased client's text reads as


class Client(Aggregate):
    """A client of the clinic."""

    reminder_preferences = NO_REMINDERS  # until the client consents to reminders
    feed_token_hash = ""  # no calendar feed until a token is issued
    link_generation = 0  # a signed link made for an older generation is revoked
    erased = False  # until the client's data key is destroyed (crypto-shredding)

    @classmethod
    def register(
        cls,
        *,
        name: str,
        email: str,
        phone: str,
        zone: str,
        notes: str,
        actor: Actor,
        region: str | None = None,
    ) -> Client:
        """Register a new client; a national phone number is read as one of `region`
        (the clinic's country; None: only international numbers)."""
        require_text("name", name)
        email = email_address("email", email)
        phone = phone_number("phone", phone, region)
        require_zone(zone)
        return cls(name=name, email=email, phone=phone, zone=zone, notes=notes, actor=actor)

    class ClientRegistered(AggregateCreated):
        """Client registered."""

        name: str
        email: str
        phone: str
        zone: str
        notes: str
        actor: Actor

    @event(ClientRegistered)
    def __init__(self, name: str, email: str, phone: str, zone: str, notes: str, actor: Actor):
        self.name = name
        self.email = email
        self.phone = phone
        self.zone = zone
        self.notes = notes

    def update(self, changes: dict[str, Any], actor: Actor, region: str | None = None) -> None:
        """Change contact details; only fields that really change are recorded. A new
        phone number is kept in E.164, a national one read as one of `region`."""
        self.require_not_erased()
        unknown = set(changes) - set(CONTACT_FIELDS)
        if unknown:
            raise InvalidValue(f"unknown client fields: {', '.join(sorted(unknown))}")
        if "name" in changes:
            require_text("name", changes["name"])
        if "email" in changes:
            changes = {**changes, "email": email_address("email", changes["email"])}
        if "phone" in changes:
            changes = {**changes, "phone": phone_number("phone", changes["phone"], region)}
        if "zone" in changes:
            require_zone(changes["zone"])
        real = {k: v for k, v in changes.items() if getattr(self, k) != v}
        if real:
            self.trigger_event(self.ClientDetailsChanged, changes=real, actor=actor)

    class ClientDetailsChanged(ActorEvent):
        """Client details changed."""

        changes: dict[str, Any]

        def apply(self, aggregate: Client) -> None:
            for key, value in self.changes.items():
                setattr(aggregate, key, value)

    def set_reminder_preferences(self, preferences: ReminderPreferences, actor: Actor) -> None:
        """Record the channels consented to, lead times and quiet hours, if they change."""
        self.require_not_erased()
        preferences = validate_preferences(preferences)
        if Channel.EMAIL in preferences.consented_channels and not self.email.strip():
            raise InvalidValue("email reminders need the client's email address")
        if Channel.SMS in preferences.consented_channels and not self.phone.strip():
            raise InvalidValue("SMS reminders need the client's phone number")
        if preferences != self.reminder_preferences:
            self.trigger_event(self.ReminderPreferencesSet, preferences=preferences, actor=actor)

    def issue_feed_token(self, token_hash: str, actor: Actor) -> None:
        """Give the client a (new) secret calendar feed; any earlier one stops working."""
        self.require_not_erased()
        require_text("token_hash", token_hash)
        self.trigger_event(self.FeedTokenIssued, token_hash=token_hash, actor=actor)

    def revoke_feed_token(self, actor: Actor) -> None:
        """Stop the client's calendar feed from answering."""
        if self.feed_token_hash:
            self.trigger_event(self.FeedTokenRevoked, actor=actor)

    class ReminderPreferencesSet(ActorEvent):
        """Reminder preferences set."""

        preferences: ReminderPreferences

        def apply(self, aggregate: Client) -> None:
            aggregate.reminder_preferences = self.preferences

    class FeedTokenIssued(ActorEvent):
        """Feed token issued."""

        token_hash: str

        def apply(self, aggregate: Client) -> None:
            aggregate.feed_token_hash = self.token_hash

    class FeedTokenRevoked(ActorEvent):
        """Feed token revoked."""

        def apply(self, aggregate: Client) -> None:
            aggregate.feed_token_hash = ""

    def revoke_links(self, actor: Actor) -> None:
        """Make every signed link sent to the client so far stop working."""
        self.trigger_event(
            self.ClientLinksRevoked, generation=self.link_generation + 1, actor=actor
        )

    def confirm_attendance(self, plan_id: UUID, number: int, start: datetime, actor: Actor) -> None:
        """Record that the client says they will come to the session starting at `start`
        (the caller checks the session is theirs and booked at that time)."""
        self.require_not_erased()
        self.trigger_event(
            self.AttendanceConfirmed, plan_id=plan_id, number=number, start=start, actor=actor
        )

    class ClientLinksRevoked(ActorEvent):
        """Client links revoked."""

        generation: int

        def apply(self, aggregate: Client) -> None:
            aggregate.link_generation = self.generation

    class AttendanceConfirmed(ActorEvent):
        """Attendance confirmed."""

        plan_id: UUID
        number: int
        start: datetime

    def require_not_erased(self) -> None:
        """ClientErased: nothing is recorded of an erased client any more."""
        if self.erased:
            raise ClientErasedError("the client's data was erased: nothing more is recorded")

    def erase(
        self,
        *,
        override_reason: str,
        plan_ids: tuple[UUID, ...],
        visit_ids: tuple[UUID, ...],
        actor: Actor,
    ) -> None:
        """Record that the client's data is erased (the caller destroys the key); once."""
        if not self.erased:
            self.trigger_event(
                self.ClientErased,
                override_reason=override_reason,
                plan_ids=plan_ids,
                visit_ids=visit_ids,
                actor=actor,
            )

    class ClientErased(ActorEvent):
        """Client erased: the client's data key destroyed. Holds no personal data: who, when
        (the event's actor and timestamp) and, if inside the retention period, why."""

        erases_client: ClassVar[bool] = True  # read by the store, which forgets the key
        override_reason: str
        plan_ids: tuple[UUID, ...]  # the client's plans and visits: what the views purge
        visit_ids: tuple[UUID, ...]

        def apply(self, aggregate: Client) -> None:
            aggregate.erased = True
            aggregate.name, aggregate.email, aggregate.phone, aggregate.notes = (
                ERASED,
                "",
                "",
                ERASED,
            )
            aggregate.reminder_preferences = NO_REMINDERS
            aggregate.feed_token_hash = ""
            aggregate.link_generation += 1  # every link sent to the client stops working
