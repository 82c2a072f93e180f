"""The channels: file outbox, SMS webhook (against a local HTTP server), SMTP failures."""

from __future__ import annotations

import dataclasses
import json
import smtplib
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from service.adapters.channels import (
    DeliveryFailed,
    FileOutbox,
    Outgoing,
    SmtpSender,
    WebhookSms,
    _smtp_failure,
    email_of,
    senders_from,
)
from service.config import Settings
from service.domain.reminders import Channel

MESSAGE = Outgoing(
    key=UUID("12345678-1234-5678-1234-567812345678"),
    to="cora@example.org",
    subject="Reminder",
    text="Your session is on Monday.",
    sent_at=datetime(2026, 3, 7, 10, tzinfo=UTC),
)


class Webhook(BaseHTTPRequestHandler):
    """Records each POST; answers with the status the test set."""

    calls: list[tuple[dict[str, str], dict[str, Any]]] = []
    status = 200

    def do_POST(self) -> None:  # noqa: N802 (the http.server name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).calls.append((dict(self.headers), body))
        self.send_response(type(self).status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def webhook() -> Iterator[str]:
    """A local webhook server's URL."""
    Webhook.calls, Webhook.status = [], 200
    server = ThreadingHTTPServer(("127.0.0.1", 0), Webhook)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sms"
    server.shutdown()
    server.server_close()
    thread.join()


def test_the_file_outbox_writes_one_file_per_delivery_key(tmp_path: Path) -> None:
    outbox = FileOutbox(tmp_path, Channel.EMAIL, "Clinic <r@clinic.test>")
    outbox.send(MESSAGE)
    outbox.send(MESSAGE)  # a retry replaces the file, it does not add one
    (path,) = (tmp_path / "email").iterdir()
    email = message_from_bytes(path.read_bytes())
    assert email["Message-ID"] == f"<{MESSAGE.key}@clinic.test>"  # the sender's domain
    assert email["To"] == "cora@example.org"
    assert "Monday" in email.get_payload(decode=True).decode()


def test_sms_goes_to_the_webhook_with_an_idempotency_key(webhook: str) -> None:
    WebhookSms(webhook).send(MESSAGE)
    ((headers, body),) = Webhook.calls
    assert headers["Idempotency-Key"] == str(MESSAGE.key)
    assert body == {"to": MESSAGE.to, "text": MESSAGE.text, "idempotency_key": str(MESSAGE.key)}


@pytest.mark.parametrize(("status", "transient"), [(503, True), (429, True), (400, False)])
def test_webhook_errors_say_whether_to_try_again(
    webhook: str, status: int, transient: bool
) -> None:
    Webhook.status = status
    with pytest.raises(DeliveryFailed) as failure:
        WebhookSms(webhook).send(MESSAGE)
    assert failure.value.transient is transient


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_smtp_server_that_does_not_answer_is_a_transient_failure() -> None:
    sender = SmtpSender(f"smtp://127.0.0.1:{closed_port()}", "r@clinic.test")
    with pytest.raises(DeliveryFailed) as failure:
        sender.send(MESSAGE)
    assert failure.value.transient
    sender.close()


def test_smtp_replies_in_4xx_are_transient_and_5xx_final() -> None:
    assert _smtp_failure(smtplib.SMTPDataError(451, b"try later")).transient
    assert not _smtp_failure(smtplib.SMTPDataError(554, b"rejected")).transient
    refused = smtplib.SMTPRecipientsRefused({"x@y": (550, b"no such user")})
    assert not _smtp_failure(refused).transient


def test_a_malformed_smtp_url_is_refused() -> None:
    with pytest.raises(ValueError, match="smtp://"):
        SmtpSender("http://mail.example.org", "r@clinic.test")


def test_with_nothing_configured_both_channels_write_to_the_outbox(tmp_path: Path) -> None:
    senders = senders_from(Settings(outbox_dir=str(tmp_path)))
    assert all(isinstance(s, FileOutbox) for s in senders.values())
    configured = senders_from(
        Settings(smtp_url="smtp://mail.test:587?starttls=1", sms_webhook_url="https://sms.test/")
    )
    assert isinstance(configured[Channel.EMAIL], SmtpSender)
    assert configured[Channel.EMAIL].starttls  # type: ignore[union-attr]
    assert isinstance(configured[Channel.SMS], WebhookSms)


def test_names_outside_ascii_survive_the_email_headers(tmp_path: Path) -> None:
    accented = Outgoing(
        key=MESSAGE.key,
        to="zoe@example.org",
        subject="Reminder: your session at Clínica Sól",
        text="Hellö Zoë",
        sent_at=MESSAGE.sent_at,
    )
    FileOutbox(tmp_path, Channel.EMAIL, "Clínica <r@clinic.test>").send(accented)
    (path,) = (tmp_path / "email").iterdir()
    email = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert email["Subject"] == "Reminder: your session at Clínica Sól"
    assert email["From"] == "Clínica <r@clinic.test>"
    assert email.get_content().strip() == "Hellö Zoë"


def test_an_email_on_the_wire_has_crlf_lines_folded_headers_and_its_text_intact() -> None:
    long = Outgoing(
        key=MESSAGE.key,
        to="cora@example.org",
        subject="Reminder: your session at The Riverside Physiotherapy and Sports Injury Clinic",
        text="Hello Cora,\n\n.\nA line of well over seventy-six characters, "
        + "which quoted-printable must wrap softly.\n",
        sent_at=MESSAGE.sent_at,
    )
    wire = email_of(long, "Clinic <r@clinic.test>").as_bytes()
    head, _, _ = wire.partition(b"\r\n\r\n")
    assert b"\n" not in wire.replace(b"\r\n", b"")
    assert max(len(line) for line in wire.split(b"\r\n")) <= 78
    assert b"Subject: Reminder: your session at" in head and b"\r\n " in head  # folded
    email = message_from_bytes(wire, policy=policy.default)
    assert email["Subject"].strip() == long.subject
    assert email["Date"] == "Sat, 07 Mar 2026 10:00:00 +0000"
    assert email.get_content().replace("\r\n", "\n") == long.text


def test_a_name_beyond_ascii_is_encoded_in_the_to_header_and_a_domain_sent_in_ascii() -> None:
    accented = dataclasses.replace(MESSAGE, to="zoe@exämple.org", to_name="Zoë Ñúñez, Jr.")
    wire = email_of(accented, "r@clinic.test").as_bytes()
    assert wire.isascii()
    email = message_from_bytes(wire, policy=policy.default)
    (to,) = email["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Zoë Ñúñez, Jr.", "zoe@xn--exmple-cua.org")


def test_a_subject_or_name_stored_with_a_line_break_goes_out_on_one_line() -> None:
    broken = dataclasses.replace(
        MESSAGE, subject="Reminder\r\nBcc: all@example.org", to_name="Cora\nBcc: x@y.org"
    )
    email = message_from_bytes(email_of(broken, "r@clinic.test").as_bytes(), policy=policy.default)
    assert email["Subject"] == "Reminder Bcc: all@example.org"
    assert email["Bcc"] is None
    assert email["To"].addresses[0].display_name == "Cora Bcc: x@y.org"
