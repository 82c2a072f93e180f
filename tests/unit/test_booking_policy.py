"""The booking policy: which times are free, and how a series meets its conflicts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.domain.errors import InvalidValue
from service.domain.values import Closure, DayHours, SessionTime, TimeOff, WeeklyHours
from service.scheduler.booking_policy import (
    Availability,
    Busy,
    Conflict,
    ConflictPolicy,
    ConflictReason,
    SeriesPlan,
    SeriesRequest,
    free_slots,
    plan_series,
    slot_conflicts,
)

LONDON = "Europe/London"
TZ = ZoneInfo(LONDON)
NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
FIRST = datetime(2026, 3, 16, 10)  # a Monday, two weeks before the clocks go forward
MON_TO_SAT_8_TO_20 = WeeklyHours(tuple(DayHours(day, time(8), time(20)) for day in range(6)))
WEEK = timedelta(weeks=1)


def at(local: datetime, minutes: int = 60) -> SessionTime:
    """A London session built with aware wall-clock arithmetic, not the code under test."""
    start = local.replace(tzinfo=TZ).astimezone(UTC)
    return SessionTime(start=start, zone=LONDON, local_start=local, minutes=minutes)


def clinic(**changes: Any) -> Availability:
    """A London clinic open Monday to Saturday 08:00-20:00, nothing else known."""
    return replace(Availability(LONDON, MON_TO_SAT_8_TO_20), **changes)


def weekly(policy: ConflictPolicy, **changes: Any) -> SeriesRequest:
    """Eight weekly sessions of an hour at 10:00 London from Monday 16 March 2026."""
    return replace(SeriesRequest(FIRST, LONDON, 7, 8, 60, policy), **changes)


def reasons(found: list[Conflict]) -> list[ConflictReason]:
    """Just the reasons of some conflicts."""
    return [conflict.reason for conflict in found]


def local_starts(plan: SeriesPlan) -> list[datetime]:
    """The local wall times of a plan's slots."""
    return [slot.time.local_start for slot in plan.slots]


def overlapping(first: SessionTime, second: SessionTime) -> bool:
    """Whether two sessions share any moment."""
    return first.start < second.end and second.start < first.end


# slot_conflicts


def test_a_slot_inside_every_timetable_has_no_conflicts() -> None:
    assert slot_conflicts(at(FIRST), clinic(), NOW) == []


def test_a_slot_before_now_is_in_the_past() -> None:
    assert reasons(slot_conflicts(at(datetime(2026, 2, 2, 10)), clinic(), NOW)) == [
        ConflictReason.PAST
    ]


def test_a_slot_starting_exactly_now_is_not_in_the_past() -> None:
    assert slot_conflicts(at(FIRST), clinic(), at(FIRST).start) == []


def test_a_slot_on_a_closure_day_names_the_closure() -> None:
    easter_monday = Closure(date(2026, 4, 6), date(2026, 4, 6), "Easter Monday")

    [conflict] = slot_conflicts(
        at(datetime(2026, 4, 6, 10)), clinic(closures=(easter_monday,)), NOW, occurrence=4
    )

    assert conflict.reason is ConflictReason.CLOSURE
    assert conflict.detail == "clinic closed: Easter Monday"
    assert (conflict.occurrence, conflict.local_start) == (4, datetime(2026, 4, 6, 10))


def test_a_closure_is_read_on_the_clinics_local_date_not_the_utc_date() -> None:
    canada_day = Closure(date(2026, 7, 1), date(2026, 7, 1), "staff day")
    always_open = clinic(opening_hours=WeeklyHours(), closures=(canada_day,))

    # 00:30 BST on 1 July is still 30 June in UTC.
    assert reasons(slot_conflicts(at(datetime(2026, 7, 1, 0, 30)), always_open, NOW)) == [
        ConflictReason.CLOSURE
    ]
    assert slot_conflicts(at(datetime(2026, 6, 30, 23, 0)), always_open, NOW) == []


def test_a_slot_running_past_closing_time_is_outside_opening_hours() -> None:
    [conflict] = slot_conflicts(at(datetime(2026, 3, 16, 19, 30)), clinic(), NOW)

    assert conflict.reason is ConflictReason.CLINIC_CLOSED
    assert "19:30–20:30" in conflict.detail
    assert "08:00–20:00" in conflict.detail


