"""What the client page's forms show before anything is typed: the client's details and
reminder choices as stored."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from service.domain.client import CONTACT_FIELDS, Client
from service.domain.reminders import MAX_LEADS, Channel, ReminderPreferences
from service.web.reminders import lead_text

# Lead times the desk can tick; one set through the API shows beside them.
LEAD_CHOICES = (timedelta(hours=72), timedelta(hours=48), timedelta(hours=24), timedelta(hours=2))
CHANNEL_NAMES = {Channel.EMAIL: "Email", Channel.SMS: "SMS (text message)"}


def details_values(client: Client) -> dict[str, str]:
    """The contact details as the edit form shows them."""
    return {field: str(getattr(client, field)) for field in CONTACT_FIELDS}


def one_text(value: str) -> str:
    """A field's text as compared with what is stored: trimmed, line ends as LF (a browser
    sends a textarea's as CRLF)."""
    return value.replace("\r\n", "\n").strip()


def lead_options(preferences: ReminderPreferences) -> list[tuple[str, str]]:
    """(minutes, label) of each lead time to offer: the usual ones and the client's own."""
    leads = sorted({*LEAD_CHOICES, *preferences.leads}, reverse=True)
    return [(str(lead // timedelta(minutes=1)), f"{lead_text(lead)} before") for lead in leads]


def consent_values(client: Client) -> dict[str, Any]:
    """The consent form as the client's preferences fill it in."""
    preferences = client.reminder_preferences
    quiet = preferences.quiet_hours
    return {
        "channels": [(c.value, CHANNEL_NAMES[c]) for c in Channel],
        "consented": [c.value for c in preferences.consented_channels],
        "lead_options": lead_options(preferences),
        "leads": [str(lead // timedelta(minutes=1)) for lead in preferences.leads],
        "quiet_start": f"{quiet.start:%H:%M}" if quiet else "",
        "quiet_end": f"{quiet.end:%H:%M}" if quiet else "",
        "max_leads": MAX_LEADS,
    }
