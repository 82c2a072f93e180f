"""A client who claims a waitlist offer is sent the booking's confirmation: unlike what they
do on their own page, the claim page cannot tell them all they need to keep."""

from __future__ import annotations

from datetime import timedelta

import pytest

from service.application import Regimen
from service.config import Settings
from service.domain.events import recorded_at
from tests.builders import agreed_plan
from tests.waitlist_story import NOW, Story, cancel_dans_visit, dans_visit, wait


@pytest.fixture
def story(regimen: Regimen, settings: Settings) -> Story:
    """Dan's Wednesday visit, the clients who may wait for it, and the wiring that offers."""
    return dans_visit(regimen, settings)


@pytest.mark.parametrize("for_plan", [False, True], ids=["a visit", "a plan's session"])
def test_the_client_who_claims_an_offer_gets_a_booking_confirmation(
    regimen: Regimen,
    story: Story,
    for_plan: bool,
) -> None:
    plan = {"plan_id": agreed_plan(regimen, story.clinic)} if for_plan else {}
    cora = wait(regimen, story.clinic.client_id, 60, **plan)
    offer = cancel_dans_visit(story, regimen)
    story.wiring.offer_waitlist(NOW)
    story.sender.sent.clear()
    with recorded_at(NOW + timedelta(minutes=5)):  # the claim happens at the story's time
        regimen.claim_offer(offer, cora, 1, now=NOW + timedelta(minutes=5))

    report = story.wiring.notice_dispatcher(worker="test").dispatch(NOW + timedelta(minutes=10))

    assert report.sent == 1, report
    [message] = story.sender.sent
    assert message.to == "cora@example.org" and message.subject.startswith("Booked")
    assert message.client_id == story.clinic.client_id  # the file outbox names its copy so
    assert "Wednesday 4 March 2026 at 10:00" in message.text and "/c/" in message.text
    # Sent once: another pass finds nothing due.
    later = NOW + timedelta(minutes=11)
    assert story.wiring.notice_dispatcher(worker="test").dispatch(later).sent == 0
