"""Which waiting clients a freed time suits, and in what order it is offered."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID, uuid4

from hypothesis import given
from hypothesis import strategies as st

from service.domain.waitlist import FreedSlot, WaitlistRequest, Window
from service.domain.waitlist_ranking import (
    Candidate,
    days_behind_pace,
    matches,
    next_round,
    rank,
)
from service.scheduler.recurrence import session_time

ZONE = "Europe/London"
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
ADA, BEN = uuid4(), uuid4()
CANCELLER = uuid4()
MORNINGS = Window(weekdays=(0, 1, 2, 3, 4), start=time(9), end=time(12))
WEEKENDS = Window(weekdays=(5, 6), start=time(9), end=time(12))


def slot(local: str = "2026-03-04T10:00", minutes: int = 60, therapist: UUID = ADA) -> FreedSlot:
    """A freed Wednesday-morning hour of Ada's (the canceller was someone else)."""
    return FreedSlot(
        holder_id=uuid4(),
        number=2,
        client_id=CANCELLER,
        therapist_id=therapist,
        room_id=None,
        time=session_time(datetime.fromisoformat(local), ZONE, minutes),
    )


def waiting(
    joined_hours_ago: float = 1,
    *,
    therapist: UUID | None = None,
    windows: tuple[Window, ...] = (MORNINGS,),
    **fields: object,
) -> Candidate:
    """A candidate who joined some hours before NOW."""
    request_fields = {k: v for k, v in fields.items() if k in ("first_day", "last_day")}
    candidate_fields = {k: v for k, v in fields.items() if k not in request_fields}
    request = WaitlistRequest(
        client_id=candidate_fields.pop("client_id", uuid4()),  # type: ignore[arg-type]
        therapist_id=therapist,
        windows=windows,
        **request_fields,  # type: ignore[arg-type]
    )
    return Candidate(
        entry_id=uuid4(),
        request=request,
        joined_at=NOW - timedelta(hours=joined_hours_ago),
        **candidate_fields,  # type: ignore[arg-type]
    )


def test_a_time_inside_a_window_with_any_therapist_matches() -> None:
    assert matches(waiting(), slot(), NOW)


def test_a_time_partly_outside_every_window_does_not_match() -> None:
    assert not matches(waiting(), slot("2026-03-04T11:30"), NOW)


def test_a_weekday_outside_the_window_does_not_match() -> None:
    assert not matches(waiting(), slot("2026-03-07T10:00"), NOW)  # a Saturday


def test_another_therapist_than_the_one_asked_for_does_not_match() -> None:
    assert matches(waiting(therapist=ADA), slot(therapist=ADA), NOW)
    assert not matches(waiting(therapist=BEN), slot(therapist=ADA), NOW)


def test_the_client_who_freed_the_time_is_not_offered_it() -> None:
    assert not matches(waiting(client_id=CANCELLER), slot(), NOW)


def test_a_time_outside_the_date_range_does_not_match() -> None:
    assert not matches(waiting(first_day=date(2026, 3, 5)), slot(), NOW)
    assert not matches(waiting(last_day=date(2026, 3, 3)), slot(), NOW)
    assert matches(waiting(first_day=date(2026, 3, 4), last_day=date(2026, 3, 4)), slot(), NOW)


def test_a_plan_session_longer_than_the_freed_time_does_not_match() -> None:
    assert not matches(waiting(session_minutes=90), slot(minutes=60), NOW)
    assert matches(waiting(session_minutes=45), slot(minutes=60), NOW)


def test_a_plan_that_cannot_take_another_session_does_not_match() -> None:
    assert not matches(waiting(bookable=False), slot(), NOW)


def test_a_time_already_begun_does_not_match() -> None:
    later = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
    assert not matches(waiting(), slot(), later)


def test_plans_behind_their_pace_come_before_longer_waits() -> None:
    patient = waiting(joined_hours_ago=100)
    behind = waiting(joined_hours_ago=1, days_behind=3)
    further_behind = waiting(joined_hours_ago=2, days_behind=9)
    assert rank([patient, behind, further_behind], slot(), NOW) == [
        further_behind,
        behind,
        patient,
    ]


def test_among_clients_on_pace_the_longest_waiting_comes_first() -> None:
    first, second = waiting(joined_hours_ago=5), waiting(joined_hours_ago=2)
    assert rank([second, first], slot(), NOW) == [first, second]


def test_a_round_skips_entries_offered_before_and_a_clients_second_entry() -> None:
    client = uuid4()
    one, twin, other, last = (
        waiting(4, client_id=client),
        waiting(3, client_id=client),
        waiting(2),
        waiting(1),
    )
    ranked = rank([one, twin, other, last], slot(), NOW)
    assert next_round(ranked, [], 2) == (one.entry_id, other.entry_id)
    assert next_round(ranked, [one.entry_id, other.entry_id], 2) == (twin.entry_id, last.entry_id)


def test_pace_is_the_days_the_next_session_falls_after_the_interval() -> None:
    performed = [date(2026, 2, 2), date(2026, 2, 9)]
    assert days_behind_pace(7, performed, date(2026, 2, 16), date(2026, 2, 10)) == 0
    assert days_behind_pace(7, performed, date(2026, 2, 20), date(2026, 2, 10)) == 4
    assert days_behind_pace(7, performed, None, date(2026, 2, 26)) == 10
    assert days_behind_pace(7, [], None, date(2026, 2, 26)) == 0


@given(
    st.lists(
        st.tuples(st.integers(0, 1000), st.integers(0, 30), st.booleans()), min_size=1, max_size=12
    )
)
def test_the_ranking_is_ordered_and_holds_only_matching_clients(
    specs: list[tuple[int, int, bool]],
) -> None:
    candidates = [
        waiting(hours, days_behind=behind, windows=(MORNINGS if fits else WEEKENDS,))
        for hours, behind, fits in specs
    ]
    ranked = rank(candidates, slot(), NOW)
    fitting = [c for c, (_, _, fits) in zip(candidates, specs, strict=True) if fits]
    assert {c.entry_id for c in ranked} == {c.entry_id for c in fitting}
    keys = [(-c.days_behind, c.joined_at) for c in ranked]
    assert keys == sorted(keys)
