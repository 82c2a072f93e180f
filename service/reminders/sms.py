"""A reminder by SMS: one 160-character GSM-7 segment where the facts allow.

The text is the first of several wordings, fullest first, that fits one segment: a long
clinic name or address drops the address, then the cancellation hint, then the clinic's
name, never the time or the link. Text beyond GSM-7 (an accented name) is sent as UCS-2
by the carrier, in 70-character segments: the shortest wording is taken then.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from service.reminders.messages import Message, SessionFacts, single_line_names

SEGMENT = 160  # GSM-7 characters in one SMS
OPT_OUT = "Reply STOP to opt out"
# GSM 03.38: the basic set, and the extension table (each of those costs two characters)
GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = "^{}\\[~]|€\f"


def gsm7_length(text: str) -> int | None:
    """The text's length in GSM-7 characters, or None if it needs UCS-2."""
    length = 0
    for character in text:
        if character in GSM7_BASIC:
            length += 1
        elif character in GSM7_EXTENDED:
            length += 2
        else:
            return None
    return length


def segments(text: str) -> int:
    """How many SMS segments the text takes (GSM-7 153, UCS-2 67 a part when split)."""
    length = gsm7_length(text)
    single, part = (SEGMENT, 153) if length is not None else (70, 67)
    length = len(text.encode("utf-16-le")) // 2 if length is None else length
    return 1 if length <= single else -(-length // part)


def sms_message(facts: SessionFacts) -> Message:
    """The SMS: the time in the client's zone, the link to their page, and the opt-out."""
    facts = single_line_names(facts)
    local = facts.start.astimezone(ZoneInfo(facts.client_zone))
    when = f"{local:%a} {local.day} {local:%b %H:%M} {local.tzname()}"
    window = facts.cancellation_window_hours
    ahead = f" {window}h+ ahead" if window else ""
    if facts.actions:  # the link last but the opt-out: no full stop glued to it
        full, short = (
            f"Confirm/cancel{ahead}: {facts.actions.page}",
            f"Confirm/cancel: {facts.actions.page}",
        )
    elif facts.contact.phone:
        full = short = f"To cancel{ahead} call {facts.contact.phone}."
    else:
        full = short = f"To cancel{ahead} contact {facts.clinic_name}."
    place = f", {facts.contact.address}" if facts.contact.address else ""
    wordings = [
        f"{facts.clinic_name}{place}: session {when}. {full} {OPT_OUT}",
        f"{facts.clinic_name}: session {when}. {full} {OPT_OUT}",
        f"{facts.clinic_name}: session {when}. {short} STOP to opt out",
        f"Session {when}. {short} STOP to opt out",
    ]
    for text in wordings:
        length = gsm7_length(text)
        if length is not None and length <= SEGMENT:
            return Message(subject="", text=text)
    return Message(subject="", text=wordings[-1])
