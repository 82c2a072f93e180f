"""CalendarDay: one therapist's or room's bookings on one UTC day, never overlapping."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import pytest

from service.domain.calendar import CalendarDay, Reservation, Resource, days_touched
from service.domain.errors import SlotTaken
from service.domain.values import Actor, Role

DESK = Actor(user_id="d", role=Role.FRONT_DESK)
THERAPIST_ID = UUID("00000000-0000-4000-8000-0000000000aa")
DAY = date(2026, 3, 9)
PLAN, OTHER_PLAN = uuid4(), uuid4()


def utc(*parts: int) -> datetime:
    """An aware UTC instant."""
    return datetime(*parts, tzinfo=UTC)


def ten_to_eleven() -> CalendarDay:
    """A therapist's day with session 1 of PLAN held 10:00-11:00 UTC."""
    day = CalendarDay(Resource.THERAPIST, THERAPIST_ID, DAY, DESK)
    day.reserve(
        plan_id=PLAN, number=1, start=utc(2026, 3, 9, 10), end=utc(2026, 3, 9, 11), actor=DESK
    )
    day.collect_events()
    return day


# --- reserve ---------------------------------------------------------------


def test_reserving_holds_the_span_for_the_session() -> None:
    day = CalendarDay(Resource.ROOM, uuid4(), DAY, DESK)
    day.collect_events()

    day.reserve(
        plan_id=PLAN, number=2, start=utc(2026, 3, 9, 9), end=utc(2026, 3, 9, 10), actor=DESK
    )

    assert day.reservations == [Reservation(PLAN, 2, utc(2026, 3, 9, 9), utc(2026, 3, 9, 10))]
    (reserved,) = day.collect_events()
    assert type(reserved).__name__ == "SlotReserved"
    assert reserved.actor == DESK


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (utc(2026, 3, 9, 10), utc(2026, 3, 9, 11)),  # the same span
        (utc(2026, 3, 9, 9, 30), utc(2026, 3, 9, 10, 1)),  # overlaps the start
        (utc(2026, 3, 9, 10, 59), utc(2026, 3, 9, 12)),  # overlaps the end
        (utc(2026, 3, 9, 10, 15), utc(2026, 3, 9, 10, 45)),  # inside
        (utc(2026, 3, 9, 9), utc(2026, 3, 9, 12)),  # around
    ],
)
def test_an_overlapping_span_of_another_session_is_taken(start: datetime, end: datetime) -> None:
    day = ten_to_eleven()

    with pytest.raises(SlotTaken):
        day.reserve(plan_id=OTHER_PLAN, number=1, start=start, end=end, actor=DESK)
    assert day.collect_events() == []


def test_another_session_of_the_same_plan_cannot_overlap_either() -> None:
    with pytest.raises(SlotTaken):
        ten_to_eleven().reserve(
            plan_id=PLAN, number=2, start=utc(2026, 3, 9, 10), end=utc(2026, 3, 9, 11), actor=DESK
        )


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (utc(2026, 3, 9, 9), utc(2026, 3, 9, 10)),  # ends as the held one starts
        (utc(2026, 3, 9, 11), utc(2026, 3, 9, 12)),  # starts as the held one ends
    ],
)
def test_touching_spans_do_not_overlap(start: datetime, end: datetime) -> None:
    day = ten_to_eleven()

    day.reserve(plan_id=OTHER_PLAN, number=1, start=start, end=end, actor=DESK)

    assert len(day.reservations) == 2


def test_the_same_session_may_reserve_its_span_again() -> None:
    day = ten_to_eleven()

    day.reserve(
        plan_id=PLAN,
        number=1,
        start=utc(2026, 3, 9, 10, 30),
        end=utc(2026, 3, 9, 11, 30),
        actor=DESK,
    )

    assert (
        Reservation(PLAN, 1, utc(2026, 3, 9, 10, 30), utc(2026, 3, 9, 11, 30)) in day.reservations
    )


def test_reserving_a_session_again_replaces_its_earlier_span() -> None:
    day = ten_to_eleven()
    day.reserve(
        plan_id=PLAN, number=1, start=utc(2026, 3, 9, 14), end=utc(2026, 3, 9, 15), actor=DESK
    )

    assert day.reservations == [Reservation(PLAN, 1, utc(2026, 3, 9, 14), utc(2026, 3, 9, 15))]
    day.reserve(  # the earlier span is free for another session
        plan_id=OTHER_PLAN, number=1, start=utc(2026, 3, 9, 10), end=utc(2026, 3, 9, 11), actor=DESK
    )


# --- release ---------------------------------------------------------------


