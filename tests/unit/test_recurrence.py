"""Wall-clock recurrence across DST: local times in a zone to UTC instants and back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import islice, pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.scheduler.recurrence import (
    local_instants,
    series_local_starts,
    session_time,
    to_instant,
    to_local,
)

LONDON = "Europe/London"
NEW_YORK = "America/New_York"
ZONES = (
    LONDON,
    NEW_YORK,
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "America/Santiago",
    "Pacific/Auckland",
    "Asia/Kathmandu",
    "UTC",
)


def utc(*parts: int) -> datetime:
    """An aware UTC instant."""
    return datetime(*parts, tzinfo=UTC)


def weekly(first: datetime, count: int) -> list[datetime]:
    """The first count local starts of a weekly series."""
    return list(islice(series_local_starts(first, 7), count))


WEEK = timedelta(weeks=1)
HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    ("zone", "first", "instants", "gaps"),
    [
        pytest.param(
            LONDON,
            datetime(2026, 3, 16, 10),
            # GMT (UTC+0) until 29 March 2026, BST (UTC+1) after.
            [utc(2026, 3, 16 + 7 * n, 10) for n in range(2)]
            + [utc(2026, 3, 30, 9)]
            + [utc(2026, 4, 6 + 7 * n, 9) for n in range(4)]
            + [utc(2026, 5, 4, 9)],
            [WEEK, WEEK - HOUR, WEEK, WEEK, WEEK, WEEK, WEEK],
            id="london-spring",
        ),
        pytest.param(
            NEW_YORK,
            datetime(2026, 10, 19, 10),
            # EDT (UTC-4) until 1 November 2026, EST (UTC-5) after.
            [utc(2026, 10, 19 + 7 * n, 14) for n in range(2)]
            + [utc(2026, 11, 2 + 7 * n, 15) for n in range(5)]
            + [utc(2026, 12, 7, 15)],
            [WEEK, WEEK + HOUR, WEEK, WEEK, WEEK, WEEK, WEEK],
            id="new-york-november",
        ),
    ],
)
def test_a_weekly_series_stays_at_ten_local_and_its_instants_shift_by_the_clock_change(
    zone: str, first: datetime, instants: list[datetime], gaps: list[timedelta]
) -> None:
    sessions = [session_time(local, zone, 60) for local in weekly(first, 8)]

    assert [s.local_start for s in sessions] == [first + n * WEEK for n in range(8)]
    assert {s.local_start.time() for s in sessions} == {datetime(2026, 1, 1, 10).time()}
    assert [s.start for s in sessions] == instants
    assert [later.start - earlier.start for earlier, later in pairwise(sessions)] == gaps


@pytest.mark.parametrize(
    ("zone", "local", "instant"),
    [
        # London skips 01:00-02:00 on 29 March 2026: 01:30 GMT never shows, 02:30 BST does.
        pytest.param(LONDON, datetime(2026, 3, 29, 1, 30), utc(2026, 3, 29, 1, 30), id="london"),
        # New York skips 02:00-03:00 on 8 March 2026: 02:30 becomes 03:30 EDT.
        pytest.param(NEW_YORK, datetime(2026, 3, 8, 2, 30), utc(2026, 3, 8, 7, 30), id="new-york"),
    ],
)
def test_a_nonexistent_time_resolves_forward_by_the_gap(
    zone: str, local: datetime, instant: datetime
) -> None:
    assert to_instant(local, zone) == instant


def test_a_session_at_a_nonexistent_time_starts_at_the_resolved_wall_time() -> None:
    session = session_time(datetime(2026, 3, 8, 2, 30), NEW_YORK, 45)

    assert session.local_start == datetime(2026, 3, 8, 3, 30)
    assert session.start == utc(2026, 3, 8, 7, 30)
    assert session.end == utc(2026, 3, 8, 8, 15)
    assert (session.zone, session.minutes) == (NEW_YORK, 45)


@pytest.mark.parametrize(
    ("zone", "local", "instant"),
    [
        # 01:30 shows twice on 25 October 2026: first in BST (00:30 UTC), then in GMT.
        pytest.param(LONDON, datetime(2026, 10, 25, 1, 30), utc(2026, 10, 25, 0, 30), id="london"),
        # 01:30 shows twice on 1 November 2026: first in EDT (05:30 UTC), then in EST.
        pytest.param(
            NEW_YORK, datetime(2026, 11, 1, 1, 30), utc(2026, 11, 1, 5, 30), id="new-york"
        ),
    ],
)
def test_an_ambiguous_time_takes_the_first_occurrence(
    zone: str, local: datetime, instant: datetime
) -> None:
    assert to_instant(local, zone) == instant


def test_an_ordinary_time_converts_with_the_offset_of_the_day() -> None:
    instant = to_instant(datetime(2026, 7, 1, 12), LONDON)

    assert instant == utc(2026, 7, 1, 11)
    assert instant.utcoffset() == timedelta(0)


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "../etc/passwd", "Europe/"])
def test_an_unknown_zone_is_a_value_error_naming_it(zone: str) -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        to_instant(datetime(2026, 3, 16, 10), zone)


def test_an_aware_local_time_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        to_instant(datetime(2026, 3, 16, 10, tzinfo=UTC), LONDON)


def test_a_naive_instant_is_refused_when_reading_the_wall_clock() -> None:
    with pytest.raises(ValueError, match="aware"):
        to_local(datetime(2026, 3, 16, 10), LONDON)


def test_a_session_of_no_minutes_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one minute"):
        session_time(datetime(2026, 3, 16, 10), LONDON, 0)


def test_a_gap_time_has_no_instant_and_a_repeated_one_has_two() -> None:
    assert local_instants(datetime(2026, 3, 29, 1, 30), LONDON) == ()
    assert local_instants(datetime(2026, 10, 25, 1, 30), LONDON) == (
        utc(2026, 10, 25, 0, 30),
        utc(2026, 10, 25, 1, 30),
    )
    assert local_instants(datetime(2026, 7, 1, 12), LONDON) == (utc(2026, 7, 1, 11),)


def test_a_series_goes_on_for_ever_by_whole_days_of_wall_clock() -> None:
    starts = list(islice(series_local_starts(datetime(2026, 3, 16, 10), 10), 1000))

    assert len(starts) == 1000
    assert starts[-1] == datetime(2026, 3, 16, 10) + timedelta(days=9990)


def test_a_series_needs_a_positive_interval_before_it_is_walked() -> None:
    with pytest.raises(ValueError, match="every day"):
        series_local_starts(datetime(2026, 3, 16, 10), 0)


# Property tests: a reference built only on UTC -> local conversion (never on fold).


def _offsets_near(local: datetime, tz: ZoneInfo) -> set[timedelta]:
    """Every UTC offset the zone uses within two days of a wall time."""
    around = local.replace(tzinfo=UTC)
    return {
        (around + timedelta(hours=hours)).astimezone(tz).utcoffset() or timedelta(0)
        for hours in range(-48, 49)
    }


def reference_instants(local: datetime, zone: str) -> list[datetime]:
    """Every instant whose wall clock in the zone shows local, found by trying each offset."""
    tz = ZoneInfo(zone)
    candidates = {(local - offset).replace(tzinfo=UTC) for offset in _offsets_near(local, tz)}
    return sorted(c for c in candidates if c.astimezone(tz).replace(tzinfo=None) == local)


def _transitions(zone: str, year: int) -> list[datetime]:
    """The naive local wall times just after each offset change of a year."""
    tz = ZoneInfo(zone)
    hour = timedelta(hours=1)
    instants = [datetime(year, 1, 1, tzinfo=UTC) + n * hour for n in range(366 * 24)]
    return [
        later.astimezone(tz).replace(tzinfo=None)
        for earlier, later in pairwise(instants)
        if earlier.astimezone(tz).utcoffset() != later.astimezone(tz).utcoffset()
    ]


NEAR_CHANGES = [(zone, moment) for zone in ZONES for moment in _transitions(zone, 2026)]

near_a_change = st.tuples(
    st.sampled_from(NEAR_CHANGES), st.integers(min_value=-180, max_value=180)
).map(lambda drawn: (drawn[0][0], drawn[0][1] + timedelta(minutes=drawn[1])))
anywhere = st.tuples(
    st.sampled_from(ZONES),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1)).map(
        lambda moment: moment.replace(second=0, microsecond=0)
    ),
)
zoned_wall_times = st.one_of(near_a_change, anywhere)


@given(zoned_wall_times)
def test_an_existing_wall_time_maps_to_its_earliest_instant(drawn: tuple[str, datetime]) -> None:
    zone, local = drawn
    expected = reference_instants(local, zone)
    if expected:
        assert to_instant(local, zone) == expected[0]
        assert local_instants(local, zone) == tuple(expected)


@given(zoned_wall_times)
def test_a_gap_wall_time_moves_forward_by_exactly_the_gap(drawn: tuple[str, datetime]) -> None:
    zone, local = drawn
    if reference_instants(local, zone):
        return
    tz = ZoneInfo(zone)
    instant = to_instant(local, zone)
    after = instant.astimezone(tz).utcoffset()
    before = (instant - timedelta(hours=3)).astimezone(tz).utcoffset()
    assert after is not None and before is not None
    assert to_local(instant, zone) == local + (after - before)
    assert after > before


@given(
    st.sampled_from(ZONES),
    st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 1, 1)),
    st.integers(min_value=8 * 60, max_value=20 * 60),
    st.integers(min_value=1, max_value=60),
)
def test_every_session_of_a_weekly_series_is_at_the_same_wall_time(
    zone: str, day: datetime, minute_of_day: int, count: int
) -> None:
    # No zone here changes its clocks between 08:00 and 20:00.
    first = datetime.combine(day.date(), datetime.min.time()) + timedelta(minutes=minute_of_day)
    sessions = [session_time(local, zone, 50) for local in weekly(first, count)]

    assert {s.local_start.time() for s in sessions} == {first.time()}
    assert {s.local_start.weekday() for s in sessions} == {first.weekday()}
    tz = ZoneInfo(zone)
    assert all(s.start.astimezone(tz).replace(tzinfo=None) == s.local_start for s in sessions)
