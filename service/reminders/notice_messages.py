"""What a notice says: a booking confirmed (one message for a whole series), or a session the
clinic moved or cancelled; each with the times in the client's zone, the clinic's contact,
the cancellation rule and the links of a reminder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from service.reminders.language import plural_words, short_day, short_when, words
from service.reminders.messages import (
    Message,
    SessionFacts,
    calendar_lines,
    how_to_cancel,
    local_when,
    signature,
    single_line_names,
    where,
)
from service.reminders.sms import SEGMENT, gsm7_length, sms_when


def _title(kind: str, language: str) -> str:
    _ = words(language)
    return {"booked": _("Booked"), "moved": _("Moved"), "cancelled": _("Cancelled")}[kind]


def _verb(kind: str, count: int, language: str) -> str:
    n_ = plural_words(language)
    return {
        "booked": n_("is booked", "are booked", count),
        "moved": n_("has moved; it now takes place", "have moved; they now take place", count),
        "cancelled": n_("has been cancelled by", "have been cancelled by", count),
    }[kind]


@dataclass(frozen=True)
class NoticeFacts:
    """A notice: its kind, the sessions' start instants (earliest first), and the facts a
    reminder of the first would carry (names, zone, contact, rule, links)."""

    kind: str  # booked, moved, cancelled
    starts: tuple[datetime, ...]
    first: SessionFacts


def _what(facts: NoticeFacts) -> str:
    _ = words(facts.first.language)
    count, minutes = len(facts.starts), facts.first.minutes
    what = (
        _("Your {minutes}-minute session").format(minutes=minutes)
        if count == 1
        else _("Your {count} sessions of {minutes} minutes").format(count=count, minutes=minutes)
    )
    therapist = facts.first.therapist_name
    return what + (_(" with {therapist}").format(therapist=therapist) if therapist else "")


def _sentence(facts: NoticeFacts) -> str:
    _ = words(facts.first.language)
    verb = _verb(facts.kind, len(facts.starts), facts.first.language)
    if facts.kind == "cancelled":
        return _("{what} {verb} {clinic}:").format(
            what=_what(facts), verb=verb, clinic=facts.first.clinic_name
        )
    return _("{what} {verb}:").format(what=_what(facts), verb=verb)


def _subject(facts: NoticeFacts) -> str:
    first = facts.first
    _, language = words(first.language), first.language
    title, start = _title(facts.kind, language), facts.starts[0]
    if len(facts.starts) > 1:
        return _("{title}: {count} sessions at {clinic}, from {day}").format(
            title=title,
            count=len(facts.starts),
            clinic=first.clinic_name,
            day=short_day(start, first.client_zone, language),
        )
    return _("{title}: your session at {clinic}, {when}").format(
        title=title, clinic=first.clinic_name, when=short_when(start, first.client_zone, language)
    )


def notice_email(facts: NoticeFacts) -> Message:
    """The email: every session listed, where, the rule (or how to book again), the links."""
    first = single_line_names(facts.first)
    facts = NoticeFacts(facts.kind, facts.starts, first)
    _, language = words(first.language), first.language
    listed = "".join(f"  - {local_when(s, first.client_zone, language)}\n" for s in facts.starts)
    if facts.kind == "cancelled":
        after = _("To book another time, contact {clinic}.").format(clinic=first.clinic_name)
        after += "\n"
    else:
        after = _("Where: {where}").format(where=where(first)) + "\n"
        after += f"       {first.contact.address}\n" if first.contact.address else ""
        after += f"\n{how_to_cancel(first)}\n"
    page = (
        "\n" + _("Your sessions: {link}").format(link=first.actions.page) + "\n"
        if first.actions
        else ""
    )
    text = (
        _("Hello {name},").format(name=first.client_name)
        + f"\n\n{_sentence(facts)}\n\n{listed}\n{after}{page}"
        + (calendar_lines(first.calendar, language) if facts.kind != "cancelled" else "")
        + f"\n-- \n{signature(first)}"
    )
    return Message(subject=_subject(facts), text=text)


def _sms_what(facts: NoticeFacts, when: str) -> str:
    _, count = words(facts.first.language), len(facts.starts)
    if facts.kind == "booked":
        if count > 1:
            return _("booked {count} sessions from {when}").format(count=count, when=when)
        return _("session booked {when}").format(when=when)
    if facts.kind == "moved":
        if count > 1:
            return _("{count} sessions moved, from {when}").format(count=count, when=when)
        return _("session moved to {when}").format(when=when)
    if count > 1:
        return _("{count} sessions cancelled").format(count=count)
    return _("session {when} cancelled").format(when=when)


def notice_sms(facts: NoticeFacts) -> Message:
    """The SMS: what changed, the first time in the client's zone, the page link, STOP."""
    first = single_line_names(facts.first)
    _ = words(first.language)
    what = _sms_what(facts, sms_when(facts.starts[0], first.client_zone, first.language))
    page = first.actions.page if first.actions else ""
    link = " " + _("Details: {link}").format(link=page) if page else ""
    stop = _("STOP to opt out")
    wordings = [
        f"{first.clinic_name}: {what}.{link} {_('Reply STOP to opt out')}",
        f"{first.clinic_name}: {what}:{' ' + page if page else ''} {stop}",
        f"{what[0].upper()}{what[1:]}.{link} {stop}",
    ]
    for text in wordings:
        length = gsm7_length(text)
        if length is not None and length <= SEGMENT:
            return Message(subject="", text=text)
    return Message(subject="", text=wordings[-1])
