"""What an offer of a freed time says: when (in the client's zone), the hold, the link."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from service.domain.text import one_line
from service.reminders.messages import Message, local_when
from service.reminders.sms import OPT_OUT, first_fitting


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
    """The SMS: the time, the hold and the (short) link, with the opt-out word, in one GSM-7
    segment where the facts allow (a long clinic name is dropped first)."""
    facts = _one_line(facts)
    zone = ZoneInfo(facts.client_zone)
    local, until = facts.start.astimezone(zone), facts.hold_until.astimezone(zone)
    when, by = f"{local:%a} {local.day} {local:%b %H:%M}", f"{until:%H:%M}"
    return first_fitting(
        [
            f"{facts.clinic_name}: a time is free {when}. First to claim by {by} gets it:"
            f" {facts.link} {OPT_OUT}",
            f"{facts.clinic_name}: free {when}, claim by {by}: {facts.link} STOP to opt out",
            f"Free {when}, claim by {by}: {facts.link} STOP to opt out",
            f"Free {when}, claim by {by}: {facts.link}",
        ]
    )
