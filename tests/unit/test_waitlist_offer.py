"""The offer of a freed time: rounds with a hold, one claim, lapses and closing."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.domain.errors import InvalidValue, RuleViolated
from service.domain.values import Actor, Role
from service.domain.waitlist import (
    EntryStatus,
    FreedSlot,
    NotOffered,
    OfferLapsed,
    OfferStatus,
    OfferTaken,
    SlotOffer,
    WaitlistEntry,
    WaitlistRequest,
    Window,
    offer_id,
)
from service.scheduler.recurrence import session_time

SYSTEM = Actor(user_id="scheduler", role=Role.SYSTEM)
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
HOLD = timedelta(minutes=30)
CORA, DAN, EVE = uuid4(), uuid4(), uuid4()


def offer() -> SlotOffer:
    """An offer of a freed hour on Wednesday 4 March, sent to no one yet."""
    slot = FreedSlot(
        holder_id=uuid4(),
        number=1,
        client_id=uuid4(),
        therapist_id=uuid4(),
        room_id=None,
        time=session_time(datetime(2026, 3, 4, 10), "Europe/London", 60),
    )
    return SlotOffer.open(slot, SYSTEM)


def test_the_offer_of_a_cancelled_session_has_one_id_whoever_makes_it() -> None:
    made = offer()
    assert made.id == offer_id(made.slot.holder_id, made.slot.number)
    assert made.id != offer_id(made.slot.holder_id, made.slot.number + 1)


def test_a_round_holds_the_time_for_its_clients_until_the_hold_runs_out() -> None:
    made = offer()
    made.send((CORA, DAN), hold=HOLD, now=NOW, actor=SYSTEM)
    assert (made.round, made.round_entries, made.hold_until) == (1, (CORA, DAN), NOW + HOLD)
    assert made.on_hold(NOW + HOLD - timedelta(seconds=1))
    assert not made.on_hold(NOW + HOLD)


def test_the_next_round_waits_for_the_hold_and_skips_those_offered_before() -> None:
    made = offer()
    made.send((CORA,), hold=HOLD, now=NOW, actor=SYSTEM)
    with pytest.raises(RuleViolated, match="hold"):
        made.send((DAN,), hold=HOLD, now=NOW + timedelta(minutes=5), actor=SYSTEM)
    with pytest.raises(RuleViolated, match="not offered the time before"):
        made.send((CORA,), hold=HOLD, now=NOW + HOLD, actor=SYSTEM)
    made.send((DAN,), hold=HOLD, now=NOW + HOLD, actor=SYSTEM)
    assert made.round == 2 and made.offered == (CORA, DAN)


def test_the_hold_never_runs_past_the_start_of_the_time() -> None:
    made = offer()
    just_before = made.slot.time.start - timedelta(minutes=10)
    made.send((CORA,), hold=HOLD, now=just_before, actor=SYSTEM)
    assert made.hold_until == made.slot.time.start


def test_the_first_claim_wins_and_every_later_one_is_told_it_is_taken() -> None:
    made = offer()
    made.send((CORA, DAN), hold=HOLD, now=NOW, actor=SYSTEM)
    made.claim(CORA, 1, booked_id=uuid4(), now=NOW + timedelta(minutes=1), actor=SYSTEM)
    assert (made.status, made.claimed_by) == (OfferStatus.CLAIMED, CORA)
    with pytest.raises(OfferTaken):
        made.claim(DAN, 1, booked_id=uuid4(), now=NOW + timedelta(minutes=2), actor=SYSTEM)


def test_a_claim_after_the_hold_or_from_an_earlier_round_has_lapsed() -> None:
    made = offer()
    made.send((CORA,), hold=HOLD, now=NOW, actor=SYSTEM)
    with pytest.raises(OfferLapsed):
        made.check_claim(CORA, 1, NOW + HOLD)
    made.send((DAN,), hold=HOLD, now=NOW + HOLD, actor=SYSTEM)
    with pytest.raises(OfferLapsed):
        made.check_claim(CORA, 1, NOW + HOLD + timedelta(minutes=1))
    made.check_claim(DAN, 2, NOW + HOLD + timedelta(minutes=1))


def test_a_client_never_offered_the_time_cannot_claim_it() -> None:
    made = offer()
    made.send((CORA,), hold=HOLD, now=NOW, actor=SYSTEM)
    with pytest.raises(NotOffered):
        made.check_claim(EVE, 1, NOW)


def test_a_closed_offer_is_neither_sent_nor_claimed() -> None:
    made = offer()
    made.send((CORA,), hold=HOLD, now=NOW, actor=SYSTEM)
    made.close(reason="no one else is waiting", actor=SYSTEM)
    with pytest.raises(OfferTaken):
        made.check_claim(CORA, 1, NOW)
    with pytest.raises(OfferTaken):
        made.send((DAN,), hold=HOLD, now=NOW + HOLD, actor=SYSTEM)


def test_an_entry_waits_until_it_leaves_or_is_booked_once() -> None:
    request = WaitlistRequest(
        client_id=CORA,
        therapist_id=None,
        windows=(Window(weekdays=(0,), start=time(9), end=time(12)),),
    )
    entry = WaitlistEntry(request, NOW, SYSTEM)
    entry.booked(offer_id=uuid4(), booked_id=uuid4(), actor=SYSTEM)
    assert entry.status is EntryStatus.BOOKED
    with pytest.raises(RuleViolated, match="no longer waiting"):
        entry.leave(reason="found another clinic", actor=SYSTEM)


@pytest.mark.parametrize(
    ("weekdays", "start", "end"),
    [((), time(9), time(10)), ((7,), time(9), time(10)), ((1,), time(10), time(10))],
)
def test_a_window_needs_real_weekdays_and_an_end_after_its_start(
    weekdays: tuple[int, ...], start: time, end: time
) -> None:
    with pytest.raises(InvalidValue):
        Window(weekdays=weekdays, start=start, end=end)


def test_a_lapse_is_recorded_once_per_round_and_only_after_its_hold() -> None:
    made = offer()
    made.send((CORA,), hold=HOLD, now=NOW, actor=SYSTEM)
    with pytest.raises(RuleViolated, match="no round"):
        made.lapse(now=NOW + timedelta(minutes=29), actor=SYSTEM)
    made.lapse(now=NOW + HOLD, actor=SYSTEM)
    assert made.lapsed_round == 1
    with pytest.raises(RuleViolated, match="no round"):
        made.lapse(now=NOW + HOLD, actor=SYSTEM)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["send", "claim", "lapse"]), st.integers(0, 45), st.integers(0, 5)
        ),
        max_size=25,
    )
)
def test_whatever_happens_an_offer_is_claimed_at_most_once_by_a_client_it_was_sent_to(
    steps: list[tuple[str, int, int]],
) -> None:
    made, clock, clients = offer(), NOW, [uuid4() for _ in range(6)]
    claims = 0
    for action, minutes, who in steps:
        clock += timedelta(minutes=minutes)
        try:
            if action == "send":
                made.send((clients[who],), hold=HOLD, now=clock, actor=SYSTEM)
            elif action == "lapse":
                made.lapse(now=clock, actor=SYSTEM)
            else:
                made.claim(clients[who], made.round, booked_id=uuid4(), now=clock, actor=SYSTEM)
                claims += 1
        except RuleViolated:
            pass
    assert claims <= 1
    assert (made.status is OfferStatus.CLAIMED) == (claims == 1)
    if made.claimed_by is not None:
        assert made.claimed_by in made.offered
    assert len(set(made.offered)) == len(made.offered) == made.round
