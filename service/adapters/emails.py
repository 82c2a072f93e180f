"""A reminder's email: as a message (the file outbox, tests) and as the bytes an SMTP
server is sent.

A dispatch pass sends many emails from one clinic at one moment. Parsing and folding
every header through the email package, then flattening the message, cost more than
the SMTP exchange itself (2.5 ms an email on a busy machine), so the headers the
emails share (From, Reply-To, the MIME headers, Date) are parsed and folded once, and
of each email's own (To, Subject, Message-ID) only those that are not a short line of
plain ASCII go through the package. `wire_email` writes what `smtplib.SMTP.send_message`
would send for `email_of`'s message, byte for byte (a property test compares the two).
"""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import policy
from email.headerregistry import Address, HeaderRegistry
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import parseaddr
from functools import lru_cache
from typing import Any, cast

from service.adapters.outgoing import Outgoing
from service.domain.email_address import address_as_sent
from service.domain.text import one_line

Header = tuple[Any, bytes]  # a header object of the email package, and it folded for the wire
LINE_END = re.compile(r"\r\n|\r|\n")  # what the email package's generator ends lines at
WORD = "[A-Za-z0-9.,:;@<>_+-]+"  # no quote, comment, encoded word nor escape begins with these
PLAIN = re.compile(f"{WORD}(?: {WORD})*")
MAX_LINE = policy.SMTP.max_line_length or 78


@dataclass(frozen=True)
class WireEmail:
    """An email as sent: the envelope's two addresses and the message's bytes."""

    sender: str
    recipient: str
    data: bytes
    international: bool  # an address beyond ASCII: to be sent with SMTPUTF8


def email_of(outgoing: Outgoing, mail_from: str) -> EmailMessage:
    """The email, its Message-ID made of the delivery key at the sender's domain.

    The Message-ID is not email.utils.make_msgid's (random): a retry sends the same
    key, and so the same Message-ID, for receivers to recognise as one message. Its
    domain is REGIMEN_MAIL_FROM's, never this host's name. Addresses go out with their
    domain in ASCII; only one still beyond ASCII (a mailbox name stored before such
    names were refused) needs SMTPUTF8, and only such an email is written with it.
    The body is quoted-printable UTF-8: readable in the outbox and in a mail client's
    source view.
    """
    recipient, international = _recipient(outgoing, mail_from)
    message = EmailMessage(policy=_policy(international))
    for header, _ in _shared_headers(outgoing, mail_from, international):
        message[header.name] = header
    for name, value, _ in _own_headers(outgoing, mail_from, recipient):
        message[name] = _made(name, value)
    message.set_payload(_body(outgoing.text))
    return message


def wire_email(outgoing: Outgoing, mail_from: str) -> WireEmail:
    """The email as `send_message` would send `email_of`'s: CRLF lines, headers folded
    by the same policy (with UTF-8 left as it is when the email is international)."""
    recipient, international = _recipient(outgoing, mail_from)
    shared = _shared_headers(outgoing, mail_from, international)
    own = _own_headers(outgoing, mail_from, recipient)
    body = LINE_END.sub("\r\n", _body(outgoing.text)).encode("ascii")
    return WireEmail(
        sender=_sender(mail_from).addr_spec,
        recipient=recipient.addr_spec,
        data=b"".join(folded for _, folded in shared)
        + b"".join(_folded(name, value, text, international) for name, value, text in own)
        + b"\r\n"
        + body,
        international=international,
    )


def _recipient(outgoing: Outgoing, mail_from: str) -> tuple[Address, bool]:
    """The recipient's address, and whether it or the sender's is beyond ASCII."""
    recipient = _address(outgoing.to_name, outgoing.to)
    return recipient, not (_sender(mail_from).addr_spec + recipient.addr_spec).isascii()


def _shared_headers(outgoing: Outgoing, mail_from: str, international: bool) -> list[Header]:
    """The headers the email shares with the pass's others: the clinic's, and the Date."""
    sent_at = outgoing.sent_at
    return [
        *_clinic_headers(mail_from, outgoing.from_name, outgoing.reply_to, international),
        _date(sent_at, sent_at.utcoffset(), international),
    ]


def _own_headers(
    outgoing: Outgoing, mail_from: str, recipient: Address
) -> list[tuple[str, Any, str]]:
    """The email's own headers: each name, its value for the policy, and that as text."""
    subject = one_line(outgoing.subject)
    key = f"<{outgoing.key}@{_sender(mail_from).domain}>"
    return [
        ("To", recipient, str(recipient)),
        ("Subject", subject, subject),
        ("Message-ID", key, key),
    ]


def _folded(name: str, value: Any, text: str, international: bool) -> bytes:
    """The header as the policy folds it. A short line of plain ASCII words, which the
    policy writes out as it is (nothing to quote, encode or wrap), is written so without
    being parsed: most of an email's own headers, and most of the time they took."""
    if PLAIN.fullmatch(text) and len(name) + 2 + len(text) <= MAX_LINE:
        return f"{name}: {text}\r\n".encode("ascii")
    return _header(name, value, international)[1]


@lru_cache(maxsize=16)
def _clinic_headers(
    mail_from: str, from_name: str, reply_to: str, international: bool
) -> tuple[Header, ...]:
    """The headers every email of a clinic has, made once: the MIME headers, who sends it
    (the clinic's name, the configured address) and where replies go."""
    sender = _sender(mail_from)
    if from_name:
        sender = Address(one_line(from_name), sender.username, sender.domain)
    headers = [
        _header("MIME-Version", "1.0", international),
        _header("Content-Type", 'text/plain; charset="utf-8"', international),
        _header("Content-Transfer-Encoding", "quoted-printable", international),
        _header("Auto-Submitted", "auto-generated", international),
        _header("From", sender, international),
    ]
    if reply_to:
        headers.append(_header("Reply-To", _address(from_name, reply_to), international))
    return tuple(headers)


@lru_cache(maxsize=4)
def _date(sent_at: datetime, offset: timedelta | None, international: bool) -> Header:
    """The Date header: a pass sends all its emails at one `now`. The offset is part of
    the key: one instant in two zones is one datetime to `==`, but written differently."""
    return _header("Date", sent_at, international)


def _header(name: str, value: Any, international: bool) -> Header:
    header = _made(name, value)
    return header, _policy(international).fold_binary(name, header)


def _made(name: str, value: Any) -> Any:
    return _kind(name)(name, value)


@lru_cache(maxsize=32)
def _kind(name: str) -> Any:
    """The header class the policy makes headers of this name with: its registry makes
    the class anew at every header (a third of the time an email's header took)."""
    return cast(HeaderRegistry, policy.SMTP.header_factory)[name]


def _policy(international: bool) -> EmailPolicy[EmailMessage]:
    return policy.SMTPUTF8 if international else policy.SMTP


def _body(text: str) -> str:
    return binascii.b2a_qp(text.encode("utf-8"), istext=True).decode()


@lru_cache(maxsize=8)
def _sender(mail_from: str) -> Address:
    """The configured sender, `Name <address>` or a bare address."""
    return _address(*parseaddr(mail_from))


def _address(name: str, address: str) -> Address:
    """A header address: the name on one line (encoded by the policy), the domain in ASCII.

    Given in parts, not as `addr_spec`: Address refuses to parse a mailbox name beyond
    ASCII, which an SMTPUTF8 email may carry.
    """
    username, _, domain = address_as_sent(address).rpartition("@")
    return Address(display_name=one_line(name), username=username, domain=domain)
