"""What a reminder says: when in the client's own zone, where, and how to cancel."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from service.reminders.messages import CalendarLinks, SessionFacts, email_message
from service.reminders.sms import sms_message

FACTS = SessionFacts(
    client_name="Cora Client",
    start=datetime(2026, 3, 16, 10, 0, tzinfo=UTC),  # 10:00 in London
    minutes=60,
    client_zone="America/New_York",
    clinic_name="Test Clinic",
    room_name="Room A",
    therapist_name="Ada Therapist",
    cancellation_window_hours=24,
)


def test_the_email_says_when_in_the_clients_zone_where_and_how_to_cancel() -> None:
    message = email_message(FACTS)
    assert "Monday 16 March 2026 at 06:00 EDT (America/New_York)" in message.text
    assert "Test Clinic, Room A" in message.text
    assert "To cancel or move it, contact Test Clinic at least 24 hours before" in message.text
    assert "Ada Therapist" in message.text and "Hello Cora Client" in message.text
    assert message.subject == "Reminder: your session at Test Clinic, Mon 16 Mar 06:00"


def test_the_sms_says_the_same_in_few_words() -> None:
    text = sms_message(FACTS).text
    assert "Mon 16 Mar 06:00 EDT" in text
    assert "Test Clinic" in text and "cancel" in text and "STOP" in text
    assert len(text) <= 160


def test_without_a_cancellation_window_no_lateness_is_mentioned() -> None:
    facts = SessionFacts(**{**FACTS.__dict__, "cancellation_window_hours": 0, "room_name": ""})
    text = email_message(facts).text
    assert "late" not in text and "Where: Test Clinic\n" in text


def test_names_stored_with_line_breaks_or_controls_read_as_one_line() -> None:
    facts = SessionFacts(
        **{
            **FACTS.__dict__,
            "clinic_name": "Test\r\nBcc: x@evil.test\x07",
            "therapist_name": "A\nB",
        }
    )
    message = email_message(facts)
    assert message.subject.startswith("Reminder: your session at Test Bcc: x@evil.test ,")
    assert "\r" not in message.subject and "\n" not in message.subject
    assert "\x07" not in message.text and "with A B." in message.text
    assert "\r" not in sms_message(facts).text


LINKS = CalendarLinks(
    subscribe="webcal://clinic.example/feeds/k.ics",
    https="https://clinic.example/feeds/k.ics",
    session="https://clinic.example/feeds/k/p1/2.ics",
)


def test_with_a_feed_the_email_offers_the_session_and_the_feed_both_ways() -> None:
    message = email_message(dataclasses.replace(FACTS, calendar=LINKS))
    assert LINKS.session in message.text
    assert LINKS.subscribe in message.text and LINKS.https in message.text


def test_without_a_feed_no_calendar_link_is_offered() -> None:
    assert "feeds" not in email_message(FACTS).text + sms_message(FACTS).text
