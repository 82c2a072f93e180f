"""The client's consent to reminders, from their own page: which channels (lead times and
quiet hours stay as the desk set them)."""

from __future__ import annotations

from dataclasses import replace

from flask import Response, request

from service.application.self_service import client_actor
from service.domain.errors import DomainError
from service.domain.reminders import Channel
from service.http.context import regimen
from service.web.client_page import back_to_page, client_pages, opened_or_refusal
from service.web.client_refusals import domain_refusal


@client_pages.route("/c/<token>/reminders", methods=["POST"])
def reminders(token: str) -> Response:
    """Record the channels the client consents to be reminded by."""
    opened = opened_or_refusal(token)
    if isinstance(opened, Response):
        return opened
    client = opened.client
    chosen = tuple(c for c in Channel if request.form.get(c.value) == "yes")
    preferences = replace(client.reminder_preferences, consented_channels=chosen)
    try:
        regimen().set_reminder_preferences(client.id, preferences, client_actor(client.id))
    except DomainError as error:
        return domain_refusal(error)
    return back_to_page(token, "reminders")
