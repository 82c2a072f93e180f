"""Signed links to the client page: bound to one client, expiring, revocable.

A link token is itsdangerous's TimestampSigner over `<client id, base64url>.<generation>`,
under the server's secret with this module's own salt, so no cookie or feed link is ever
one of these. It is short enough for an SMS (48 characters). It expires after
`LIFETIME`; a client's `link_generation` (raised by `Client.revoke_links`) revokes every
link made for an older generation. The signer is given `now`, never the clock.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from functools import partial
from uuid import UUID

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner

from service.reminders.messages import ClientActions

SALT = "regimen client page links"
LIFETIME = timedelta(days=90)  # a confirmation sent at booking covers a ten-week series
# The scheduler signing links and the server reading them may run on machines whose clocks
# differ a little: a link signed up to this far in the reader's future is not refused.
CLOCK_SKEW = timedelta(minutes=5)
# HMAC over BLAKE2s cut to 96 bits: 16 characters of signature instead of SHA-1's 27, so a
# link fits an SMS beside the time and the clinic's name (96 bits defy guessing, and guesses
# are rate-limited besides).
DIGEST = partial(hashlib.blake2s, digest_size=12)


class LinkState(Enum):
    """What a presented link is worth."""

    GOOD = "good"
    TAMPERED = "tampered"  # not signed by this server: 403
    EXPIRED = "expired"  # signed, but older than LIFETIME: 410
    REVOKED = "revoked"  # signed for a generation since revoked: 410


@dataclass(frozen=True)
class ReadLink:
    """A link token read: its state, and the client and generation when it was signed here."""

    state: LinkState
    client_id: UUID | None = None
    generation: int = 0


class _SignerAt(TimestampSigner):
    """A TimestampSigner whose clock is the instant it was given."""

    def __init__(self, secret: str, now: datetime) -> None:
        super().__init__(secret, salt=SALT, digest_method=DIGEST)
        self.now = now

    def get_timestamp(self) -> int:
        """The given instant, in seconds."""
        return int(self.now.timestamp())


def _short(client_id: UUID) -> str:
    return base64.urlsafe_b64encode(client_id.bytes).decode().rstrip("=")


def _uuid(short: str) -> UUID:
    return UUID(bytes=base64.urlsafe_b64decode(short + "=="))


def make_link_token(secret: str, client_id: UUID, generation: int, now: datetime) -> str:
    """A token for the client's page, valid from `now` for LIFETIME, until revoked."""
    value = f"{_short(client_id)}.{generation}"
    return _SignerAt(secret, now).sign(value).decode()


def read_link_token(secret: str, token: str, now: datetime) -> ReadLink:
    """The token's client and generation, or why it opens nothing (the generation is checked
    against the client by the caller: see `state_for`)."""
    signer = _SignerAt(secret, now)
    try:
        value = signer.unsign(token, max_age=int(LIFETIME.total_seconds())).decode()
    except SignatureExpired as expired:
        signed = expired.date_signed
        if signed is None or not now < signed <= now + CLOCK_SKEW:
            return ReadLink(LinkState.EXPIRED)
        value = signer.unsign(token).decode()  # signed by a clock a little ahead of ours
    except (BadSignature, UnicodeError):
        return ReadLink(LinkState.TAMPERED)
    short, _, generation = value.partition(".")
    try:
        return ReadLink(LinkState.GOOD, _uuid(short), int(generation))
    except ValueError:
        return ReadLink(LinkState.TAMPERED)


def state_for(link: ReadLink, current_generation: int | None) -> LinkState:
    """The link's state against its client's current generation (None: no such client)."""
    if link.state is not LinkState.GOOD:
        return link.state
    if current_generation is None:
        return LinkState.TAMPERED
    if link.generation < current_generation:
        return LinkState.REVOKED
    return LinkState.GOOD


@dataclass(frozen=True)
class ClientPageLinker:
    """Makes the signed links a client's message carries, on the public address."""

    public_url: str  # REGIMEN_PUBLIC_URL, without a trailing slash
    secret: str

    def page(self, client_id: UUID, generation: int, now: datetime) -> str:
        """The client's page."""
        token = make_link_token(self.secret, client_id, generation, now)
        return f"{self.public_url.rstrip('/')}/c/{token}"

    def __call__(
        self, client_id: UUID, generation: int, plan_id: UUID, number: int, now: datetime
    ) -> ClientActions:
        """The page, and confirm, cancel and move links for one session."""
        page = self.page(client_id, generation, now)
        session = f"{page}/sessions/{plan_id}/{number}"
        return ClientActions(
            page=page,
            confirm=f"{session}/confirm",
            cancel=f"{session}/cancel",
            reschedule=f"{session}/reschedule",
        )
