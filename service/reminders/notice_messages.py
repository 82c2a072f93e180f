"""What a notice says: a booking confirmed (one message for a whole series), or a session the
clinic moved or cancelled; each with the times in the client's zone, the clinic's contact,
the cancellation rule and the links of a reminder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

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
from service.reminders.sms import OPT_OUT, SEGMENT, gsm7_length

OPENINGS = {
    "booked": ("Booked", "is booked", "are booked"),
    "moved": ("Moved", "has moved; it now takes place", "have moved; they now take place"),
    "cancelled": ("Cancelled", "has been cancelled by", "have been cancelled by"),
}


@dataclass(frozen=True)
class NoticeFacts:
    """A notice: its kind, the sessions' start instants (earliest first), and the facts a
    reminder of the first would carry (names, zone, contact, rule, links)."""

    kind: str  # booked, moved, cancelled
    starts: tuple[datetime, ...]
    first: SessionFacts


def _what(facts: NoticeFacts) -> str:
    count, minutes = len(facts.starts), facts.first.minutes
    what = f"{minutes}-minute session" if count == 1 else f"{count} sessions of {minutes} minutes"
    with_whom = f" with {facts.first.therapist_name}" if facts.first.therapist_name else ""
    return f"Your {what}{with_whom}"


def _sentence(facts: NoticeFacts) -> str:
    _, one, many = OPENINGS[facts.kind]
    verb = one if len(facts.starts) == 1 else many
    if facts.kind == "cancelled":
        return f"{_what(facts)} {verb} {facts.first.clinic_name}:"
    return f"{_what(facts)} {verb}:"


def notice_email(facts: NoticeFacts) -> Message:
    """The email: every session listed, where, the rule (or how to book again), the links."""
    first = single_line_names(facts.first)
    facts = NoticeFacts(facts.kind, facts.starts, first)
    local = facts.starts[0].astimezone(ZoneInfo(first.client_zone))
    title = OPENINGS[facts.kind][0]
    subject = (
        f"{title}: your session at {first.clinic_name}, {local:%a} {local.day} {local:%b %H:%M}"
    )
    if len(facts.starts) > 1:
        day = f"{local:%a} {local.day} {local:%b}"
        subject = f"{title}: {len(facts.starts)} sessions at {first.clinic_name}, from {day}"
    listed = "".join(f"  - {local_when(s, first.client_zone)}\n" for s in facts.starts)
    if facts.kind == "cancelled":
        after = f"To book another time, contact {first.clinic_name}.\n"
    else:
        after = f"Where: {where(first)}\n" + (
            f"       {first.contact.address}\n" if first.contact.address else ""
        )
        after += f"\n{how_to_cancel(first)}\n"
    page = f"\nYour sessions: {first.actions.page}\n" if first.actions else ""
    text = (
        f"Hello {first.client_name},\n\n{_sentence(facts)}\n\n{listed}\n{after}{page}"
        + (calendar_lines(first.calendar) if facts.kind != "cancelled" else "")
        + f"\n-- \n{signature(first)}"
    )
    return Message(subject=subject, text=text)


def notice_sms(facts: NoticeFacts) -> Message:
    """The SMS: what changed, the first time in the client's zone, the page link, STOP."""
    first = single_line_names(facts.first)
    local = facts.starts[0].astimezone(ZoneInfo(first.client_zone))
    when = f"{local:%a} {local.day} {local:%b %H:%M} {local.tzname()}"
    count = len(facts.starts)
    what = {
        "booked": f"booked {count} sessions from {when}" if count > 1 else f"session booked {when}",
        "moved": f"session moved to {when}"
        if count == 1
        else f"{count} sessions moved, from {when}",
        "cancelled": f"session {when} cancelled" if count == 1 else f"{count} sessions cancelled",
    }[facts.kind]
    link = f" Details: {first.actions.page}" if first.actions else ""
    wordings = [
        f"{first.clinic_name}: {what}.{link} {OPT_OUT}",
        f"{first.clinic_name}: {what}:{link.removeprefix(' Details:')} STOP to opt out",
        f"{what[0].upper()}{what[1:]}.{link} STOP to opt out",
    ]
    for text in wordings:
        length = gsm7_length(text)
        if length is not None and length <= SEGMENT:
            return Message(subject="", text=text)
    return Message(subject="", text=wordings[-1])
