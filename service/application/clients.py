"""Clients: registering them and keeping their contact details right."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from service.adapters.store import BaseApplication, retried
from service.domain.client import Client
from service.domain.values import Actor


class Clients(BaseApplication):
    """The clinic's clients."""

    def register_client(
        self, *, name: str, email: str, phone: str, zone: str, notes: str, actor: Actor
    ) -> UUID:
        """Register a client."""
        client = Client.register(
            name=name, email=email, phone=phone, zone=zone, notes=notes, actor=actor
        )
        self.save(client)
        return client.id

    @retried
    def update_client(self, client_id: UUID, changes: dict[str, Any], actor: Actor) -> Client:
        """Change a client's contact details."""
        client = self.load(Client, client_id)
        client.update(changes, actor)
        self.save(client)
        return client
