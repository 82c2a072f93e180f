"""Messages a client can act on: the clinic's contact, the rule, signed links, and clean email."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from uuid import uuid4

import pytest

from service.adapters.channels import Outgoing, email_of
from service.config import ConfigError, Settings
from service.domain.clinic_contact import ClinicContact
from service.domain.email_address import email_address
from service.domain.errors import InvalidValue
from service.reminders.client_links import ClientPageLinker
from service.reminders.messages import SessionFacts, email_message
from service.reminders.notice_messages import NoticeFacts, notice_email, notice_sms
from service.reminders.sms import gsm7_length, segments, sms_message
from tests.builders import RIVERSIDE_CONTACT
from tests.unit.test_reminder_messages import FACTS as SESSION

LINKER = ClientPageLinker("https://clinic.example.org", "s" * 32)
ACTIONS = LINKER(uuid4(), 0, uuid4(), 1, datetime(2026, 3, 14, 10, 0, tzinfo=UTC))
PAGE = ACTIONS.page
CONTACT = ClinicContact(**RIVERSIDE_CONTACT)
# The reminder tests' session (Monday 16 March, 10:00 UTC), told to Zoë in Paris by a clinic
# that gives its contact and the client's links.
FACTS = dataclasses.replace(
    SESSION,
    client_name="Zoë Ó'Brien",
    client_zone="Europe/Paris",
    clinic_name="Riverside Clinic",
    contact=CONTACT,
    actions=ACTIONS,
)
MAIL_FROM = "Regimen <reminders@riverside.example.org>"


def parsed(facts: SessionFacts, to: str) -> object:
    message = email_message(facts)
    outgoing = Outgoing(
        key=uuid4(),
        to=to,
        subject=message.subject,
        text=message.text,
        sent_at=datetime(2026, 3, 14, 10, 0, tzinfo=UTC),
        to_name=facts.client_name,
        from_name=facts.clinic_name,
        reply_to=facts.contact.email,
    )
    raw = email_of(outgoing, MAIL_FROM).as_bytes()
    assert raw.isascii()  # the domain goes as punycode, the name encoded: no SMTPUTF8 needed
    return message_from_bytes(raw, policy=policy.default)


def test_the_reminder_email_carries_the_clinics_contact_the_rule_and_every_link() -> None:
    text = email_message(FACTS).text
    assert "Monday 16 March 2026 at 11:00 CET (Europe/Paris)" in text
    for line in CONTACT.lines:
        assert line in text
    assert "at least 24 hours before, or it counts as a late cancellation" in text
    assert CONTACT.late_cancel_rule in text
    for link in (ACTIONS.confirm, ACTIONS.cancel, ACTIONS.reschedule, ACTIONS.page):
        assert link in text


def test_an_email_to_zoe_parses_with_no_defect_in_the_message_or_any_header() -> None:
    message = parsed(FACTS, "zoe@exämple.org")
    assert message.defects == []  # type: ignore[attr-defined]
    for name, value in message.items():  # type: ignore[attr-defined]
        assert value.defects == (), name
    assert message["To"].addresses[0].display_name == "Zoë Ó'Brien"  # type: ignore[index]
    assert "Zoë" in message.get_content()  # type: ignore[attr-defined]


def test_the_sender_is_the_clinic_by_name_and_replies_go_to_the_clinic() -> None:
    message = parsed(FACTS, "zoe@example.org")
    sender = message["From"].addresses[0]  # type: ignore[index]
    assert (sender.display_name, sender.addr_spec) == (
        "Riverside Clinic",
        "reminders@riverside.example.org",
    )
    assert message["Reply-To"].addresses[0].addr_spec == CONTACT.email  # type: ignore[index]
    assert message["Message-ID"].endswith("@riverside.example.org>")  # type: ignore[index]


def test_a_mailbox_name_beyond_ascii_is_refused_clearly_at_registration() -> None:
    with pytest.raises(InvalidValue, match="beyond ASCII before the @"):
        email_address("email", "zoë@exämple.org")


def test_the_sms_fits_one_gsm7_segment_with_the_page_link_and_the_opt_out() -> None:
    text = sms_message(FACTS).text
    assert gsm7_length(text) is not None and len(text) <= 160 and segments(text) == 1
    assert PAGE in text and "STOP" in text and "Mon 16 Mar 11:00 CET" in text


def test_a_page_link_is_short_enough_for_an_sms() -> None:
    assert len(PAGE) == len("https://clinic.example.org/c/") + 48


def test_a_long_clinic_name_drops_the_address_before_the_time_or_the_link() -> None:
    long = dataclasses.replace(
        FACTS, clinic_name="The Riverside Sports and Remedial Massage Clinic"
    )
    text = sms_message(long).text
    assert CONTACT.address not in text and PAGE in text and "11:00" in text
    assert len(text) <= 160


def test_without_links_the_sms_gives_the_clinics_phone() -> None:
    text = sms_message(dataclasses.replace(FACTS, actions=None)).text
    assert CONTACT.phone in text and "STOP" in text


def test_text_beyond_gsm7_counts_as_ucs2_segments() -> None:
    assert gsm7_length("Zoë") is None and segments("Zoë" * 30) == 2
    assert gsm7_length("é{") == 3 and segments("a" * 161) == 2


def test_production_mail_refuses_a_localhost_sender() -> None:
    outside = {"REGIMEN_SMTP_URL": "smtp://relay.example.org:587"}
    with pytest.raises(ConfigError, match="REGIMEN_MAIL_FROM"):
        Settings.from_env(outside)
    chosen = Settings.from_env({**outside, "REGIMEN_MAIL_FROM": MAIL_FROM})
    assert chosen.mail_from == MAIL_FROM
    assert Settings.from_env({}).mail_from.endswith("@localhost>")  # the file outbox
    local_relay = {"REGIMEN_SMTP_URL": "smtp://127.0.0.1:2525"}
    assert Settings.from_env(local_relay).mail_from.endswith("@localhost>")


def test_a_series_confirmation_sms_fits_one_segment_with_its_link() -> None:
    starts = tuple(FACTS.start + timedelta(weeks=n) for n in range(6))
    text = notice_sms(NoticeFacts("booked", starts, FACTS)).text
    assert text.startswith("Riverside Clinic: booked 6 sessions from Mon 16 Mar 11:00 CET")
    assert PAGE in text and "STOP" in text and segments(text) == 1


def test_a_clinic_cancellation_email_says_who_cancelled_and_offers_no_calendar() -> None:
    text = notice_email(NoticeFacts("cancelled", (FACTS.start,), FACTS)).text
    assert "has been cancelled by Riverside Clinic" in text
    assert "To book another time, contact Riverside Clinic." in text
