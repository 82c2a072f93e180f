"""What an offer of a freed time says: when (in the client's zone), the hold, the link."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from service.domain.languages import DEFAULT_LANGUAGE
from service.domain.text import one_line
from service.reminders.language import short_day, short_when, words
from service.reminders.messages import Message, local_when
from service.reminders.sms import first_fitting, sms_when


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
    language: str = DEFAULT_LANGUAGE  # the clinic's: what the client reads


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
    _, language, zone = words(facts.language), facts.language, facts.client_zone
    with_whom = (
        _(" with {therapist}").format(therapist=facts.therapist_name)
        if facts.therapist_name
        else ""
    )
    subject = _("A time has come free at {clinic}: {when}").format(
        clinic=facts.clinic_name, when=short_when(facts.start, zone, language)
    )
    until = facts.hold_until
    text = (
        _("Hello {name},").format(name=facts.client_name)
        + "\n\n"
        + _(
            "You are on {clinic}'s waitlist, and a {minutes}-minute time{with_whom} has come free:"
        ).format(clinic=facts.clinic_name, minutes=facts.minutes, with_whom=with_whom)
        + "\n\n"
        + _("When: {when}").format(when=local_when(facts.start, zone, language))
        + "\n\n"
        + _(
            "It is held for you and a few others until {time} on {day}; the first to claim it"
            " gets it. To claim it, open:"
        ).format(time=short_when(until, zone, language)[-5:], day=short_day(until, zone, language))
        + f"\n{facts.link}\n\n"
        + _("If it is taken first, you stay on the waitlist.")
        + "\n"
    )
    return Message(subject=subject, text=text)


def offer_sms(facts: OfferFacts) -> Message:
    """The SMS: the time, the hold and the (short) link, with the opt-out words, in one GSM-7
    segment where the facts allow. A long link or clinic name drops the clinic's name first,
    then the hold (the claim page shows it); never the opt-out, which the law requires."""
    facts = _one_line(facts)
    _, zone = words(facts.language), facts.client_zone
    when = sms_when(facts.start, zone, facts.language).rsplit(" ", 1)[0]  # no zone name
    by = short_when(facts.hold_until, zone, facts.language)[-5:]
    values = {"clinic": facts.clinic_name, "when": when, "until": by, "link": facts.link}
    reply_stop, stop = _("Reply STOP to opt out"), _("STOP to opt out")
    return first_fitting(
        [
            _("{clinic}: a time is free {when}. First to claim by {until} gets it: {link}").format(
                **values
            )
            + f" {reply_stop}",
            _("{clinic}: free {when}, claim by {until}: {link}").format(**values) + f" {stop}",
            _("Free {when}, claim by {until}: {link}").format(**values) + f" {stop}",
            _("Free {when}: {link}").format(**values) + f" {stop}",
        ]
    )
