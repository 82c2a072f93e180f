"""Weekly hours that hold a session, and the one check every time-zone name passes."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from service.domain.errors import InvalidValue
from service.domain.values import DayHours, WeeklyHours
from service.domain.zones import require_zone

MONDAY = 9  # 9 March 2026 is a Monday: weekday 0
# Monday: 09:00-12:00 and 13:00-18:00 (a lunch break); Tuesday until the end of the day.
WITH_LUNCH = WeeklyHours(
    (
        DayHours(0, time(13), time(18)),
        DayHours(0, time(9), time(12)),
        DayHours(1, time(20), time.max),
        DayHours(2, time(0), time(6)),
    )
)


def monday(hour: int, minute: int = 0) -> datetime:
    """A local wall time on Monday 9 March 2026."""
    return datetime(2026, 3, MONDAY, hour, minute)


# --- WeeklyHours.covers ----------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (monday(10), monday(11)),
        (monday(9), monday(12)),  # exactly the morning
        (monday(13), monday(14)),
        (monday(17), monday(18)),  # ends at closing
    ],
)
def test_a_span_inside_one_interval_of_its_weekday_is_covered(
    start: datetime, end: datetime
) -> None:
    assert WITH_LUNCH.covers(start, end)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (monday(8, 30), monday(9, 30)),  # starts before opening
        (monday(11, 30), monday(12, 30)),  # runs into lunch
        (monday(12), monday(13)),  # during lunch
        (monday(11), monday(14)),  # spans the lunch break
        (monday(17, 30), monday(18, 30)),  # runs past closing
    ],
)
def test_a_span_not_held_by_one_interval_is_not_covered(start: datetime, end: datetime) -> None:
    assert not WITH_LUNCH.covers(start, end)


def test_hours_on_another_weekday_do_not_cover_a_span() -> None:
    sunday = datetime(2026, 3, 8, 10)

    assert not WITH_LUNCH.covers(sunday, sunday.replace(hour=11))


def test_a_span_crossing_midnight_is_not_covered_even_when_both_days_are_open() -> None:
    # Open Tuesday 20:00 to the end of the day and Wednesday 00:00-06:00.
    assert not WITH_LUNCH.covers(datetime(2026, 3, 10, 23), datetime(2026, 3, 11, 1))


def test_a_span_ending_at_midnight_is_covered_by_hours_to_the_end_of_the_day() -> None:
    assert WITH_LUNCH.covers(datetime(2026, 3, 10, 23), datetime(2026, 3, 11, 0))


def test_a_span_ending_at_midnight_is_not_covered_by_hours_ending_earlier() -> None:
    assert not WITH_LUNCH.covers(monday(17), datetime(2026, 3, 10, 0))


def test_a_span_of_more_than_a_day_is_never_covered() -> None:
    assert not WITH_LUNCH.covers(datetime(2026, 3, 10, 21), datetime(2026, 3, 12, 0))


def test_the_intervals_of_a_weekday_come_earliest_first() -> None:
    assert WITH_LUNCH.on(0) == (DayHours(0, time(9), time(12)), DayHours(0, time(13), time(18)))
    assert WITH_LUNCH.on(6) == ()


# --- require_zone ----------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["", " Europe/London", "Europe/London ", "../etc/passwd", "/etc/localtime", "Not/AZone"],
)
def test_a_name_that_is_not_an_iana_zone_is_refused(name: str) -> None:
    with pytest.raises(InvalidValue):
        require_zone(name)


@pytest.mark.parametrize("name", ["America/New_York", "Europe/London", "UTC"])
def test_an_iana_zone_name_is_accepted_and_gives_the_zone(name: str) -> None:
    assert require_zone(name) == ZoneInfo(name)


@pytest.mark.parametrize("name", ["Europe", "America"])
def test_a_region_without_a_city_is_refused(name: str) -> None:
    with pytest.raises(InvalidValue):
        require_zone(name)
