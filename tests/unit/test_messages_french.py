"""A French clinic's messages: reminder, notices, offer and feed in French, French dates, and
text messages that fit the segment count they state."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_datetime
from icalendar import Calendar

from service.reminders.feed import render_feed
from service.reminders.language import clinic_name, local_format
from service.reminders.messages import email_message, local_when
from service.reminders.notice_messages import NoticeFacts, notice_email, notice_sms
from service.reminders.offer_messages import OfferFacts, offer_email, offer_sms
from service.reminders.sms import gsm7_length, segments, sms_message
from tests.unit.test_client_messages import FACTS, PAGE, parsed
from tests.unit.test_reminder_feed import HEADER, session

RULE = "Une annulation tardive est facturée à moitié prix."
FRENCH = dataclasses.replace(
    FACTS,
    language="fr",
    start=datetime(2026, 12, 9, 9, 0, tzinfo=UTC),
    clinic_name="Rive",
    contact=dataclasses.replace(FACTS.contact, late_cancel_rule=RULE),
)
AUGUST = datetime(2026, 8, 9, 8, 0, tzinfo=UTC)  # 'août': its û is not in GSM-7
ENGLISH_WORDS = ("Hello", "session", "Reminder", "cancel", "When", "Where", " at ", "minute ")


def test_the_reminder_email_is_french_with_a_french_date() -> None:
    message = email_message(FRENCH)
    assert message.subject == "Rappel : votre séance chez Rive, mer. 9 déc. 10:00"
    assert "Quand : mercredi 9 décembre 2026 à 10:00 CET (Europe/Paris)" in message.text
    assert "Bonjour Zoë Ó'Brien," in message.text
    assert "au moins 24 heures avant, sinon c’est une annulation tardive" in message.text
    assert f"Toutes vos séances : {PAGE}" in message.text
    words = re.sub(r"https://\S+", "", message.text)  # the links' paths are not words
    assert [w for w in ENGLISH_WORDS if w in words] == []
    parsed(FRENCH, "zoe@example.org")  # and it parses with no defects


@pytest.mark.parametrize("start", [FRENCH.start, AUGUST])
def test_the_reminder_sms_is_french_and_one_gsm7_segment(start: datetime) -> None:
    text = sms_message(dataclasses.replace(FRENCH, start=start)).text
    assert "séance le" in text.lower() and PAGE in text and "STOP" in text
    assert gsm7_length(text) is not None and segments(text) == 1
    assert "mer. 9 déc. 10:00 CET" in text or "dim. 9 aout 10:00 CEST" in text


def test_a_long_clinic_name_still_fits_one_segment_in_french() -> None:
    facts = dataclasses.replace(FRENCH, clinic_name="Cabinet de kinésithérapie du Vieux-Port")
    text = sms_message(facts).text
    assert gsm7_length(text) is not None and segments(text) == 1 and PAGE in text


def test_a_series_confirmation_is_french_and_lists_every_session() -> None:
    starts = tuple(FRENCH.start + timedelta(weeks=n) for n in range(3))
    message = notice_email(NoticeFacts("booked", starts, FRENCH))
    assert message.subject == "Réservée : 3 séances chez Rive, à partir du mer. 9 déc."
    assert "Vos 3 séances de 60 minutes avec Ada Therapist sont réservées :" in message.text
    assert "  - mercredi 23 décembre 2026 à 10:00 CET (Europe/Paris)" in message.text
    sms = notice_sms(NoticeFacts("booked", starts, FRENCH)).text
    assert "3 séances réservées dès le mer. 9 déc. 10:00 CET" in sms and PAGE in sms
    assert gsm7_length(sms) is not None and segments(sms) == 1


def test_a_cancellation_notice_is_french() -> None:
    message = notice_email(NoticeFacts("cancelled", (FRENCH.start,), FRENCH))
    assert "Votre séance de 60 minutes avec Ada Therapist a été annulée par Rive :" in message.text
    assert "Pour réserver un autre horaire, contactez Rive." in message.text


def test_an_offer_is_french() -> None:
    facts = OfferFacts("Zoë", AUGUST, 60, "Europe/Paris", "Rive", "", AUGUST, "https://x/c", "fr")
    assert offer_email(facts).subject == "Un créneau s’est libéré chez Rive : dim. 9 août 10:00"
    assert "jusqu’à 10:00 le dim. 9 août" in offer_email(facts).text
    sms = offer_sms(facts).text
    assert sms.startswith("Rive : un créneau est libre le dim. 9 aout 10:00.")
    assert gsm7_length(sms) is not None and segments(sms) == 1


def test_the_feed_summaries_are_french() -> None:
    header = dataclasses.replace(HEADER, language="fr")
    (event, *_) = Calendar.from_ical(render_feed([session(1)], header)).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Séance 1 chez Test Clinic"
    assert str(event["DESCRIPTION"]).startswith("Votre séance de 60 minutes avec Ada Therapist.")
    (alarm, *_) = event.walk("VALARM")
    assert str(alarm["DESCRIPTION"]) == "Séance chez Test Clinic"


def test_english_dates_read_as_before() -> None:
    when = local_when(datetime(2026, 3, 9, 10, 0, tzinfo=UTC), "Europe/London")
    assert when == "Monday 9 March 2026 at 10:00 GMT (Europe/London)"


def test_a_clinic_with_no_name_yet_is_named_in_the_clients_language() -> None:
    assert clinic_name("", "fr") == "votre cabinet"
    assert clinic_name("", "en") == "the clinic"
    assert clinic_name("Rive", "fr") == "Rive"
    reminder = email_message(dataclasses.replace(FRENCH, clinic_name=clinic_name("", "fr")))
    assert "votre cabinet" in reminder.text and "the clinic" not in reminder.text


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("pattern", ["EEEE d MMMM y 'at' HH:mm", "EEE d MMM HH:mm", "EEE d MMM"])
def test_dates_are_written_as_babel_writes_them_with_the_locale_parsed_once(
    language: str, pattern: str
) -> None:
    for start in (AUGUST, FRENCH.start, datetime(2026, 3, 29, 0, 30, tzinfo=UTC)):
        local = start.astimezone(ZoneInfo("Europe/Paris"))
        assert local_format(local, pattern, language) == format_datetime(
            local, pattern, locale=language
        )
