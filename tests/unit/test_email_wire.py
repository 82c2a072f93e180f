"""The bytes an SMTP server is sent are what smtplib's send_message makes of the email."""

from __future__ import annotations

import smtplib
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from service.adapters.emails import email_of, wire_email
from service.adapters.outgoing import Outgoing


class Capture(smtplib.SMTP):
    """An SMTP client that connects nowhere and keeps what `sendmail` was given; its
    server offers everything (SMTPUTF8 included)."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: tuple[Any, ...] = ()

    def ehlo_or_helo_if_needed(self) -> None:
        """Nothing to greet."""

    def has_extn(self, opt: str) -> bool:
        """Every extension."""
        return True

    def sendmail(self, *args: Any, **kwargs: Any) -> dict[str, tuple[int, bytes]]:
        """Keep the envelope, the bytes and the options."""
        self.sent = args
        return {}


def sent_by_send_message(outgoing: Outgoing, mail_from: str) -> tuple[Any, ...]:
    """What smtplib's own flattening sends for the email as a message."""
    message = email_of(outgoing, mail_from)
    capture = Capture()
    (sender,), (recipient,) = message["From"].addresses, message["To"].addresses
    capture.send_message(message, sender.addr_spec, [recipient.addr_spec])
    return capture.sent


# Near-plain ASCII, around the line's length: where a header may be written without the
# email package (a plain line) or must go through it (a quote, a comment, wrapping).
ASCII = st.text(alphabet="aZ9 .,:;@<>_+-'\"()=?\\", max_size=80)
NAMES = (
    ASCII
    | st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=90)
    | st.sampled_from(["", "Cora", "Zoë Ñúñez, Jr.", 'Dr. "Bo" O\'Neil', "Test Clinic (Riverside)"])
)
LOCAL_PARTS = st.sampled_from(["cora", "c.o-r+a_b", "zoë", "o'neil", "a" * 60])
DOMAINS = st.sampled_from(["example.org", "exämple.org", "clinic.example"])
SUBJECTS = (
    ASCII
    | st.text(max_size=200)
    | st.sampled_from(
        [
            "Reminder: your session at Test Clinic, Mon 16 Mar 10:00",
            "Rappel : votre séance chez Clinique Sól, lun. 16 mars 10:00",
            "Reminder =?utf-8?q?caf=C3=A9?= at 10:00",  # an encoded word: read, written anew
        ]
    )
)


@settings(max_examples=400, deadline=None)  # equality, not speed: a busy machine is slow
@given(
    to_name=NAMES,
    to=st.builds("{}@{}".format, LOCAL_PARTS, DOMAINS),
    from_name=NAMES,
    reply_to=st.sampled_from(["", "desk@clinic.example", "accueil@clinique-sól.fr"]),
    subject=SUBJECTS,
    text=st.text(max_size=400),
    mail_from=st.sampled_from(
        ["Regimen <r@clinic.example>", "r@clinic.example", "Sól <r@clinique-sól.fr>"]
    ),
)
def test_the_wire_bytes_are_those_send_message_would_send(
    to_name: str, to: str, from_name: str, reply_to: str, subject: str, text: str, mail_from: str
) -> None:
    outgoing = Outgoing(
        key=UUID("12345678-1234-5678-1234-567812345678"),
        to=to,
        subject=subject,
        text=text,
        sent_at=datetime(2026, 3, 7, 10, tzinfo=UTC),
        to_name=to_name,
        from_name=from_name,
        reply_to=reply_to,
    )
    sender, recipients, data, *options = sent_by_send_message(outgoing, mail_from)
    wire = wire_email(outgoing, mail_from)
    assert (wire.sender, [wire.recipient], wire.data) == (sender, recipients, data)
    assert wire.international == ("SMTPUTF8" in (options[0] if options else ()))


def test_one_instant_sent_from_two_zones_is_dated_in_each() -> None:
    utc = Outgoing(
        key=UUID(int=1),
        to="cora@example.org",
        subject="Reminder",
        text="Monday",
        sent_at=datetime(2026, 3, 7, 10, tzinfo=UTC),
    )
    paris = replace(utc, sent_at=utc.sent_at.astimezone(ZoneInfo("Europe/Paris")))
    assert b"Date: Sat, 07 Mar 2026 10:00:00 +0000\r\n" in wire_email(utc, "r@clinic.example").data
    assert (
        b"Date: Sat, 07 Mar 2026 11:00:00 +0100\r\n" in wire_email(paris, "r@clinic.example").data
    )
