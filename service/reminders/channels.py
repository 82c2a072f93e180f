"""Ways out: SMTP email (smtplib), an SMS webhook (urllib), and a file outbox (the default)."""

from __future__ import annotations

import binascii
import json
import os
import smtplib
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from email.header import Header
from email.utils import format_datetime, formataddr, parseaddr
from functools import lru_cache
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit
from uuid import UUID

from service.config import Settings
from service.domain.reminders import Channel

TIMEOUT_S = 30
CRLF = "\r\n"
FOLD_AT = 78  # RFC 5322's recommended line length


class DeliveryFailed(Exception):
    """A channel could not deliver; `transient` failures are worth another try later.

    `unreachable`: the server itself could not be reached, so the rest of the pass
    need not wait on it again.
    """

    def __init__(self, message: str, *, transient: bool, unreachable: bool = False) -> None:
        super().__init__(message)
        self.transient = transient
        self.unreachable = unreachable


@dataclass(frozen=True)
class Outgoing:
    """One message to one address; `key` makes sending it twice recognisable as one."""

    key: UUID
    to: str
    subject: str
    text: str
    sent_at: datetime


class Sender(Protocol):
    """A channel: sends messages, then is closed at the end of a dispatch pass."""

    def send(self, outgoing: Outgoing) -> None:
        """Deliver, or raise DeliveryFailed."""

    def close(self) -> None:
        """Release any connection."""


def email_of(outgoing: Outgoing, mail_from: str, linesep: str = CRLF) -> bytes:
    """The email, with a Message-ID derived from the delivery key: CRLF lines as sent,
    or `linesep` ones as filed.

    Written out directly: building an email.message object and flattening it folds
    every header through email.header.Header (about 0.15 ms a message, a tenth of a
    pass against a nearby relay). Only a header that needs it (beyond ASCII, or long)
    goes through Header, for RFC 2047 encoding and folding; the body is
    quoted-printable UTF-8, readable in the outbox and in a mail client's source view.
    """
    head = [
        "MIME-Version: 1.0",
        'Content-Type: text/plain; charset="utf-8"',
        "Content-Transfer-Encoding: quoted-printable",
        _header("From", _sender(mail_from), linesep),
        _header("To", outgoing.to, linesep),
        _header("Subject", outgoing.subject, linesep),
        f"Date: {format_datetime(outgoing.sent_at)}",
        f"Message-ID: <{outgoing.key}@regimen.reminders>",
        "Auto-Submitted: auto-generated",
    ]
    text = outgoing.text.replace(CRLF, "\n").replace("\n", linesep).encode("utf-8")
    body = binascii.b2a_qp(text, istext=True)  # keeps the text's line ends
    return (linesep.join(head) + linesep + linesep).encode("ascii") + body


@lru_cache(maxsize=8)
def _sender(mail_from: str) -> str:
    """The From address with its name RFC 2047-encoded: the same for a whole pass."""
    return formataddr(parseaddr(mail_from), charset="utf-8")


def _header(name: str, value: str, linesep: str) -> str:
    """One header line, RFC 2047-encoded and folded only when it has to be (Header also
    refuses a value that would smuggle in a header of its own)."""
    line = f"{name}: {value}"
    if value.isascii() and value.isprintable() and len(line) <= FOLD_AT:
        return line
    charset = "us-ascii" if value.isascii() else "utf-8"
    folded = Header(value, charset, maxlinelen=FOLD_AT, header_name=name)
    return f"{name}: {folded.encode(linesep=linesep)}"


