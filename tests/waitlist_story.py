"""The waitlist tests' story: Dan's Wednesday visit with Ada, which the desk cancels, the
clients waiting for a weekday morning, and the wiring whose pass offers the freed time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from uuid import UUID

from service.application import Regimen
from service.application.commands import ClientDetails
from service.bootstrap import Wiring, bootstrap
from service.config import Settings
from service.domain.reminders import Channel
from service.domain.waitlist import WaitlistRequest, Window, offer_id
from tests.builders import DESK, Clinic, small_clinic, visit_booking, waitlist_view
from tests.fakes import CapturingSender
from tests.reminder_scenario import EMAIL_48_AND_2

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday
WEEKDAY_MORNINGS = (Window(weekdays=(0, 1, 2, 3, 4), start=time(9), end=time(12)),)
SECRET = "s" * 64


@dataclass
class Story:
    """Dan's Wednesday visit with Ada, the clients waiting, and the wiring that offers."""

    clinic: Clinic
    visit_id: UUID
    eve_id: UUID
    wiring: Wiring
    sender: CapturingSender


def dans_visit(regimen: Regimen, settings: Settings) -> Story:
    """Dan's Wednesday visit booked in a small clinic, Cora and Eve consenting to email
    reminders, and the wiring that offers freed times (sending to a capturing sender)."""
    clinic = small_clinic(regimen)
    eve_id = regimen.register_client(
        ClientDetails(name="Eve Client", email="eve@example.org", zone="Europe/London"),
        actor=DESK,
    )
    for client in (clinic.client_id, eve_id):
        regimen.set_reminder_preferences(client, EMAIL_48_AND_2, DESK)
    visit = regimen.book_visit(
        visit_booking(clinic, "2026-03-04T10:00", client_id=clinic.other_client_id),
        actor=DESK,
        now=NOW,
    )
    sender = CapturingSender()
    wiring = bootstrap(
        Settings(
            database_url=settings.database_url, public_url="http://localhost", secret_key=SECRET
        ),
        regimen=regimen,
        senders={Channel.EMAIL: sender, Channel.SMS: sender},
    )
    return Story(clinic, visit.id, eve_id, wiring, sender)


def wait(regimen: Regimen, client_id: UUID, minutes_ago: int, **fields: object) -> UUID:
    """The client joins the waitlist for weekday mornings, this many minutes before NOW."""
    request = WaitlistRequest(
        client_id=client_id,
        therapist_id=None,
        windows=WEEKDAY_MORNINGS,
        **fields,  # type: ignore[arg-type]
    )
    joined_at = NOW - timedelta(minutes=minutes_ago)
    return regimen.join_waitlist(
        request, actor=DESK, now=joined_at, listed=waitlist_view(regimen)
    ).id


def cancel_dans_visit(story: Story, regimen: Regimen) -> UUID:
    """The desk cancels Dan's visit at NOW: the id of the offer its freed time makes."""
    regimen.cancel_visit(story.visit_id, reason="called in sick", actor=DESK, now=NOW)
    return offer_id(story.visit_id, 0)