def test_a_slot_across_a_lunch_break_lists_both_opening_intervals() -> None:
    split = WeeklyHours((DayHours(0, time(13), time(18)), DayHours(0, time(8), time(12))))

    [conflict] = slot_conflicts(at(datetime(2026, 3, 16, 11, 30)), clinic(opening_hours=split), NOW)

    assert conflict.reason is ConflictReason.CLINIC_CLOSED
    assert conflict.detail.endswith("(open 08:00–12:00, 13:00–18:00)")


def test_a_slot_ending_at_closing_time_is_inside_opening_hours() -> None:
    assert slot_conflicts(at(datetime(2026, 3, 16, 19)), clinic(), NOW) == []


def test_a_slot_on_a_day_without_opening_hours_says_the_clinic_is_closed() -> None:
    [conflict] = slot_conflicts(at(datetime(2026, 3, 22, 10)), clinic(), NOW)

    assert conflict.reason is ConflictReason.CLINIC_CLOSED
    assert "Sunday" in conflict.detail


def test_opening_hours_are_read_in_the_clinics_wall_clock_across_dst() -> None:
    ten_to_eleven = WeeklyHours((DayHours(0, time(10), time(11)),))

    # 10:00 BST is 09:00 UTC: a check in UTC would call this closed.
    assert (
        slot_conflicts(at(datetime(2026, 6, 1, 10)), clinic(opening_hours=ten_to_eleven), NOW) == []
    )


def test_no_opening_hours_configured_means_always_open() -> None:
    sunday_night = at(datetime(2026, 3, 22, 3))

    assert slot_conflicts(sunday_night, clinic(opening_hours=WeeklyHours()), NOW) == []


def test_a_slot_outside_the_therapists_hours_is_off_hours() -> None:
    mornings = WeeklyHours(tuple(DayHours(day, time(8), time(12)) for day in range(5)))
    availability = clinic(therapist_hours=mornings)

    assert slot_conflicts(at(datetime(2026, 3, 16, 11)), availability, NOW) == []
    assert reasons(slot_conflicts(at(datetime(2026, 3, 16, 14)), availability, NOW)) == [
        ConflictReason.OFF_HOURS
    ]


def test_a_therapist_without_configured_hours_is_always_available() -> None:
    assert slot_conflicts(at(FIRST), clinic(therapist_hours=None), NOW) == []


def test_a_slot_overlapping_time_off_names_the_absence() -> None:
    course = TimeOff(at(FIRST).start + timedelta(minutes=30), at(FIRST).end + WEEK, "course")

    [conflict] = slot_conflicts(at(FIRST), clinic(time_off=(course,)), NOW)

    assert conflict.reason is ConflictReason.TIME_OFF
    assert "course" in conflict.detail


def test_time_off_ending_as_the_slot_starts_is_no_conflict() -> None:
    morning = TimeOff(at(FIRST).start - timedelta(hours=2), at(FIRST).start, "dentist")

    assert slot_conflicts(at(FIRST), clinic(time_off=(morning,)), NOW) == []


def test_a_slot_overlapping_a_booking_says_who_is_busy_and_when_in_local_time() -> None:
    other = at(datetime(2026, 6, 1, 10, 30))
    booked = Busy(other.start, other.end, "therapist booked (plan 1234 session 2)")

    [conflict] = slot_conflicts(at(datetime(2026, 6, 1, 10)), clinic(busy=(booked,)), NOW)

    assert conflict.reason is ConflictReason.BUSY
    assert conflict.detail == "therapist booked (plan 1234 session 2) 10:30–11:30"


def test_a_booking_ending_as_the_slot_starts_is_no_conflict() -> None:
    before = at(FIRST - timedelta(hours=1))
    booked = Busy(before.start, before.end, "room booked")

    assert slot_conflicts(at(FIRST), clinic(busy=(booked,)), NOW) == []


def test_every_reason_that_applies_is_listed() -> None:
    slot = at(datetime(2026, 2, 1, 21))  # a past Sunday evening
    availability = clinic(
        closures=(Closure(date(2026, 2, 1), date(2026, 2, 1), "flood"),),
        therapist_hours=WeeklyHours((DayHours(0, time(9), time(17)),)),
        time_off=(TimeOff(slot.start, slot.end, "ill"),),
        busy=(Busy(slot.start, slot.end, "room booked"),),
    )

    assert set(reasons(slot_conflicts(slot, availability, NOW))) == set(ConflictReason)


# plan_series: fail


