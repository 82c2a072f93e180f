"""What a reminder says: when (in the client's own zone), where, and how to cancel."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from service.domain.clinic_contact import NO_CONTACT, ClinicContact
from service.domain.text import one_line


@dataclass(frozen=True)
class CalendarLinks:
    """Where a client puts sessions in a calendar: the feed, and this session alone."""

    subscribe: str  # the feed as webcal://: a calendar app subscribes and keeps up
    https: str  # the same feed over https: any browser, or a calendar's "add by URL"
    session: str  # this session as a one-event .ics


@dataclass(frozen=True)
class ClientActions:
    """What a client can do from a message: signed links to their page (client_links.py)."""

    page: str  # every upcoming session, and the calendar feed
    confirm: str  # this session: say they will come
    cancel: str  # this session: cancel it (the page states the late-cancel rule first)
    reschedule: str  # this session: how to move it


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
    contact: ClinicContact = NO_CONTACT  # how to reach the clinic, and its late-cancel rule
    actions: ClientActions | None = None  # only with REGIMEN_PUBLIC_URL to put them on


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
    named = "" if local.tzname() == zone else f" ({zone})"  # not 'UTC (UTC)'
    return f"{local:%A} {local.day} {local:%B %Y at %H:%M} {local.tzname()}{named}"


def where(facts: SessionFacts) -> str:
    """The clinic, and the room when there is one."""
    return f"{facts.clinic_name}, {facts.room_name}" if facts.room_name else facts.clinic_name


def how_to_cancel(facts: SessionFacts) -> str:
    """The clinic's cancellation rule, in the client's words."""
    window = facts.cancellation_window_hours
    late = f" at least {window} hours before, or it counts as a late cancellation" if window else ""
    how = "use the links below or contact" if facts.actions else "contact"
    rule = f" {facts.contact.late_cancel_rule}" if window and facts.contact.late_cancel_rule else ""
    return f"To cancel or move it, {how} {facts.clinic_name}{late}.{rule}"


def signature(facts: SessionFacts) -> str:
    """The clinic's name and how to reach it, one item a line."""
    return "\n".join([facts.clinic_name, *facts.contact.lines]) + "\n"


def action_lines(actions: ClientActions | None) -> str:
    """The signed links, one a line ('' without them)."""
    if actions is None:
        return ""
    return (
        f"\nConfirm you will come: {actions.confirm}\n"
        f"Cancel: {actions.cancel}\n"
        f"Move it: {actions.reschedule}\n"
        f"All your sessions: {actions.page}\n"
    )


def calendar_lines(calendar: CalendarLinks | None) -> str:
    """The calendar links ('' without a feed)."""
    if calendar is None:
        return ""
    return (
        f"\nAdd this session to your calendar: {calendar.session}\n"
        f"Subscribe to all your sessions: {calendar.subscribe}\n"
        f"(or open {calendar.https} in a browser)\n"
    )


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
        f"Where: {where(facts)}\n"
        + (f"       {facts.contact.address}\n" if facts.contact.address else "")
        + f"\n{how_to_cancel(facts)}\n"
        + action_lines(facts.actions)
        + calendar_lines(facts.calendar)
        + f"\n-- \n{signature(facts)}"
    )
    return Message(subject=subject, text=text)
