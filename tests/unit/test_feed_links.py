"""Message links: a token for the client's current feed, refused once that feed changes."""

from __future__ import annotations

import hashlib
from uuid import UUID

from service.domain.client import Client
from service.reminders.links import (
    FeedLinker,
    link_client,
    link_is_current,
    link_key,
    link_token,
)
from tests.builders import DESK

KEY = link_key("s" * 40)
CLIENT = UUID("6f1c2d3e-0000-4000-8000-000000000001")
FEED = hashlib.sha256(b"first feed token").hexdigest()
REISSUED = hashlib.sha256(b"second feed token").hexdigest()
PLAN = UUID("6f1c2d3e-0000-4000-8000-0000000000aa")


def test_a_link_token_names_its_client_and_opens_the_current_feed() -> None:
    token = link_token(KEY, CLIENT, FEED)
    assert link_client(token) == str(CLIENT)
    assert link_is_current(KEY, token, FEED)


def test_a_tampered_token_is_refused() -> None:
    token = link_token(KEY, CLIENT, FEED)
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    other_client = str(UUID(int=CLIENT.int + 1)) + token[len(str(CLIENT)) :]
    for forged in (flipped, other_client, token[:-1], token + "A"):
        assert not link_is_current(KEY, forged, FEED)


def test_a_token_made_with_another_key_is_refused() -> None:
    assert not link_is_current(link_key("t" * 40), link_token(KEY, CLIENT, FEED), FEED)


def test_after_the_feed_is_reissued_or_revoked_the_old_token_is_refused() -> None:
    token = link_token(KEY, CLIENT, FEED)
    assert not link_is_current(KEY, token, REISSUED)
    assert not link_is_current(KEY, token, None)
    assert not link_is_current(KEY, token, "")


def test_a_feed_token_is_not_taken_for_a_link_token() -> None:
    assert link_client("Zq3vJ9w_kP0-abcdefghijklmnopqrstuvwxyz01234") is None
    assert link_client("not-a-uuid.AAAAAAAAAAAAAAAAAAAAAA") is None


def test_the_link_key_is_not_the_secret_itself() -> None:
    assert ("s" * 40).encode() != KEY and len(KEY) == 32


def client_with_feed(feed_hash: str) -> Client:
    client = Client.register(
        name="Cora Client", email="", phone="", zone="Europe/London", notes="", actor=DESK
    )
    if feed_hash:
        client.issue_feed_token(feed_hash, DESK)
    return client


def test_the_linker_puts_the_feed_and_the_session_on_the_public_address() -> None:
    client = client_with_feed(FEED)
    links = FeedLinker("https://clinic.example/regimen", KEY)(client, PLAN, 2)
    token = link_token(KEY, client.id, FEED)
    assert links is not None
    assert links.subscribe == f"webcal://clinic.example/regimen/feeds/{token}.ics"
    assert links.https == f"https://clinic.example/regimen/feeds/{token}.ics"
    assert links.session == f"https://clinic.example/regimen/feeds/{token}/{PLAN}/2.ics"


def test_a_client_without_a_feed_gets_no_links() -> None:
    assert FeedLinker("https://clinic.example", KEY)(client_with_feed(""), PLAN, 2) is None
