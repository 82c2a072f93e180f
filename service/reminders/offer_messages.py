"""What an offer of a freed time says: when (in the client's zone), the hold, the link."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from service.domain.text import one_line
from service.reminders.messages import Message, local_when


@dataclass(frozen=True)
class OfferFacts:
    """What the client needs to know to claim the time."""

    client_name: str
    start: datetime  # an aware instant
    minutes: int
    client_zone: str
    clinic_name: str
    therapist_name: str
    hold_until: datetime
    link: str


def _one_line(facts: OfferFacts) -> OfferFacts:
    return replace(
        facts,
        client_name=one_line(facts.client_name),
        clinic_name=one_line(facts.clinic_name),
        therapist_name=one_line(facts.therapist_name),
    )


def offer_email(facts: OfferFacts) -> Message:
    """The email: the time, the hold and the claim link."""
    facts = _one_line(facts)
    zone = ZoneInfo(facts.client_zone)
    local, until = facts.start.astimezone(zone), facts.hold_until.astimezone(zone)
    with_whom = f" with {facts.therapist_name}" if facts.therapist_name else ""
    subject = (
        f"A time has come free at {facts.clinic_name}: {local:%a} {local.day} {local:%b %H:%M}"
    )
    text = (
        f"Hello {facts.client_name},\n\n"
        f"You are on {facts.clinic_name}'s waitlist, and a {facts.minutes}-minute"
        f" time{with_whom} has come free:\n\n"
        f"When: {local_when(facts.start, facts.client_zone)}\n\n"
        f"It is held for you and a few others until {until:%H:%M} on {until:%a} {until.day}"
        f" {until:%b}; the first to claim it gets it. To claim it, open:\n{facts.link}\n\n"
        "If it is taken first, you stay on the waitlist.\n"
    )
    return Message(subject=subject, text=text)


def offer_sms(facts: OfferFacts) -> Message:
    """The SMS: the same, short."""
    facts = _one_line(facts)
    zone = ZoneInfo(facts.client_zone)
    local, until = facts.start.astimezone(zone), facts.hold_until.astimezone(zone)
    text = (
        f"{facts.clinic_name}: a time is free {local:%a} {local.day} {local:%b %H:%M}."
        f" First to claim by {until:%H:%M} gets it: {facts.link}"
    )
    return Message(subject="", text=text)
