"""The waitlist's story: a cancellation is offered, claimed and booked; an unclaimed offer
moves on; a second claim is told the time is taken; a repeated pass offers nothing twice."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, time, timedelta

import pytest

from service.application import Regimen
from service.application.commands import Slot
from service.config import Settings
from service.domain.values import Performance, SessionStatus
from service.domain.visit import Visit
from service.domain.waitlist import (
    EntryStatus,
    OfferLapsed,
    OfferStatus,
    OfferTaken,
    SlotOffer,
    WaitlistRequest,
    Window,
    offer_id,
)
from service.reminders.claim_links import read_claim_token
from tests.builders import (
    ADMIN,
    DESK,
    THERAPIST,
    agreed_plan,
    visit_booking,
)
from tests.waitlist_story import NOW, SECRET, Story, cancel_dans_visit, dans_visit, wait

DONE = Performance(techniques=("effleurage",), areas=("neck",), duration_minutes=60, pain_before=5)


@pytest.fixture
def story(regimen: Regimen, settings: Settings) -> Story:
    """Dan's Wednesday visit, the clients who may wait for it, and the wiring that offers."""
    return dans_visit(regimen, settings)


def links_sent(story: Story) -> dict[str, str]:
    """The claim token of each offer email, by address."""
    return {
        m.to: re.search(r"/waitlist/claim/(\S+)", m.text).group(1)  # type: ignore[union-attr]
        for m in story.sender.sent
    }


def test_a_cancelled_visit_is_offered_claimed_and_booked_for_the_first_to_claim(
    regimen: Regimen, story: Story
) -> None:
    cora = wait(regimen, story.clinic.client_id, 60)
    offer = cancel_dans_visit(story, regimen)

    story.wiring.offer_waitlist(NOW)  # the scheduler's pass: offer, then send

    made = regimen.slot_offer(offer)
    assert (made.status, made.round, made.round_entries) == (OfferStatus.OPEN, 1, (cora,))
    assert made.hold_until == NOW + timedelta(minutes=30)
    [message] = story.sender.sent
    assert (message.to, message.client_id) == ("cora@example.org", story.clinic.client_id)
    assert "Wed 4 Mar 10:00" in message.subject and "first to claim" in message.text
    link = read_claim_token(SECRET, links_sent(story)["cora@example.org"], NOW)
    assert (link.offer_id, link.entry_id, link.round) == (offer, cora, 1)

    booked = regimen.claim_offer(offer, cora, 1, now=NOW + timedelta(minutes=5))

    visit = regimen.load(Visit, booked)
    assert (visit.client_id, visit.session.status) == (story.clinic.client_id, SessionStatus.BOOKED)
    assert visit.session.time == regimen.slot_offer(offer).slot.time
    assert regimen.slot_offer(offer).status is OfferStatus.CLAIMED
    assert regimen.waitlist_entry(cora).status is EntryStatus.BOOKED


def test_an_unclaimed_offer_moves_to_the_next_client_when_its_hold_lapses(
    regimen: Regimen, story: Story
) -> None:
    regimen.set_waitlist_policy(hold_minutes=30, round_size=1, actor=ADMIN)
    cora = wait(regimen, story.clinic.client_id, 60)
    eve = wait(regimen, story.eve_id, 30)
    offer = cancel_dans_visit(story, regimen)
    story.wiring.offer_waitlist(NOW)
    story.wiring.offer_waitlist(NOW + timedelta(minutes=29))  # still held: nothing moves
    assert regimen.slot_offer(offer).round_entries == (cora,)

    story.wiring.offer_waitlist(NOW + timedelta(minutes=30))

    assert regimen.slot_offer(offer).round_entries == (eve,)
    steps = [type(e).__name__ for e in regimen.history(offer)]
    assert steps == ["SlotOfferOpened", "OfferSent", "OfferHoldLapsed", "OfferSent"]
    assert [m.to for m in story.sender.sent] == ["cora@example.org", "eve@example.org"]
    with pytest.raises(OfferLapsed):
        regimen.claim_offer(offer, cora, 1, now=NOW + timedelta(minutes=31))
    booked = regimen.claim_offer(offer, eve, 2, now=NOW + timedelta(minutes=31))
    assert regimen.load(Visit, booked).client_id == story.eve_id


def test_a_second_claim_is_told_the_time_is_taken_and_stays_on_the_list(
    regimen: Regimen, story: Story
) -> None:
    cora = wait(regimen, story.clinic.client_id, 60)
    eve = wait(regimen, story.eve_id, 30)
    offer = cancel_dans_visit(story, regimen)
    story.wiring.offer_waitlist(NOW)
    assert set(links_sent(story)) == {"cora@example.org", "eve@example.org"}

    regimen.claim_offer(offer, eve, 1, now=NOW + timedelta(minutes=1))
    with pytest.raises(OfferTaken):
        regimen.claim_offer(offer, cora, 1, now=NOW + timedelta(minutes=2))

    assert regimen.waitlist_entry(cora).status is EntryStatus.WAITING