class SmtpSender:
    """Email through an SMTP server, one connection per dispatch pass."""

    def __init__(self, url: str, mail_from: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("REGIMEN_SMTP_URL must look like smtp://user:pass@host:587")
        self.tls = parts.scheme == "smtps"
        self.starttls = parse_qs(parts.query).get("starttls", ["0"])[0] in ("1", "true", "yes")
        self.host = parts.hostname
        self.port = parts.port or (465 if self.tls else 25)
        self.user = unquote(parts.username or "")
        self.password = unquote(parts.password or "")
        self.mail_from = mail_from
        self.envelope_from = parseaddr(mail_from)[1]
        self._smtp: smtplib.SMTP | None = None

    def send(self, outgoing: Outgoing) -> None:
        """Send, reconnecting once if a reused connection was dropped."""
        message = email_of(outgoing, self.mail_from)
        reused = self._smtp is not None
        try:
            self._transmit(outgoing.to, message)
        except smtplib.SMTPServerDisconnected:
            self.close()
            if not reused:
                raise DeliveryFailed(
                    "the SMTP server hung up", transient=True, unreachable=True
                ) from None
            self._send_fresh(outgoing.to, message)
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise _smtp_failure(error) from None

    def _send_fresh(self, to: str, message: bytes) -> None:
        try:
            self._transmit(to, message)
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise _smtp_failure(error) from None

    def _transmit(self, to: str, message: bytes) -> None:
        """The envelope is known, so the headers need not be parsed back out of the email
        (as send_message would); addresses beyond ASCII need the server's SMTPUTF8."""
        options = () if (self.envelope_from + to).isascii() else ("SMTPUTF8",)
        self._connection().sendmail(self.envelope_from, [to], message, mail_options=options)

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            if self.tls:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=TIMEOUT_S, context=ssl.create_default_context()
                )
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=TIMEOUT_S)
            try:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.user:
                    smtp.login(self.user, self.password)
            except BaseException:
                smtp.close()
                raise
            self._smtp = smtp
        return self._smtp

    def close(self) -> None:
        """Say goodbye to the server, or just drop the connection."""
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            pass
        finally:
            smtp.close()


def _smtp_failure(error: Exception) -> DeliveryFailed:
    """4xx replies and lost connections are transient; 5xx replies are final."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        transient = all(400 <= code < 500 for code in codes)
        return DeliveryFailed(f"recipient refused: {codes}", transient=transient)
    if isinstance(error, smtplib.SMTPResponseException):
        transient = 400 <= error.smtp_code < 500
        return DeliveryFailed(f"SMTP {error.smtp_code}: {error.smtp_error!r}", transient=transient)
    return DeliveryFailed(f"SMTP unavailable: {error}", transient=True, unreachable=True)


class WebhookSms:
    """SMS through an HTTP webhook: a JSON POST with an Idempotency-Key header."""

    def __init__(self, url: str) -> None:
        if urlsplit(url).scheme not in ("http", "https"):
            raise ValueError("REGIMEN_SMS_WEBHOOK_URL must be an http(s) URL")
        self.url = url

    def send(self, outgoing: Outgoing) -> None:
        """POST the text; 429 and 5xx are transient, other 4xx final."""
        body = {"to": outgoing.to, "text": outgoing.text, "idempotency_key": str(outgoing.key)}
        request = urllib.request.Request(
            self.url,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Idempotency-Key": str(outgoing.key)},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                response.read()
        except urllib.error.HTTPError as error:
            error.close()
            transient = error.code == 429 or error.code >= 500
            raise DeliveryFailed(
                f"SMS webhook answered {error.code}", transient=transient
            ) from None
        except OSError as error:
            raise DeliveryFailed(
                f"SMS webhook unreachable: {error}", transient=True, unreachable=True
            ) from None

    def close(self) -> None:
        """Nothing is kept open."""


class FileOutbox:
    """Messages written as files (email as .eml, SMS as .json), one per delivery key."""

    def __init__(self, directory: str | Path, channel: Channel, mail_from: str) -> None:
        self.directory = Path(directory) / channel.value
        self.channel = channel
        self.mail_from = mail_from

    def send(self, outgoing: Outgoing) -> None:
        """Write the message; writing the same key again replaces it whole."""
        self.directory.mkdir(parents=True, exist_ok=True)
        if self.channel is Channel.EMAIL:
            path, data = (
                self.directory / f"{outgoing.key}.eml",
                email_of(outgoing, self.mail_from, linesep="\n"),
            )
        else:
            path = self.directory / f"{outgoing.key}.json"
            data = json.dumps({"to": outgoing.to, "text": outgoing.text}).encode()
        partial = path.with_suffix(".part")
        partial.write_bytes(data)
        os.replace(partial, path)

    def close(self) -> None:
        """Nothing is kept open."""


def senders_from(settings: Settings) -> dict[Channel, Sender]:
    """The configured channel for each kind of reminder; the file outbox when none is."""
    email: Sender = (
        SmtpSender(settings.smtp_url, settings.mail_from)
        if settings.smtp_url
        else FileOutbox(settings.outbox_dir, Channel.EMAIL, settings.mail_from)
    )
    sms: Sender = (
        WebhookSms(settings.sms_webhook_url)
        if settings.sms_webhook_url
        else FileOutbox(settings.outbox_dir, Channel.SMS, settings.mail_from)
    )
    return {Channel.EMAIL: email, Channel.SMS: sms}