def test_releasing_frees_the_span_for_another_session() -> None:
    day = ten_to_eleven()

    day.release(plan_id=PLAN, number=1, actor=DESK)
    day.reserve(
        plan_id=OTHER_PLAN, number=1, start=utc(2026, 3, 9, 10), end=utc(2026, 3, 9, 11), actor=DESK
    )

    assert [r.plan_id for r in day.reservations] == [OTHER_PLAN]
    assert [type(e).__name__ for e in day.collect_events()] == ["SlotReleased", "SlotReserved"]


def test_releasing_one_session_keeps_the_others() -> None:
    day = ten_to_eleven()
    day.reserve(
        plan_id=PLAN, number=2, start=utc(2026, 3, 9, 12), end=utc(2026, 3, 9, 13), actor=DESK
    )

    day.release(plan_id=PLAN, number=1, actor=DESK)

    assert [r.number for r in day.reservations] == [2]


def test_releasing_an_unknown_reservation_changes_nothing_and_emits_no_event() -> None:
    day = ten_to_eleven()

    day.release(plan_id=OTHER_PLAN, number=1, actor=DESK)
    day.release(plan_id=PLAN, number=2, actor=DESK)

    assert len(day.reservations) == 1
    assert day.collect_events() == []


# --- days touched and ids --------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (utc(2026, 3, 9, 10), utc(2026, 3, 9, 11), [date(2026, 3, 9)]),
        (utc(2026, 3, 9, 23, 30), utc(2026, 3, 10, 0, 30), [date(2026, 3, 9), date(2026, 3, 10)]),
        (utc(2026, 3, 9, 23), utc(2026, 3, 10, 0), [date(2026, 3, 9)]),  # ends at midnight
        (utc(2026, 3, 10, 0), utc(2026, 3, 10, 1), [date(2026, 3, 10)]),  # starts at midnight
        (
            utc(2026, 2, 28, 22),
            utc(2026, 3, 2, 2),
            [date(2026, 2, 28), date(2026, 3, 1), date(2026, 3, 2)],
        ),
    ],
)
def test_days_touched_are_the_utc_dates_the_span_covers(
    start: datetime, end: datetime, days: list[date]
) -> None:
    assert days_touched(start, end) == days


def test_a_day_id_is_a_name_based_uuid_equal_for_equal_resource_and_date() -> None:
    first = CalendarDay.create_id(Resource.THERAPIST, THERAPIST_ID, DAY)
    again = CalendarDay.create_id(
        Resource("therapist"), UUID(str(THERAPIST_ID)), date.fromisoformat("2026-03-09")
    )

    assert again == first
    assert first.version == 5


def test_an_opened_day_has_the_id_every_process_computes() -> None:
    day = CalendarDay(Resource.ROOM, THERAPIST_ID, DAY, DESK)

    assert day.id == CalendarDay.create_id(Resource.ROOM, THERAPIST_ID, DAY)


@pytest.mark.parametrize(
    ("resource", "resource_id", "day"),
    [
        (Resource.ROOM, THERAPIST_ID, DAY),
        (Resource.THERAPIST, uuid4(), DAY),
        (Resource.THERAPIST, THERAPIST_ID, date(2026, 3, 10)),
    ],
)
def test_a_day_id_differs_by_resource_kind_id_and_date(
    resource: Resource, resource_id: UUID, day: date
) -> None:
    assert CalendarDay.create_id(resource, resource_id, day) != CalendarDay.create_id(
        Resource.THERAPIST, THERAPIST_ID, DAY
    )


def test_an_opened_day_records_its_resource_and_date() -> None:
    day = CalendarDay(Resource.THERAPIST, THERAPIST_ID, DAY, DESK)

    assert (day.resource, day.resource_id, day.day, day.reservations) == (
        Resource.THERAPIST,
        THERAPIST_ID,
        DAY,
        [],
    )


def test_a_day_opened_directly_is_the_day_the_library_would_open() -> None:
    """`CalendarDay.opened` (the library's _create, id given) makes the same aggregate and
    the same event as calling the class."""
    resource_id, day = uuid4(), date(2030, 3, 4)
    called = CalendarDay(Resource.ROOM, resource_id, day, DESK)
    opened = CalendarDay.opened(Resource.ROOM, resource_id, day, DESK)
    (by_call,), (by_open,) = called.collect_events(), opened.collect_events()

    assert type(by_open) is type(by_call) is CalendarDay.CalendarDayOpened
    assert {**vars(by_open), "timestamp": None} == {**vars(by_call), "timestamp": None}
    state = {"_created_on", "_modified_on"}
    assert {k: v for k, v in vars(opened).items() if k not in state} == {
        k: v for k, v in vars(called).items() if k not in state
    }
    assert opened.id == CalendarDay.create_id(Resource.ROOM, resource_id, day)