def test_a_free_weekly_series_keeps_ten_oclock_local_and_is_bookable() -> None:
    plan = plan_series(weekly(ConflictPolicy.FAIL), clinic(), NOW)

    assert plan.bookable
    assert plan.conflicts == ()
    assert local_starts(plan) == [FIRST + n * WEEK for n in range(8)]
    assert [slot.time.start for slot in plan.slots] == [
        at(FIRST + n * WEEK).start for n in range(8)
    ]


def test_fail_lists_a_closure_on_the_third_occurrence_and_is_not_bookable() -> None:
    third = (FIRST + 2 * WEEK).date()
    availability = clinic(closures=(Closure(third, third, "staff training"),))

    plan = plan_series(weekly(ConflictPolicy.FAIL), availability, NOW)

    assert not plan.bookable
    assert [(c.occurrence, c.reason) for c in plan.conflicts] == [(3, ConflictReason.CLOSURE)]
    assert [slot.occurrence for slot in plan.slots] == list(range(1, 9))


def test_fail_lists_all_eight_conflicts_of_a_second_plan_at_the_same_weekly_time() -> None:
    # The first plan was booked with aware wall-clock arithmetic: 10:00 London each Monday.
    first_plan = [(FIRST.replace(tzinfo=TZ) + n * WEEK).astimezone(UTC) for n in range(8)]
    busy = tuple(
        Busy(start, start + timedelta(hours=1), f"therapist booked (plan 1 session {n})")
        for n, start in enumerate(first_plan, start=1)
    )

    plan = plan_series(weekly(ConflictPolicy.FAIL), clinic(busy=busy), NOW)

    assert not plan.bookable
    assert [(c.occurrence, c.reason) for c in plan.conflicts] == [
        (n, ConflictReason.BUSY) for n in range(1, 9)
    ]
    assert [c.detail for c in plan.conflicts] == [
        f"therapist booked (plan 1 session {n}) 10:00–11:00" for n in range(1, 9)
    ]


def test_fail_checks_the_sessions_of_the_series_against_each_other() -> None:
    # Daily sessions of 25 hours overlap the one before.
    request = weekly(ConflictPolicy.FAIL, interval_days=1, count=3, minutes=25 * 60)

    plan = plan_series(request, clinic(opening_hours=WeeklyHours()), NOW)

    assert [(c.occurrence, c.reason) for c in plan.conflicts] == [
        (2, ConflictReason.BUSY),
        (3, ConflictReason.BUSY),
    ]
    assert "this series, session 1" in plan.conflicts[0].detail


def test_fail_lists_a_series_started_in_the_past() -> None:
    now = at(FIRST + WEEK).start + timedelta(minutes=1)

    plan = plan_series(weekly(ConflictPolicy.FAIL, count=3), clinic(), now)

    assert [(c.occurrence, c.reason) for c in plan.conflicts] == [
        (1, ConflictReason.PAST),
        (2, ConflictReason.PAST),
    ]


# plan_series: skip


def test_skip_drops_the_closed_third_occurrence_and_ends_a_week_later() -> None:
    third = (FIRST + 2 * WEEK).date()
    availability = clinic(closures=(Closure(third, third, "staff training"),))
    unconflicted = plan_series(weekly(ConflictPolicy.SKIP), clinic(), NOW)

    plan = plan_series(weekly(ConflictPolicy.SKIP), availability, NOW)

    assert plan.bookable
    assert len(plan.slots) == 8
    assert [slot.occurrence for slot in plan.slots] == [1, 2, 4, 5, 6, 7, 8, 9]
    assert plan.slots[-1].time.local_start == unconflicted.slots[-1].time.local_start + WEEK
    assert plan.skipped == (3,)
    assert [(c.occurrence, c.reason) for c in plan.conflicts] == [(3, ConflictReason.CLOSURE)]


def test_skip_gives_up_after_ten_times_the_count_and_is_not_bookable() -> None:
    forever = Closure(date(2026, 1, 1), date(2030, 1, 1), "moved out")

    plan = plan_series(weekly(ConflictPolicy.SKIP, count=2), clinic(closures=(forever,)), NOW)

    assert not plan.bookable
    assert plan.slots == ()
    assert plan.missing == 2
    assert [c.occurrence for c in plan.conflicts] == list(range(1, 21))


# plan_series: shift


