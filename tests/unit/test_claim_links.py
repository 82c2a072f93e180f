"""Claim links: signed for one offer, entry and round; a changed or too old link is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from service.reminders.claim_links import (
    LONGEST_HOLD,
    ClaimLink,
    LinkExpired,
    LinkTampered,
    claim_token,
    read_claim_token,
)

SECRET = "k" * 64
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
LINK = ClaimLink(uuid4(), uuid4(), 2)


def test_a_link_names_its_offer_entry_and_round() -> None:
    assert read_claim_token(SECRET, claim_token(SECRET, LINK, NOW), NOW) == LINK


def test_a_changed_link_or_one_signed_with_another_key_is_tampered() -> None:
    token = claim_token(SECRET, LINK, NOW)
    with pytest.raises(LinkTampered):
        read_claim_token(SECRET, token[:-2] + ("xy" if token[-2:] != "xy" else "zz"), NOW)
    with pytest.raises(LinkTampered):
        read_claim_token("o" * 64, token, NOW)


def test_a_link_older_than_the_longest_hold_has_expired() -> None:
    token = claim_token(SECRET, LINK, NOW)
    read_claim_token(SECRET, token, NOW + LONGEST_HOLD)
    with pytest.raises(LinkExpired):
        read_claim_token(SECRET, token, NOW + LONGEST_HOLD + timedelta(seconds=2))
