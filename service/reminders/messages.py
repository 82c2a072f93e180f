"""What a reminder says: when (in the client's own zone), where, and how to cancel."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from service.domain.text import one_line


@dataclass(frozen=True)
class CalendarLinks:
    """Where a client puts sessions in a calendar: the feed, and this session alone."""

    subscribe: str  # the feed as webcal://: a calendar app subscribes and keeps up
    https: str  # the same feed over https: any browser, or a calendar's "add by URL"
    session: str  # this session as a one-event .ics


@dataclass(frozen=True)
class SessionFacts:
    """What the client needs to know about the session being reminded of."""

    client_name: str
    start: datetime  # an aware instant
    minutes: int
    client_zone: str
    clinic_name: str
    room_name: str
    therapist_name: str
    cancellation_window_hours: int
    calendar: CalendarLinks | None = None  # only while the client has a calendar feed


@dataclass(frozen=True)
class Message:
    """A reminder's words: a subject line (email) and the text."""

    subject: str
    text: str


def single_line_names(facts: SessionFacts) -> SessionFacts:
    """The facts with every name made one line of printable text.

    Names are single lines by the domain's rules, but ones stored before those rules may
    hold a line break or a control character: in a subject it would end the header.
    """
    return replace(
        facts,
        client_name=one_line(facts.client_name),
        clinic_name=one_line(facts.clinic_name),
        room_name=one_line(facts.room_name),
        therapist_name=one_line(facts.therapist_name),
    )


def local_when(start: datetime, zone: str) -> str:
    """'Monday 9 March 2026 at 10:00 GMT (Europe/London)'."""
    local = start.astimezone(ZoneInfo(zone))
    return f"{local:%A} {local.day} {local:%B %Y at %H:%M} {local.tzname()} ({zone})"


def where(facts: SessionFacts) -> str:
    """The clinic, and the room when there is one."""
    return f"{facts.clinic_name}, {facts.room_name}" if facts.room_name else facts.clinic_name


def how_to_cancel(facts: SessionFacts) -> str:
    """The clinic's cancellation rule, in the client's words."""
    window = facts.cancellation_window_hours
    late = f" at least {window} hours before, or it counts as a late cancellation" if window else ""
    return f"To cancel or move it, contact {facts.clinic_name}{late}."


def email_message(facts: SessionFacts) -> Message:
    """The email: a full reminder."""
    facts = single_line_names(facts)
    local = facts.start.astimezone(ZoneInfo(facts.client_zone))
    with_whom = f" with {facts.therapist_name}" if facts.therapist_name else ""
    subject = (
        f"Reminder: your session at {facts.clinic_name}, {local:%a} {local.day} {local:%b %H:%M}"
    )
    text = (
        f"Hello {facts.client_name},\n\n"
        f"This is a reminder of your {facts.minutes}-minute session{with_whom}.\n\n"
        f"When:  {local_when(facts.start, facts.client_zone)}\n"
        f"Where: {where(facts)}\n\n"
        f"{how_to_cancel(facts)}\n"
    )
    if facts.calendar:
        text += (
            f"\nAdd this session to your calendar: {facts.calendar.session}\n"
            f"Subscribe to all your sessions: {facts.calendar.subscribe}\n"
            f"(or open {facts.calendar.https} in a browser)\n"
        )
    return Message(subject=subject, text=text)


def sms_message(facts: SessionFacts) -> Message:
    """The SMS: the same facts, short."""
    facts = single_line_names(facts)
    local = facts.start.astimezone(ZoneInfo(facts.client_zone))
    text = (
        f"Reminder: your session on {local:%a} {local.day} {local:%b at %H:%M} {local.tzname()}"
        f" at {where(facts)}. {how_to_cancel(facts)}"
    )
    if facts.calendar:
        text += (
            f" Add it to your calendar: {facts.calendar.session} - all your sessions:"
            f" {facts.calendar.subscribe} ({facts.calendar.https})"
        )
    return Message(subject="", text=text)
