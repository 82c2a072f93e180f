"""Ways out: SMTP email (smtplib), an SMS webhook (urllib), and a file outbox (the default)."""

from __future__ import annotations

import json
import os
import smtplib
import ssl
import urllib.error
import urllib.request
from collections.abc import Iterable
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit
from uuid import UUID

from service.adapters.emails import WireEmail, email_of, wire_email
from service.adapters.outgoing import Outgoing
from service.config import Settings
from service.domain.email_address import address_as_sent
from service.domain.errors import InvalidValue
from service.domain.reminders import Channel

TIMEOUT_S = 30


class DeliveryFailed(Exception):
    """A channel could not deliver; `transient` failures are worth another try later.

    `unreachable`: the server itself could not be reached, so the rest of the pass
    need not wait on it again.
    """

    def __init__(self, message: str, *, transient: bool, unreachable: bool = False) -> None:
        super().__init__(message)
        self.transient = transient
        self.unreachable = unreachable


class Sender(Protocol):
    """A channel: sends messages, then is closed at the end of a dispatch pass."""

    def send(self, outgoing: Outgoing) -> None:
        """Deliver, or raise DeliveryFailed."""

    def close(self) -> None:
        """Release any connection."""


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
        self._smtp: smtplib.SMTP | None = None

    def send(self, outgoing: Outgoing) -> None:
        """Send, reconnecting once if a reused connection was dropped."""
        email = wire_email(outgoing, self.mail_from)
        reused = self._smtp is not None
        try:
            self._transmit(email)
        except smtplib.SMTPServerDisconnected:
            self.close()
            if not reused:
                raise DeliveryFailed(
                    "the SMTP server hung up", transient=True, unreachable=True
                ) from None
            self._send_fresh(email)
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise _smtp_failure(error) from None

    def _send_fresh(self, email: WireEmail) -> None:
        try:
            self._transmit(email)
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise _smtp_failure(error) from None

    def _transmit(self, email: WireEmail) -> None:
        """The envelope is the From and To headers' addresses, as they are; an email with
        one beyond ASCII is sent with SMTPUTF8, refused if the server does not offer it
        (as smtplib's `send_message` does)."""
        smtp = self._connection()
        options: tuple[str, ...] = ()
        if email.international:
            smtp.ehlo_or_helo_if_needed()
            if not smtp.has_extn("smtputf8"):
                raise smtplib.SMTPNotSupportedError(
                    "an address beyond ASCII needs SMTPUTF8, which the server does not offer"
                )
            options = ("SMTPUTF8", "BODY=8BITMIME")
        smtp.sendmail(email.sender, [email.recipient], email.data, options)

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
    """4xx replies and lost connections are transient; 5xx replies are final, and so is a
    server without SMTPUTF8 for an address beyond ASCII."""
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return DeliveryFailed(f"SMTP server cannot deliver: {error}", transient=False)
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
        """Write the message; writing the same key again replaces it whole. The file is
        named by the delivery key, after the client's id when the message has one (so that
        an erasure finds a client's copies by name alone)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{outgoing.client_id}.{outgoing.key}" if outgoing.client_id else str(outgoing.key)
        if self.channel is Channel.EMAIL:
            email = email_of(outgoing, self.mail_from)
            path = self.directory / f"{name}.eml"
            data = email.as_bytes(policy=email.policy.clone(linesep="\n"))
        else:
            path = self.directory / f"{name}.json"
            data = json.dumps({"to": outgoing.to, "text": outgoing.text}).encode()
        partial = path.with_suffix(".part")
        partial.write_bytes(data)
        os.replace(partial, path)

    def close(self) -> None:
        """Nothing is kept open."""


def forget_messages_of(directory: str | Path, client_id: UUID, addresses: Iterable[str]) -> int:
    """Delete the file outbox's copies of the messages sent to a client (their erasure);
    how many. Copies named by the client's id go by their name alone. A copy named by its
    key alone (written before messages carried the client's id) goes if it was sent to any
    of these email addresses or phone numbers: the client's, though another client who
    shared an address then loses that copy too. Other clients' named copies are never read.
    """
    wanted = {address.strip().lower() for address in addresses if address.strip()}
    wanted |= {_as_sent(address) for address in wanted if "@" in address}
    forgotten = []
    for folder, suffix in ((Channel.EMAIL.value, ".eml"), (Channel.SMS.value, ".json")):
        for path in (Path(directory) / folder).glob(f"*{suffix}"):
            owner, _, key = path.stem.rpartition(".")
            if owner == str(client_id) or (
                not owner and _is_uuid(key) and _recipient(path).lower() in wanted
            ):
                forgotten.append(path)
    for path in forgotten:
        path.unlink(missing_ok=True)
    return len(forgotten)


def _is_uuid(text: str) -> bool:
    try:
        UUID(text)
    except ValueError:
        return False
    return True


def _as_sent(address: str) -> str:
    """The address as an email's To header holds it (its domain in ASCII where it can be)."""
    try:
        return address_as_sent(address).lower()
    except InvalidValue:
        return address


def _recipient(path: Path) -> str:
    """Whom an outbox file was written to: an SMS's number, an email's To address."""
    data = path.read_bytes()
    if path.suffix == ".json":
        return str(json.loads(data).get("to", ""))
    to = BytesParser(policy=policy.default).parsebytes(data, headersonly=True)["To"]
    return to.addresses[0].addr_spec if to is not None and to.addresses else ""


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
