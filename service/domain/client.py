"""The client: who is treated, and how to reach them."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import Aggregate, event

from service.domain.errors import InvalidValue
from service.domain.rules import require_text
from service.domain.values import Actor
from service.domain.zones import require_zone

CONTACT_FIELDS = ("name", "email", "phone", "zone", "notes")


class Client(Aggregate):
    """A client of the clinic."""

    @classmethod
    def register(
        cls, *, name: str, email: str, phone: str, zone: str, notes: str, actor: Actor
    ) -> Client:
        """Register a new client."""
        require_text("name", name)
        require_zone(zone)
        return cls(name=name, email=email, phone=phone, zone=zone, notes=notes, actor=actor)

    @event("ClientRegistered")
    def __init__(self, name: str, email: str, phone: str, zone: str, notes: str, actor: Actor):
        self.name = name
        self.email = email
        self.phone = phone
        self.zone = zone
        self.notes = notes

    def update(self, changes: dict[str, Any], actor: Actor) -> None:
        """Change contact details; only fields that really change are recorded."""
        unknown = set(changes) - set(CONTACT_FIELDS)
        if unknown:
            raise InvalidValue(f"unknown client fields: {', '.join(sorted(unknown))}")
        if "name" in changes:
            require_text("name", changes["name"])
        if "zone" in changes:
            require_zone(changes["zone"])
        real = {k: v for k, v in changes.items() if getattr(self, k) != v}
        if real:
            self._details_changed(changes=real, actor=actor)

    @event("ClientDetailsChanged")
    def _details_changed(self, changes: dict[str, Any], actor: Actor) -> None:
        for key, value in changes.items():
            setattr(self, key, value)
