"""A reminder by SMS: one 160-character GSM-7 segment where the facts allow.

The text is the first of several wordings, fullest first, that fits one segment: a long
clinic name or address drops the address, then the cancellation hint, then the clinic's
name, never the time or the link. Text beyond GSM-7 (an accented name) is sent as UCS-2
by the carrier, in 70-character segments: the shortest wording is taken then.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from service.reminders.language import short_when, words
from service.reminders.messages import Message, SessionFacts, single_line_names

SEGMENT = 160  # GSM-7 characters in one SMS
OPT_OUT = "Reply STOP to opt out"
# GSM 03.38: the basic set, and the extension table (each of those costs two characters)
GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = "^{}\\[~]|€\f"
# letters of Regimen's own words (French dates: 'août') outside GSM-7, and their nearest in it
GSM7_FOLD = str.maketrans("âêîôûç", "aeiouc") | {ord("œ"): "oe"}


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


def sms_when(start: datetime, zone: str, language: str) -> str:
    """'Mon 9 Mar 10:00 GMT', 'dim. 9 aout 10:00 CEST': short, in GSM-7 letters."""
    tzname = start.astimezone(ZoneInfo(zone)).tzname()
    return f"{short_when(start, zone, language)} {tzname}".translate(GSM7_FOLD)


def sms_message(facts: SessionFacts) -> Message:
    """The SMS: the time in the client's zone, the link to their page, and the opt-out."""
    facts = single_line_names(facts)
    _ = words(facts.language)
    when = sms_when(facts.start, facts.client_zone, facts.language)
    window = facts.cancellation_window_hours
    ahead = _(" {hours}h+ ahead").format(hours=window) if window else ""
    clinic, opt_out, stop = facts.clinic_name, _("Reply STOP to opt out"), _("STOP to opt out")
    if facts.actions:  # the link last but the opt-out: no full stop glued to it
        full, short = (
            _("Confirm/cancel{ahead}: {link}").format(ahead=ahead, link=facts.actions.page),
            _("Confirm/cancel: {link}").format(link=facts.actions.page),
        )
    elif facts.contact.phone:
        full = short = _("To cancel{ahead} call {phone}.").format(
            ahead=ahead, phone=facts.contact.phone
        )
    else:
        full = short = _("To cancel{ahead} contact {clinic}.").format(ahead=ahead, clinic=clinic)
    place = f", {facts.contact.address}" if facts.contact.address else ""
    session = _("session {when}.").format(when=when)
    wordings = [
        f"{clinic}{place}: {session} {full} {opt_out}",
        f"{clinic}: {session} {full} {opt_out}",
        f"{clinic}: {session} {short} {stop}",
        f"{session[0].upper()}{session[1:]} {short} {stop}",
    ]
    return first_fitting(wordings)


def first_fitting(wordings: list[str]) -> Message:
    """The first wording, fullest first, that fits one GSM-7 segment; else the last."""
    for text in wordings:
        length = gsm7_length(text)
        if length is not None and length <= SEGMENT:
            return Message(subject="", text=text)
    return Message(subject="", text=wordings[-1])
