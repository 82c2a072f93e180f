"""Set-up aggregates: the clinic, its therapists and rooms."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from service.domain.clinic import Clinic, ClinicSettings
from service.domain.errors import InvalidValue
from service.domain.staff import Room, Therapist
from service.domain.values import Actor, Closure, DayHours, Role, TimeOff, WeeklyHours

ADMIN = Actor(user_id="a", role=Role.ADMIN)
DESK = Actor(user_id="d", role=Role.FRONT_DESK)
WEEKDAYS_9_TO_5 = WeeklyHours(tuple(DayHours(d, time(9), time(17)) for d in range(5)))


def configure(clinic: Clinic, **overrides: Any) -> None:
    """Configure the clinic as a London clinic, with overrides."""
    settings: dict[str, Any] = {
        "name": "Calm Hands",
        "zone": "Europe/London",
        "opening_hours": WEEKDAYS_9_TO_5,
        "cancellation_window_hours": 24,
        "late_cancel_counts": True,
    }
    settings.update(overrides)
    clinic.configure(ClinicSettings(**settings), ADMIN)


def hours(*intervals: tuple[int, time, time]) -> WeeklyHours:
    """Weekly hours from (weekday, start, end) triples."""
    return WeeklyHours(tuple(DayHours(*interval) for interval in intervals))


# --- clinic ----------------------------------------------------------------


def test_a_new_clinic_has_safe_defaults_and_the_one_clinic_id() -> None:
    clinic = Clinic(ADMIN)

    assert (clinic.zone, clinic.cancellation_window, clinic.late_cancel_counts) == (
        "UTC",
        timedelta(hours=24),
        False,
    )
    assert clinic.closures == []
    assert clinic.id == Clinic.create_id() == Clinic(ADMIN).id


def test_configuring_sets_the_zone_hours_and_late_cancel_policy() -> None:
    clinic = Clinic(ADMIN)
    clinic.collect_events()

    configure(clinic, cancellation_window_hours=48, late_cancel_counts=False)

    assert (clinic.name, clinic.zone, clinic.opening_hours) == (
        "Calm Hands",
        "Europe/London",
        WEEKDAYS_9_TO_5,
    )
    assert clinic.cancellation_window == timedelta(days=2)
    assert clinic.late_cancel_counts is False
    assert [(type(e).__name__, e.actor) for e in clinic.collect_events()] == [
        ("ClinicConfigured", ADMIN)
    ]


@pytest.mark.parametrize(
    "bad",
    [
        {"zone": "Not/AZone"},
        {"name": " "},
        {"opening_hours": hours((0, time(17), time(9)))},
        {"opening_hours": hours((0, time(9), time(9)))},
        {"opening_hours": hours((7, time(9), time(17)))},
        {"opening_hours": hours((-1, time(9), time(17)))},
        {"cancellation_window_hours": -1},
        {"cancellation_window_hours": 24 * 14 + 1},
    ],
    ids=[
        "unknown zone",
        "blank name",
        "hours end before start",
        "hours end as they start",
        "weekday 7",
        "weekday -1",
        "negative window",
        "window over two weeks",
    ],
)
def test_an_invalid_configuration_is_refused_and_changes_nothing(bad: dict[str, Any]) -> None:
    clinic = Clinic(ADMIN)
    clinic.collect_events()

    with pytest.raises(InvalidValue):
        configure(clinic, **bad)
    assert clinic.collect_events() == []
    assert clinic.zone == "UTC"


@pytest.mark.parametrize("window", [0, 24 * 14])
def test_a_cancellation_window_from_none_to_two_weeks_is_accepted(window: int) -> None:
    clinic = Clinic(ADMIN)

    configure(clinic, cancellation_window_hours=window)

    assert clinic.cancellation_window == timedelta(hours=window)


def test_weekdays_0_and_6_are_monday_and_sunday_and_both_accepted() -> None:
    clinic = Clinic(ADMIN)
    weekend_too = hours((0, time(9), time(17)), (6, time(10), time(14)))

    configure(clinic, opening_hours=weekend_too)

    assert clinic.opening_hours.on(6) == (DayHours(6, time(10), time(14)),)


def test_closing_adds_the_closure() -> None:
    clinic = Clinic(ADMIN)
    christmas = Closure(date(2026, 12, 24), date(2026, 12, 26), "Christmas")

    clinic.close(christmas, ADMIN)
    clinic.close(Closure(date(2027, 1, 1), date(2027, 1, 1), "New Year"), ADMIN)

    assert clinic.closures == [christmas, Closure(date(2027, 1, 1), date(2027, 1, 1), "New Year")]


@pytest.mark.parametrize(
    "bad",
    [
        Closure(date(2026, 12, 26), date(2026, 12, 24), "Christmas"),
        Closure(date(2026, 12, 24), date(2026, 12, 26), ""),
    ],
    ids=["last day before first", "no reason"],
)
def test_an_invalid_closure_is_refused(bad: Closure) -> None:
    clinic = Clinic(ADMIN)

    with pytest.raises(InvalidValue):
        clinic.close(bad, ADMIN)
    assert clinic.closures == []


def test_a_closure_includes_its_first_and_last_days_only() -> None:
    closure = Closure(date(2026, 12, 24), date(2026, 12, 26), "Christmas")

    assert [closure.includes(date(2026, 12, d)) for d in (23, 24, 25, 26, 27)] == [
        False,
        True,
        True,
        True,
        False,
    ]


# --- therapist and room ----------------------------------------------------


def test_a_registered_therapist_has_no_hours_or_time_off_yet() -> None:
    therapist = Therapist.register(
        name="Ada", email="ada@example.org", modalities=("swedish",), actor=ADMIN
    )

    assert (therapist.working_hours, therapist.time_off, therapist.modalities) == (
        None,
        [],
        ["swedish"],
    )


def test_a_therapist_needs_a_name() -> None:
    with pytest.raises(InvalidValue):
        Therapist.register(name="", email="", modalities=(), actor=ADMIN)


def test_setting_working_hours_replaces_them() -> None:
    therapist = Therapist.register(name="Ada", email="", modalities=(), actor=ADMIN)
    therapist.set_working_hours(WEEKDAYS_9_TO_5, ADMIN)
    mornings = hours((1, time(8), time(12)))

    therapist.set_working_hours(mornings, ADMIN)

    assert therapist.working_hours == mornings


def test_working_hours_that_end_before_they_start_are_refused() -> None:
    therapist = Therapist.register(name="Ada", email="", modalities=(), actor=ADMIN)

    with pytest.raises(InvalidValue):
        therapist.set_working_hours(hours((2, time(18), time(8))), ADMIN)
    assert therapist.working_hours is None


def test_working_hours_with_an_offset_are_refused() -> None:
    therapist = Therapist.register(name="Ada", email="", modalities=(), actor=ADMIN)

    with pytest.raises(InvalidValue, match="offset"):
        therapist.set_working_hours(hours((2, time(9, tzinfo=UTC), time(17))), ADMIN)
    assert therapist.working_hours is None


@pytest.mark.parametrize("name", ["Calm\r\nHands", "Calm\x00Hands", "\ud800"])
def test_a_clinic_name_that_is_not_one_line_of_text_is_refused(name: str) -> None:
    with pytest.raises(InvalidValue, match="name"):
        configure(Clinic(actor=ADMIN), name=name)


def _away(start: datetime, end: datetime, reason: str = "holiday") -> TimeOff:
    return TimeOff(start=start, end=end, reason=reason)


def test_time_off_is_recorded_in_the_order_taken() -> None:
    therapist = Therapist.register(name="Ada", email="", modalities=(), actor=ADMIN)
    later = _away(datetime(2026, 8, 1, tzinfo=UTC), datetime(2026, 8, 15, tzinfo=UTC))
    sooner = _away(datetime(2026, 4, 1, tzinfo=UTC), datetime(2026, 4, 2, tzinfo=UTC), "course")

    therapist.take_time_off(later, ADMIN)
    therapist.take_time_off(sooner, ADMIN)

    assert therapist.time_off == [later, sooner]


@pytest.mark.parametrize(
    "bad",
    [
        _away(datetime(2026, 4, 2, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)),
        _away(datetime(2026, 4, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)),
        _away(datetime(2026, 4, 1, tzinfo=UTC), datetime(2026, 4, 2, tzinfo=UTC), " "),
    ],
    ids=["ends before it starts", "ends as it starts", "no reason"],
)
def test_invalid_time_off_is_refused(bad: TimeOff) -> None:
    therapist = Therapist.register(name="Ada", email="", modalities=(), actor=ADMIN)

    with pytest.raises(InvalidValue):
        therapist.take_time_off(bad, ADMIN)
    assert therapist.time_off == []


def test_time_off_overlaps_a_span_it_shares_time_with_but_not_one_it_touches() -> None:
    away = _away(datetime(2026, 4, 1, 9, tzinfo=UTC), datetime(2026, 4, 1, 12, tzinfo=UTC))

    assert away.overlaps(datetime(2026, 4, 1, 11, tzinfo=UTC), datetime(2026, 4, 1, 13, tzinfo=UTC))
    assert not away.overlaps(
        datetime(2026, 4, 1, 12, tzinfo=UTC), datetime(2026, 4, 1, 13, tzinfo=UTC)
    )


def test_a_room_needs_a_name() -> None:
    assert Room.add(name="Room A", actor=ADMIN).name == "Room A"
    with pytest.raises(InvalidValue):
        Room.add(name=" ", actor=ADMIN)
