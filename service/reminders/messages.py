"""What a reminder says: when (in the client's own zone), where, and how to cancel."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from service.domain.clinic_contact import NO_CONTACT, ClinicContact
from service.domain.languages import DEFAULT_LANGUAGE
from service.domain.text import one_line
from service.reminders.language import long_when, short_when, words


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
    language: str = DEFAULT_LANGUAGE  # the clinic's: what the client reads


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


def local_when(start: datetime, zone: str, language: str = DEFAULT_LANGUAGE) -> str:
    """'Monday 9 March 2026 at 10:00 GMT (Europe/London)', in the language's words."""
    local = start.astimezone(ZoneInfo(zone))
    named = "" if local.tzname() == zone else f" ({zone})"  # not 'UTC (UTC)'
    return f"{long_when(start, zone, language)} {local.tzname()}{named}"


def where(facts: SessionFacts) -> str:
    """The clinic, and the room when there is one."""
    return f"{facts.clinic_name}, {facts.room_name}" if facts.room_name else facts.clinic_name


def how_to_cancel(facts: SessionFacts) -> str:
    """The clinic's cancellation rule, in the client's words."""
    _ = words(facts.language)
    window = facts.cancellation_window_hours
    late = (
        _(" at least {hours} hours before, or it counts as a late cancellation").format(
            hours=window
        )
        if window
        else ""
    )
    how = _("use the links below or contact") if facts.actions else _("contact")
    rule = f" {facts.contact.late_cancel_rule}" if window and facts.contact.late_cancel_rule else ""
    return (
        _("To cancel or move it, {how} {clinic}{late}.").format(
            how=how, clinic=facts.clinic_name, late=late
        )
        + rule
    )


def signature(facts: SessionFacts) -> str:
    """The clinic's name and how to reach it, one item a line."""
    return "\n".join([facts.clinic_name, *facts.contact.lines]) + "\n"


def _link_lines(lines: list[tuple[str, str]]) -> str:
    """A blank line, then each wording with its link, one a line."""
    return "\n" + "".join(wording.format(link=link) + "\n" for wording, link in lines)


def action_lines(actions: ClientActions | None, language: str = DEFAULT_LANGUAGE) -> str:
    """The signed links, one a line ('' without them)."""
    if actions is None:
        return ""
    _ = words(language)
    return _link_lines(
        [
            (_("Confirm you will come: {link}"), actions.confirm),
            (_("Cancel: {link}"), actions.cancel),
            (_("Move it: {link}"), actions.reschedule),
            (_("All your sessions: {link}"), actions.page),
        ]
    )


def calendar_lines(calendar: CalendarLinks | None, language: str = DEFAULT_LANGUAGE) -> str:
    """The calendar links ('' without a feed)."""
    if calendar is None:
        return ""
    _ = words(language)
    return _link_lines(
        [
            (_("Add this session to your calendar: {link}"), calendar.session),
            (_("Subscribe to all your sessions: {link}"), calendar.subscribe),
            (_("(or open {link} in a browser)"), calendar.https),
        ]
    )


def email_message(facts: SessionFacts) -> Message:
    """The email: a full reminder."""
    facts = single_line_names(facts)
    _, language = words(facts.language), facts.language
    with_whom = (
        _(" with {therapist}").format(therapist=facts.therapist_name)
        if facts.therapist_name
        else ""
    )
    subject = _("Reminder: your session at {clinic}, {when}").format(
        clinic=facts.clinic_name, when=short_when(facts.start, facts.client_zone, language)
    )
    text = (
        _("Hello {name},").format(name=facts.client_name)
        + "\n\n"
        + _("This is a reminder of your {minutes}-minute session{with_whom}.").format(
            minutes=facts.minutes, with_whom=with_whom
        )
        + "\n\n"
        + _("When:  {when}").format(when=local_when(facts.start, facts.client_zone, language))
        + "\n"
        + _("Where: {where}").format(where=where(facts))
        + "\n"
        + (f"       {facts.contact.address}\n" if facts.contact.address else "")
        + f"\n{how_to_cancel(facts)}\n"
        + action_lines(facts.actions, language)
        + calendar_lines(facts.calendar, language)
        + f"\n-- \n{signature(facts)}"
    )
    return Message(subject=subject, text=text)