def test_a_claim_for_a_plan_books_its_next_session_in_the_freed_time(
    regimen: Regimen, story: Story
) -> None:
    plan_id = agreed_plan(regimen, story.clinic)
    cora = wait(regimen, story.clinic.client_id, 60, plan_id=plan_id)
    offer = cancel_dans_visit(story, regimen)
    story.wiring.offer_waitlist(NOW)

    assert regimen.claim_offer(offer, cora, 1, now=NOW + timedelta(minutes=1)) == plan_id

    [session] = regimen.plan(plan_id).sessions
    assert session.time.start == regimen.slot_offer(offer).slot.time.start


def test_passes_repeated_after_a_crash_make_one_offer_and_send_it_once(
    regimen: Regimen, story: Story
) -> None:
    wait(regimen, story.clinic.client_id, 60)
    offer = cancel_dans_visit(story, regimen)
    freed = story.wiring.waitlist().freed_to_offer()
    assert freed == [(str(story.visit_id), 0)]  # recorded with the cancellation itself

    regimen.offer_freed_slot(story.visit_id, 0, story.wiring.waitlist(), now=NOW)
    # ... the process stops here, before the pass marks the freed time dealt with
    story.wiring.offer_waitlist(NOW)
    story.wiring.offer_waitlist(NOW)

    assert len(regimen.history(offer)) == 2  # opened, sent once
    assert len(story.sender.sent) == 1
    assert story.wiring.waitlist().freed_to_offer() == []


def test_a_time_no_one_waiting_matches_is_closed_at_once(regimen: Regimen, story: Story) -> None:
    saturdays = (Window(weekdays=(5,), start=time(9), end=time(12)),)
    regimen.join_waitlist(
        WaitlistRequest(client_id=story.clinic.client_id, therapist_id=None, windows=saturdays),
        actor=DESK,
        now=NOW,
        listed=story.wiring.waitlist(),
    )
    offer = cancel_dans_visit(story, regimen)
    story.wiring.offer_waitlist(NOW)
    assert regimen.load(SlotOffer, offer).status is OfferStatus.CLOSED
    assert story.sender.sent == []


def test_a_plan_behind_its_pace_is_offered_the_time_before_a_longer_wait(
    regimen: Regimen, story: Story
) -> None:
    # Cora's weekly plan: its one session performed on Monday 2 March, nothing booked since.
    plan_id = agreed_plan(regimen, story.clinic)
    monday = Slot(datetime(2026, 3, 2, 9, 0), "Europe/London")
    regimen.book_session(plan_id, monday, actor=DESK, now=NOW - timedelta(hours=2))
    regimen.perform_session(
        plan_id, 1, performance=DONE, actor=THERAPIST, now=NOW + timedelta(hours=3)
    )
    eve = wait(regimen, story.eve_id, 600)  # waiting far longer, for any visit
    cora = wait(regimen, story.clinic.client_id, 1, plan_id=plan_id)
    regimen.set_waitlist_policy(hold_minutes=30, round_size=1, actor=ADMIN)
    late = NOW + timedelta(days=13)  # Sunday 15 March: Cora's next session is 6 days late
    friday = regimen.book_visit(
        visit_booking(story.clinic, "2026-03-20T10:00", client_id=story.clinic.other_client_id),
        actor=DESK,
        now=late,
    )
    regimen.cancel_visit(friday.id, reason="away", actor=DESK, now=late)

    story.wiring.offer_waitlist(late)

    assert regimen.slot_offer(offer_id(friday.id, 0)).round_entries == (cora,)
    story.wiring.offer_waitlist(late + timedelta(minutes=30))
    assert regimen.slot_offer(offer_id(friday.id, 0)).round_entries == (eve,)


def test_a_client_booked_elsewhere_at_the_freed_time_is_not_offered_it(
    regimen: Regimen, story: Story
) -> None:
    cora = wait(regimen, story.clinic.client_id, 60)  # waiting longest
    eve = wait(regimen, story.eve_id, 30)
    # Cora already comes at 10:30 that Wednesday, with Bo in Room B: Dan's 10:00 overlaps it.
    elsewhere = replace(
        visit_booking(story.clinic, "2026-03-04T10:30"),
        therapist_id=story.clinic.other_therapist_id,
        room_id=story.clinic.other_room_id,
    )
    regimen.book_visit(elsewhere, actor=DESK, now=NOW)
    offer = cancel_dans_visit(story, regimen)

    story.wiring.offer_waitlist(NOW)

    assert regimen.slot_offer(offer).round_entries == (eve,)
    assert [m.to for m in story.sender.sent] == ["eve@example.org"]
    assert regimen.waitlist_entry(cora).status is EntryStatus.WAITING