def test_shift_moves_only_the_closed_third_occurrence_to_the_next_day() -> None:
    third = FIRST + 2 * WEEK
    availability = clinic(closures=(Closure(third.date(), third.date(), "staff training"),))

    plan = plan_series(weekly(ConflictPolicy.SHIFT), availability, NOW)

    assert plan.bookable
    expected = [FIRST + n * WEEK for n in range(8)]
    expected[2] = third + timedelta(days=1)
    assert local_starts(plan) == expected
    assert [slot.occurrence for slot in plan.shifted] == [3]
    assert plan.shifted[0].requested_local_start == third
    assert [(c.occurrence, c.reason) for c in plan.conflicts] == [(3, ConflictReason.CLOSURE)]


def test_shift_takes_the_nearest_start_and_the_earlier_one_on_a_tie() -> None:
    taken = at(FIRST)
    availability = clinic(busy=(Busy(taken.start, taken.end, "therapist booked"),))

    plan = plan_series(weekly(ConflictPolicy.SHIFT, count=1), availability, NOW)

    # 09:00 and 11:00 are both an hour away from 10:00; the earlier wins.
    assert local_starts(plan) == [datetime(2026, 3, 16, 9)]


def test_shift_takes_a_later_start_when_it_is_nearer() -> None:
    taken = at(datetime(2026, 3, 16, 9, 30))
    availability = clinic(busy=(Busy(taken.start, taken.end, "room booked"),))

    plan = plan_series(weekly(ConflictPolicy.SHIFT, count=1), availability, NOW)

    assert local_starts(plan) == [datetime(2026, 3, 16, 10, 30)]


def test_shift_keeps_a_conflict_when_the_window_has_no_free_start() -> None:
    week_off = Closure(date(2026, 3, 16), date(2026, 3, 19), "refurbishment")

    plan = plan_series(weekly(ConflictPolicy.SHIFT, count=2), clinic(closures=(week_off,)), NOW)

    assert not plan.bookable
    assert plan.missing == 1
    assert [slot.occurrence for slot in plan.slots] == [2]
    assert plan.skipped == (1,)


def test_shift_counts_earlier_slots_of_the_series_as_busy() -> None:
    monday = FIRST.date()
    request = weekly(ConflictPolicy.SHIFT, interval_days=1, count=2)

    plan = plan_series(request, clinic(closures=(Closure(monday, monday, "inspection"),)), NOW)

    # Session 1 moves to Tuesday 10:00, so Tuesday's own session moves to 09:00.
    assert local_starts(plan) == [datetime(2026, 3, 17, 9), datetime(2026, 3, 17, 10)]
    assert [slot.occurrence for slot in plan.slots] == [2, 1]
    assert "this series, session 1" in plan.conflicts[-1].detail


def test_a_session_at_a_nonexistent_time_moves_forward_but_is_not_shifted() -> None:
    # London skips 01:00-02:00 on Sunday 29 March 2026.
    request = weekly(ConflictPolicy.SHIFT, first_local=datetime(2026, 3, 28, 1, 30))
    request = replace(request, interval_days=1, count=2)

    plan = plan_series(request, clinic(opening_hours=WeeklyHours()), NOW)

    assert local_starts(plan) == [datetime(2026, 3, 28, 1, 30), datetime(2026, 3, 29, 2, 30)]
    assert plan.shifted == ()


# Requests


@pytest.mark.parametrize(
    "changes",
    [
        {"count": 0},
        {"interval_days": 0},
        {"minutes": 0},
        {"step_minutes": 0},
        {"shift_window_days": -1},
        {"zone": "Nowhere/Special"},
        {"first_local": FIRST.replace(tzinfo=UTC)},
    ],
)
def test_a_malformed_request_is_a_value_error(changes: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        weekly(ConflictPolicy.FAIL, **changes)


# free_slots


def test_free_slots_are_the_grid_starts_inside_opening_hours_between_bookings() -> None:
    mornings = WeeklyHours((DayHours(0, time(9), time(12)),))
    taken = at(FIRST)
    availability = clinic(opening_hours=mornings, busy=(Busy(taken.start, taken.end, "x"),))

    found = free_slots(availability, FIRST.date(), FIRST.date(), 60, NOW, step_minutes=60)

    assert found == [at(datetime(2026, 3, 16, 9)), at(datetime(2026, 3, 16, 11))]


def test_free_slots_skip_closure_days_and_the_past() -> None:
    friday = date(2026, 3, 20)
    availability = clinic(closures=(Closure(friday, friday, "training"),))
    now = datetime(2026, 3, 19, 19, 30, tzinfo=UTC)

    found = free_slots(availability, date(2026, 3, 19), friday, 60, now, step_minutes=60)

    assert found == []


@pytest.mark.parametrize("day", [date(2026, 3, 29), date(2026, 10, 25), date(2026, 7, 1)])
def test_free_slots_offer_every_half_hour_the_local_day_really_has(day: date) -> None:
    midnight = datetime.combine(day, time()).replace(tzinfo=TZ).astimezone(UTC)
    next_day = datetime.combine(day + timedelta(days=1), time())
    half_hours_in_day = (next_day.replace(tzinfo=TZ).astimezone(UTC) - midnight) // timedelta(
        minutes=30
    )

    found = free_slots(clinic(opening_hours=WeeklyHours()), day, day, 60, NOW, step_minutes=30)

    # A repeated hour is offered twice, a skipped one never; in order of the instant.
    assert len(found) == half_hours_in_day
    assert [s.start for s in found] == sorted({s.start for s in found})


