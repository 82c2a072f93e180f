"""Reminders: a client's preferences and consent, their feed token, and the schedules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from flask.views import MethodView

from service.api.auth import DESK, STAFF, current_actor, roles
from service.api.context import etag, public_url_for, regimen, reminder_reads
from service.api.reminder_schemas import (
    FeedTokenSchema,
    PreferencesOutSchema,
    PreferencesSchema,
    ReminderQuerySchema,
    ReminderRowSchema,
)
from service.api.resource import ResourceBlueprint
from service.domain.client import Client
from service.domain.reminders import Channel, ReminderPreferences

blp = ResourceBlueprint(
    "reminders", __name__, description="Reminder preferences, calendar feeds, reminder schedules"
)
CLIENT = "/clients/<uuid:client_id>"


def preferences_out(client: Client) -> dict[str, Any]:
    """A client's preferences as the API shows them."""
    preferences: ReminderPreferences = client.reminder_preferences
    quiet = preferences.quiet_hours
    return {
        "client_id": str(client.id),
        "timezone": client.zone,
        "consent": {c.value: preferences.consents_to(c) for c in Channel},
        "lead_minutes": [lead // timedelta(minutes=1) for lead in preferences.leads],
        "quiet_hours": (
            {"start": quiet.start.strftime("%H:%M"), "end": quiet.end.strftime("%H:%M")}
            if quiet
            else None
        ),
        "feed_active": bool(client.feed_token_hash),
        "version": client.version,
    }


@blp.route(f"{CLIENT}/reminder-preferences")
class PreferencesView(MethodView):
    """How a client is reminded."""

    @blp.reading(STAFF, PreferencesOutSchema)
    def get(self, client_id: UUID) -> Any:
        """Read a client's reminder consent, lead times and quiet hours"""
        client = regimen().load(Client, client_id)
        return preferences_out(client), 200, etag(client.version)

    @blp.change(DESK, PreferencesSchema(), PreferencesOutSchema)
    def put(self, preferences: ReminderPreferences, client_id: UUID) -> Any:
        """Record consent per channel, lead times and quiet hours; unsent reminders re-plan"""
        client = regimen().set_reminder_preferences(client_id, preferences, current_actor())
        return preferences_out(client), 200, etag(client.version)


@blp.route(f"{CLIENT}/feed-token")
class FeedTokenView(MethodView):
    """The client's secret calendar feed."""

    @roles(*DESK)
    @blp.response(201, FeedTokenSchema)
    def post(self, client_id: UUID) -> Any:
        """Issue (or rotate) the client's feed; the URL is shown once, the old one stops"""
        token = regimen().issue_feed_token(client_id, current_actor())
        url = public_url_for("feeds.FeedView", token=token)
        return {"token": token, "url": url}, 201

    @roles(*DESK)
    @blp.response(204)
    def delete(self, client_id: UUID) -> Any:
        """Revoke the client's feed: its URL answers 404 from now on"""
        regimen().revoke_feed_token(client_id, current_actor())
        return "", 204


@blp.route(f"{CLIENT}/reminders")
class ClientRemindersView(MethodView):
    """A client's reminder schedule."""

    @blp.listing(STAFF, ReminderQuerySchema(), ReminderRowSchema(many=True))
    def get(self, query: dict[str, Any], client_id: UUID) -> Any:
        """List a client's reminders by due time: scheduled, sent, cancelled or failed"""
        regimen().load(Client, client_id)
        return reminder_reads().schedule(
            client_id=str(client_id),
            status=query["status"],
            limit=query["limit"],
            cursor=query["cursor"],
        )


@blp.route("/reminders")
class RemindersView(MethodView):
    """The clinic's reminders."""

    @blp.listing(STAFF, ReminderQuerySchema(), ReminderRowSchema(many=True))
    def get(self, query: dict[str, Any]) -> Any:
        """List every client's reminders by due time; ?status=failed shows what never went out"""
        return reminder_reads().schedule(
            status=query["status"], limit=query["limit"], cursor=query["cursor"]
        )
