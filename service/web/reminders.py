"""The client's reminder schedule, how they are reminded, and their calendar-feed link."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any
from uuid import UUID

from service.domain.client import Client
from service.http.context import clinic_zone, local, public_url_for, regimen, reminder_reads
from service.reminders.feed import subscribe_links
from service.web.calendar_model import Block

SHOWN = 60


def lead_text(lead: timedelta) -> str:
    """'48 h', '2 h' or '30 min' before the session."""
    minutes = int(lead.total_seconds() // 60)
    return f"{minutes // 60} h" if minutes % 60 == 0 else f"{minutes} min"


def how_reminded(client: Client) -> str:
    """The client's consent, lead times and quiet hours in one sentence."""
    preferences = client.reminder_preferences
    channels = [
        c.value.upper() if c.value == "sms" else c.value for c in preferences.consented_channels
    ]
    if not channels:
        return "The client has not consented to reminders: only the calendar feed reminds them."
    leads = " and ".join(lead_text(lead) for lead in preferences.leads)
    quiet = preferences.quiet_hours
    hush = f"; never between {quiet.start:%H:%M} and {quiet.end:%H:%M}" if quiet else ""
    return f"By {' and '.join(channels)}, {leads} before each session{hush} ({client.zone})."


def reminder_values(
    client_id: UUID, feed_token: str | None = None, upcoming: Sequence[Block] = ()
) -> dict[str, Any]:
    """The schedule's rows in the clinic's zone, the preferences, and the feed's state.

    A feed token is known only on the page that issued it: then its links are shown, to
    subscribe, to download, and for each upcoming session alone.
    """
    client = regimen().load(Client, client_id)
    zone = clinic_zone()
    rows = reminder_reads().schedule(client_id=str(client_id), limit=SHOWN).items
    reminders = [
        {
            "due": local(row["due_utc"], zone).strftime("%a %d %b %H:%M"),
            "channel": "SMS" if row["channel"] == "sms" else str(row["channel"]).capitalize(),
            "session": local(row["session_start_utc"], zone).strftime("%a %d %b %H:%M"),
            "status": str(row["status"]).capitalize()
            + (" (moved out of quiet hours)" if row.get("quiet_moved") else ""),
            "error": row.get("last_error") or "",
        }
        for row in rows
    ]
    feed_url = feed_address(feed_token) if feed_token else None
    return {
        "reminders": reminders,
        "how_reminded": how_reminded(client),
        "feed_active": bool(client.feed_token_hash),
        "feed_url": feed_url,
        "feed_subscribe_url": subscribe_links(feed_url)[0] if feed_url else None,
        "session_events": session_events(feed_token, upcoming) if feed_token else [],
    }


def feed_address(token: str) -> str:
    """The public address of a feed token."""
    return public_url_for("feeds.FeedView", token=token)


def session_events(token: str, upcoming: Sequence[Block]) -> list[dict[str, str]]:
    """Each upcoming session's one-event calendar, behind the feed's token."""
    return [
        {
            "when": f"{block.start:%a %d %b %H:%M}",
            "what": block.what,
            "url": public_url_for(
                "feeds.SessionEventView", token=token, plan_id=block.plan_id, number=block.number
            ),
        }
        for block in upcoming
    ]