# Properties


week_indexes = st.sets(st.integers(min_value=0, max_value=39), max_size=40)


@settings(deadline=None)
@given(st.integers(min_value=1, max_value=4), week_indexes)
def test_skip_returns_exactly_count_slots_on_the_first_open_weeks(
    count: int, closed_weeks: set[int]
) -> None:
    closures = tuple(
        Closure((FIRST + n * WEEK).date(), (FIRST + n * WEEK).date(), f"week {n}")
        for n in closed_weeks
    )
    open_weeks = [n for n in range(count * 10) if n not in closed_weeks]

    plan = plan_series(weekly(ConflictPolicy.SKIP, count=count), clinic(closures=closures), NOW)

    expected = [FIRST + n * WEEK for n in open_weeks[:count]]
    assert local_starts(plan) == expected
    assert plan.bookable == (len(open_weeks) >= count)


busy_spans = st.lists(
    st.tuples(st.integers(min_value=0, max_value=60 * 24 * 30), st.integers(1, 240)), max_size=12
)


def as_busy(spans: list[tuple[int, int]]) -> tuple[Busy, ...]:
    """Bookings from (minutes after the first session, length in minutes)."""
    origin = at(FIRST).start - timedelta(days=2)
    return tuple(
        Busy(origin + timedelta(minutes=offset), origin + timedelta(minutes=offset + length), "x")
        for offset, length in spans
    )


@settings(deadline=None, max_examples=60)
@given(
    busy_spans,
    st.sampled_from([ConflictPolicy.SHIFT, ConflictPolicy.SKIP]),
    st.integers(min_value=1, max_value=3),
    st.sampled_from([30, 60, 90]),
)
def test_no_two_slots_overlap_and_each_is_free_of_the_known_bookings(
    spans: list[tuple[int, int]], policy: ConflictPolicy, interval_days: int, minutes: int
) -> None:
    availability = clinic(busy=as_busy(spans))
    request = weekly(policy, interval_days=interval_days, count=6, minutes=minutes)

    plan = plan_series(request, availability, NOW)

    starts = [slot.time.start for slot in plan.slots]
    assert starts == sorted(starts)
    for index, slot in enumerate(plan.slots):
        assert slot_conflicts(slot.time, availability, NOW) == []
        assert not any(overlapping(slot.time, other.time) for other in plan.slots[index + 1 :])


@settings(deadline=None)
@given(busy_spans)
def test_fail_lists_every_occurrence_that_meets_a_booking(spans: list[tuple[int, int]]) -> None:
    busy = as_busy(spans)
    sessions = [at(FIRST + n * WEEK) for n in range(8)]
    expected = [
        n
        for n, session in enumerate(sessions, start=1)
        for booked in busy
        if booked.start < session.end and session.start < booked.end
    ]

    plan = plan_series(weekly(ConflictPolicy.FAIL), clinic(busy=busy), NOW)

    assert [c.occurrence for c in plan.conflicts] == expected
    assert plan.bookable == (not expected)


@pytest.mark.parametrize("policy", list(ConflictPolicy))
def test_a_series_that_would_run_past_the_bookable_years_is_refused_whole(
    policy: ConflictPolicy,
) -> None:
    # Ten sessions a year apart from 2095 end in 2104, past the last bookable year.
    request = weekly(policy, first_local=datetime(2095, 3, 14, 10), interval_days=365, count=10)
    with pytest.raises(InvalidValue, match="the series would run into 2104"):
        plan_series(request, clinic(), NOW)


def test_a_series_that_ends_in_the_last_bookable_year_is_planned() -> None:
    request = weekly(ConflictPolicy.FAIL, first_local=datetime(2100, 3, 1, 10), count=4)
    assert len(plan_series(request, clinic(), NOW).slots) == 4
