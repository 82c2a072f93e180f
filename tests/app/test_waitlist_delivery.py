"""An offer message that cannot be sent: tried again while the time is held for the client,
failed for good when the relay refuses it or the hold would lapse first."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from service.adapters.channels import DeliveryFailed, Outgoing
from service.application import Regimen
from service.config import Settings
from service.projections.locked import ViewDatabase
from service.projections.waitlist_outbox import OfferOutbox
from tests.waitlist_story import NOW, Story, cancel_dans_visit, dans_visit, wait


@pytest.fixture
def story(regimen: Regimen, settings: Settings) -> Story:
    return dans_visit(regimen, settings)


def offered(story: Story, regimen: Regimen) -> UUID:
    """Cora waits; Dan's visit is cancelled: an offer whose message is due now."""
    wait(regimen, story.clinic.client_id, 60)
    return cancel_dans_visit(story, regimen)


def messages(story: Story, offer: UUID) -> list[dict[str, Any]]:
    outbox = OfferOutbox(ViewDatabase.of(story.wiring.reads.projector.recorder))
    return outbox.messages(str(offer))


def refuse(outgoing: Outgoing) -> None:
    raise DeliveryFailed("550 mailbox unavailable", transient=False)


def test_a_message_the_relay_could_not_take_is_sent_on_a_later_pass(
    regimen: Regimen, story: Story
) -> None:
    offer = offered(story, regimen)
    relay_down = [True]
    story.sender.down = lambda: relay_down[0]

    _, first = story.wiring.offer_waitlist(NOW)

    assert (first.sent, first.retried, first.failed) == (0, 1, 0)
    [message] = messages(story, offer)
    assert (message["status"], message["attempts"]) == ("retry", 1)
    assert message["last_error"] == "the relay is down"
    relay_down[0] = False
    _, too_soon = story.wiring.offer_waitlist(NOW + timedelta(seconds=30))
    assert too_soon.sent == 0  # not before the retry's time
    _, later = story.wiring.offer_waitlist(NOW + timedelta(minutes=1))
    assert later.sent == 1
    assert [m.to for m in story.sender.sent] == ["cora@example.org"]
    assert messages(story, offer)[0]["status"] == "sent"


def test_a_message_the_relay_refuses_fails_for_good(
    regimen: Regimen, story: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    offer = offered(story, regimen)
    monkeypatch.setattr(story.sender, "send", refuse)

    _, report = story.wiring.offer_waitlist(NOW)

    assert (report.sent, report.retried, report.failed) == (0, 0, 1)
    [message] = messages(story, offer)
    assert (message["status"], message["last_error"]) == ("failed", "550 mailbox unavailable")
    _, again = story.wiring.offer_waitlist(NOW + timedelta(minutes=5))
    assert (again.sent, again.retried, again.failed) == (0, 0, 0)


def test_a_retry_that_would_come_after_the_hold_lapses_fails_instead(
    regimen: Regimen, story: Story
) -> None:
    offer = offered(story, regimen)
    story.sender.down = lambda: True
    story.wiring.offer_waitlist(NOW)
    # The time is held for 30 minutes; each pass at the message's retry time fails again,
    # and the backoff doubles (1, 2, 4, 8 minutes): the fifth failure, at 15 minutes, would
    # be retried after 16, once the hold has lapsed, so it fails for good instead.
    passes = []
    while (message := messages(story, offer)[0])["status"] == "retry" and len(passes) < 10:
        retry_at = datetime.fromisoformat(message["next_try_utc"])
        passes.append(retry_at - NOW)
        story.wiring.offer_waitlist(retry_at)

    assert passes == [timedelta(minutes=m) for m in (1, 3, 7, 15)]
    assert (message["status"], message["attempts"]) == ("failed", 5)
    assert story.sender.sent == []
