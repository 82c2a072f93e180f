"""The links of the waitlist: a claim link (one offer, one entry, one round) and a join link
(one client, to choose the times they can come).

Signed with itsdangerous under the server's secret key and a salt of their own, so no
other signed thing (a session cookie, a client-page link) is ever a claim link. The
signature carries the instant it was made (from `now`, never the wall clock inside), and
a link older than the longest hold is refused before the offer is read; the offer's own
hold (checked by the claim) makes it lapse with its round.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from itsdangerous import BadData, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

SALT = "regimen waitlist claim"
JOIN_SALT = "regimen waitlist join"
LONGEST_HOLD = timedelta(days=2)  # the longest hold the waitlist policy allows
JOIN_LINK_LIFE = timedelta(days=14)


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


def claim_token(secret: str, link: ClaimLink, now: datetime) -> str:
    """The signed token of a claim link, made at `now`."""
    payload = {"o": str(link.offer_id), "e": str(link.entry_id), "r": link.round}
    return str(_serializer(secret, now).dumps(payload))


def read_claim_token(secret: str, token: str, now: datetime) -> ClaimLink:
    """What a token names, or LinkTampered / LinkExpired."""
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

    def __call__(self, link: ClaimLink, now: datetime) -> str:
        """The address of the claim page for this offer, entry and round."""
        return f"{self.public_url.rstrip('/')}/waitlist/claim/{claim_token(self.secret, link, now)}"
