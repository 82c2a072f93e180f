"""Clients: registering them and keeping their contact details right."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

from service.adapters.store import BaseApplication
from service.application.commands import ClientDetails
from service.application.setup import clinic_phone_region, phone_region_for
from service.domain.client import Client
from service.domain.phone_number import phone_number
from service.domain.values import Actor


class Clients(BaseApplication):
    """The clinic's clients."""

    def register_client(self, details: ClientDetails, *, actor: Actor) -> UUID:
        """Register a client; the phone number is kept in E.164."""
        region = phone_region_for(self, details.phone)
        client = Client.register(**asdict(details), actor=actor, region=region)
        self.save(client)
        return client.id

    def update_client(self, client_id: UUID, changes: dict[str, Any], actor: Actor) -> Client:
        """Change a client's contact details."""
        region = phone_region_for(self, changes.get("phone", ""))
        return self.change(Client, client_id, lambda c: c.update(changes, actor, region))

    def phone_region(self) -> str | None:
        """The country a phone number given without +country code is read in: the clinic's,
        from its zone (None before the clinic is set up, or in a zone such as UTC)."""
        return clinic_phone_region(self)

    def client_phone(self, value: str) -> str:
        """A phone number as a client's would be kept (E.164), or InvalidValue: lets the
        desk look for a client with that number before registering one."""
        return phone_number("phone", value, phone_region_for(self, value))
