"""The links of the waitlist: a claim link (one offer, one entry, one round) and a join link
(one client, to choose the times they can come).

Signed with itsdangerous under the server's secret key and a salt of their own, so no
other signed thing (a session cookie, a client-page link) is ever a claim link. The
signature carries the instant it was made (from `now`, never the wall clock inside), and
a link older than the longest hold is refused before the offer is read; the offer's own
hold (checked by the claim) makes it lapse with its round.

A claim token is short enough for an SMS: the offer's and the entry's ids as raw bytes in
base64url, the round, and a 96-bit signature (as the client page's links), 69 characters.
Tokens of the earlier, longer form (a signed JSON payload) are still read until they
expire, so an offer sent before an upgrade can still be claimed.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from itsdangerous import (
    BadData,
    BadSignature,
    SignatureExpired,
    TimestampSigner,
    URLSafeTimedSerializer,
)

from service.reminders.client_links import DIGEST

SALT = "regimen waitlist claim"
JOIN_SALT = "regimen waitlist join"
LONGEST_HOLD = timedelta(days=2)  # the longest hold the waitlist policy allows
JOIN_LINK_LIFE = timedelta(days=14)
SHORT_PATH = "/w/"  # the claim page's short address, for an SMS


class LinkTampered(Exception):
    """The link was not made by this server (or was changed)."""


class LinkExpired(Exception):
    """The link is older than any hold."""


@dataclass(frozen=True)
class ClaimLink:
    """What a claim link names: the offer, the waitlist entry it was sent to, and its round."""

    offer_id: UUID
    entry_id: UUID
    round: int


class _ClockSigner(TimestampSigner):
    """A timestamp signer whose clock is the `now` it is given."""

    def __init__(self, *args: Any, now: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.now = now

    def get_timestamp(self) -> int:
        return int(self.now.timestamp())


def _serializer(secret: str, now: datetime, salt: str = SALT) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        secret, salt=salt, signer=_ClockSigner, signer_kwargs={"now": now}
    )


def _read(secret: str, token: str, now: datetime, salt: str, life: timedelta) -> Any:
    try:
        return _serializer(secret, now, salt).loads(token, max_age=int(life.total_seconds()))
    except SignatureExpired:
        raise LinkExpired("this link has expired") from None
    except BadData:
        raise LinkTampered("this link was not made by the clinic, or it was changed") from None


def _short_signer(secret: str, now: datetime) -> _ClockSigner:
    return _ClockSigner(secret, salt=SALT, digest_method=DIGEST, now=now)


def claim_token(secret: str, link: ClaimLink, now: datetime) -> str:
    """The signed token of a claim link, made at `now`."""
    ids = base64.urlsafe_b64encode(link.offer_id.bytes + link.entry_id.bytes).decode()
    return str(_short_signer(secret, now).sign(f"{ids.rstrip('=')}.{link.round}").decode())


def _short_link(value: bytes) -> ClaimLink:
    ids, _, round_ = value.decode().partition(".")
    raw = base64.urlsafe_b64decode(ids + "=")
    if len(raw) != 32:
        raise ValueError("not two ids")
    return ClaimLink(UUID(bytes=raw[:16]), UUID(bytes=raw[16:]), int(round_))


def read_claim_token(secret: str, token: str, now: datetime) -> ClaimLink:
    """What a token names, or LinkTampered / LinkExpired."""
    try:
        value = _short_signer(secret, now).unsign(token, max_age=int(LONGEST_HOLD.total_seconds()))
    except SignatureExpired:
        raise LinkExpired("this link has expired") from None
    except BadSignature:
        return _read_long_claim(secret, token, now)
    try:
        return _short_link(value)
    except (UnicodeError, ValueError):
        raise LinkTampered("this link does not name an offer") from None


def _read_long_claim(secret: str, token: str, now: datetime) -> ClaimLink:
    """A token of the earlier form (a signed JSON payload)."""
    payload = _read(secret, token, now, SALT, LONGEST_HOLD)
    try:
        return ClaimLink(UUID(payload["o"]), UUID(payload["e"]), int(payload["r"]))
    except (KeyError, TypeError, ValueError):
        raise LinkTampered("this link does not name an offer") from None


def join_token(secret: str, client_id: UUID, now: datetime) -> str:
    """The signed token of a client's link to join the waitlist, made at `now`."""
    return str(_serializer(secret, now, JOIN_SALT).dumps({"c": str(client_id)}))


def read_join_token(secret: str, token: str, now: datetime) -> UUID:
    """The client a join link is for, or LinkTampered / LinkExpired (after two weeks)."""
    payload = _read(secret, token, now, JOIN_SALT, JOIN_LINK_LIFE)
    try:
        return UUID(payload["c"])
    except (KeyError, TypeError, ValueError):
        raise LinkTampered("this link does not name a client") from None


@dataclass(frozen=True)
class ClaimLinker:
    """Makes claim links on the public address."""

    public_url: str  # REGIMEN_PUBLIC_URL, without a trailing slash
    secret: str

    def __call__(self, link: ClaimLink, now: datetime, *, short: bool = False) -> str:
        """The address of the claim page for this offer, entry and round (`short`: by its
        short path, for an SMS)."""
        path = SHORT_PATH if short else "/waitlist/claim/"
        return f"{self.public_url.rstrip('/')}{path}{claim_token(self.secret, link, now)}"
