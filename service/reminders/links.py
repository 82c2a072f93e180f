"""The calendar links a client's message carries, without keeping the client's feed token.

Only a hash of the feed token is stored, so a message cannot repeat the token itself.
It carries a link token instead: `<client_id>.<mac>`, where the mac is an HMAC of the
client and their current feed hash under a key derived from the server's secret. The feed
accepts it while that hash is current: issuing a new feed token or revoking it stops
every link already sent, just as it stops the old feed address.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from uuid import UUID

from service.domain.client import Client
from service.reminders.feed import subscribe_links
from service.reminders.messages import CalendarLinks

LABEL = b"regimen feed links"  # this key signs nothing else, so a cookie is never a link
MAC_CHARACTERS = 22  # 132 bits of the HMAC, base64url


def link_key(secret: str) -> bytes:
    """The key for message links, derived from the server's secret key with its own label."""
    return hmac.new(secret.encode(), LABEL, hashlib.sha256).digest()


def _mac(key: bytes, client_id: str, feed_hash: str) -> str:
    digest = hmac.new(key, f"{client_id}.{feed_hash}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:MAC_CHARACTERS]


def link_token(key: bytes, client_id: UUID | str, feed_hash: str) -> str:
    """The token a message's links carry for this client's current feed."""
    return f"{client_id}.{_mac(key, str(client_id), feed_hash)}"


def link_client(token: str) -> str | None:
    """The client a link token names, or None when it is not a link token (a feed token
    has no dot) or names no client. Check the token with `link_is_current` before use."""
    client_id, dot, mac = token.partition(".")
    if not dot or len(mac) != MAC_CHARACTERS:
        return None
    try:
        return str(UUID(client_id))
    except ValueError:
        return None


def link_is_current(key: bytes, token: str, feed_hash: str | None) -> bool:
    """Whether the token was made for this client's feed hash (None: no feed, never)."""
    client_id = link_client(token)
    if client_id is None or not feed_hash:
        return False
    expected = link_token(key, client_id, feed_hash)
    return hmac.compare_digest(expected.encode(), token.encode())


@dataclass(frozen=True)
class FeedLinker:
    """Makes a client's calendar links on the public address (see dispatch.CalendarLinker)."""

    public_url: str  # REGIMEN_PUBLIC_URL, without a trailing slash
    key: bytes

    def __call__(self, client: Client, plan_id: UUID, number: int) -> CalendarLinks | None:
        """The feed as webcal and https, and this session's .ics; None without a feed."""
        if not client.feed_token_hash:
            return None
        token = link_token(self.key, client.id, client.feed_token_hash)
        base = f"{self.public_url.rstrip('/')}/feeds/{token}"
        subscribe, https = subscribe_links(f"{base}.ics")
        return CalendarLinks(
            subscribe=subscribe, https=https, session=f"{base}/{plan_id}/{number}.ics"
        )
