"""Use cases of a client's reminders: preferences and consent, the secret calendar feed."""

from __future__ import annotations

import secrets
from uuid import UUID

from service.adapters.store import BaseApplication, retried
from service.domain.client import Client
from service.domain.reminders import ReminderPreferences
from service.domain.users import token_hash
from service.domain.values import Actor


class Reminding(BaseApplication):
    """Setting how a client is reminded, and giving out or revoking their feed."""

    def set_reminder_preferences(
        self, client_id: UUID, preferences: ReminderPreferences, actor: Actor
    ) -> Client:
        """Record consent, lead times and quiet hours; the unsent reminders are re-planned."""
        return self.change(
            Client, client_id, lambda c: c.set_reminder_preferences(preferences, actor)
        )

    @retried
    def issue_feed_token(self, client_id: UUID, actor: Actor) -> str:
        """A new secret feed token for the client, returned this once; the old one stops."""
        token = secrets.token_urlsafe(32)
        client = self.load(Client, client_id)
        client.issue_feed_token(token_hash(token), actor)
        self.save(client)
        return token

    def revoke_feed_token(self, client_id: UUID, actor: Actor) -> Client:
        """The client's feed URL answers 404 from now on."""
        return self.change(Client, client_id, lambda c: c.revoke_feed_token(actor))
