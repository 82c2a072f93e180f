"""A waitlist request repeats another when the same client would wait twice for the same."""

from __future__ import annotations

from datetime import date, time
from uuid import uuid4

from service.domain.visit import VisitKind
from service.domain.waitlist import WaitlistRequest, Window, waitlist_entry_id

CLIENT, ADA, BEN, PLAN = uuid4(), uuid4(), uuid4(), uuid4()
MONDAY_MORNING = Window(weekdays=(0,), start=time(9), end=time(12))
WAITING = WaitlistRequest(client_id=CLIENT, therapist_id=ADA, windows=(MONDAY_MORNING,))


def request(*windows: Window, **changes: object) -> WaitlistRequest:
    fields = {"client_id": CLIENT, "therapist_id": ADA, "windows": windows or (MONDAY_MORNING,)}
    return WaitlistRequest(**{**fields, **changes})  # type: ignore[arg-type]


def test_the_same_request_again_repeats_it() -> None:
    assert request().repeats(WAITING)


def test_times_that_overlap_on_a_shared_weekday_repeat_it() -> None:
    later = Window(weekdays=(0, 2), start=time(11), end=time(14))
    assert request(later).repeats(WAITING)


def test_times_that_only_touch_or_fall_on_other_days_do_not() -> None:
    afternoon = Window(weekdays=(0,), start=time(12), end=time(17))
    tuesday = Window(weekdays=(1,), start=time(9), end=time(12))
    assert not request(afternoon).repeats(WAITING)
    assert not request(tuesday).repeats(WAITING)


def test_another_therapist_or_any_therapist_is_another_wait() -> None:
    assert not request(therapist_id=BEN).repeats(WAITING)
    assert not request(therapist_id=None).repeats(WAITING)


def test_a_plans_next_session_and_a_visit_of_another_kind_are_other_waits() -> None:
    assert not request(plan_id=PLAN).repeats(WAITING)
    assert not request(visit_kind=VisitKind.ASSESSMENT).repeats(WAITING)
    assert request(plan_id=PLAN).repeats(request(plan_id=PLAN, visit_kind=VisitKind.ASSESSMENT))


def test_days_that_do_not_overlap_are_another_wait() -> None:
    march = request(first_day=date(2026, 3, 1), last_day=date(2026, 3, 31))
    april_on = request(first_day=date(2026, 4, 1))
    assert not april_on.repeats(march)
    assert not march.repeats(april_on)
    assert request(last_day=date(2026, 3, 1)).repeats(march)  # open start: overlaps


def test_another_clients_identical_request_is_theirs() -> None:
    assert not request(client_id=uuid4()).repeats(WAITING)


def test_a_new_entrys_id_follows_from_the_request_and_the_entries_before_it() -> None:
    before = [uuid4(), uuid4()]

    assert waitlist_entry_id(WAITING, before) == waitlist_entry_id(request(), reversed(before))
    assert waitlist_entry_id(WAITING, before) != waitlist_entry_id(WAITING, before[:1])
    assert waitlist_entry_id(WAITING, before) != waitlist_entry_id(
        request(therapist_id=BEN), before
    )
