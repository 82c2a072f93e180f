"""The feed's VTIMEZONEs: yearly RRULEs for the zone's current rule, onsets before it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject

from service.reminders.feed import FeedHeader, FeedSession, render_feed
from service.reminders.timezones import vtimezone, vtimezone_of_years

ZONES = ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Tokyo"]


def noon_on_the_first_of_each_month(years: range) -> list[datetime]:
    return [datetime(y, m, 1, 12, tzinfo=UTC) for y in years for m in range(1, 13)]


@pytest.mark.parametrize("zone", ZONES)
def test_the_current_rule_is_two_yearly_rules_without_rdates(zone: str) -> None:
    text = vtimezone(zone, datetime(2026, 3, 1, tzinfo=UTC), datetime(2039, 7, 1, tzinfo=UTC))
    body = text.to_ical().decode()
    assert "RDATE" not in body
    has_summer_time = ZoneInfo(zone).dst(datetime(2026, 1, 1)) or ZoneInfo(zone).dst(
        datetime(2026, 7, 1)
    )
    assert body.count("RRULE:FREQ=YEARLY") == (2 if has_summer_time else 0)


@pytest.mark.parametrize(
    ("zone", "years"),
    [
        ("Europe/London", range(2025, 2041)),
        ("America/New_York", range(2026, 2041)),
        ("America/New_York", range(2004, 2011)),  # the 2007 rule change inside the span
        ("Australia/Sydney", range(2025, 2041)),
        ("Europe/London", range(1990, 2000)),  # before the current rule (1996)
    ],
)
def test_the_vtimezone_gives_the_iana_offset_at_every_instant_of_the_span(
    zone: str, years: range
) -> None:
    instants = noon_on_the_first_of_each_month(years)
    instants += [i + timedelta(days=14) for i in instants]
    built = vtimezone(zone, min(instants), max(instants))
    as_read = built.to_tz(lookup_tzid=False)  # the component itself, not the zone its TZID names
    expected = ZoneInfo(zone)
    wrong = [
        i
        for i in instants
        if i.astimezone(as_read).utcoffset() != i.astimezone(expected).utcoffset()
    ]
    assert wrong == []


@pytest.mark.parametrize("zone", ZONES)
def test_the_vtimezone_changes_the_clocks_at_the_same_half_hour_as_the_iana_zone(
    zone: str,
) -> None:
    year = datetime(2026, 1, 1, tzinfo=UTC)
    as_read = vtimezone(zone, year, year.replace(year=2027)).to_tz(lookup_tzid=False)
    half_hours = [year + timedelta(minutes=30 * n) for n in range(365 * 48)]
    expected = ZoneInfo(zone)
    wrong = [
        t
        for t in half_hours
        if t.astimezone(as_read).utcoffset() != t.astimezone(expected).utcoffset()
    ]
    assert wrong == []


def test_a_rule_change_inside_the_span_is_listed_onset_by_onset() -> None:
    built = vtimezone(
        "America/New_York", datetime(2006, 3, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    )
    onsets = [c.DTSTART for c in built.subcomponents if "RRULE" not in c]
    assert onsets[0].year == 2005 and max(onsets).year == 2007
    assert all("RDATE" not in c for c in built.subcomponents)


def test_vobject_reads_the_feeds_zone_not_its_own() -> None:
    getattr(vobject.icalendar, "__tzidMap").pop("Europe/London", None)
    session = FeedSession(
        "p1", 1, "booked", datetime(2039, 7, 4, 9, tzinfo=UTC), 60, "Europe/London", 0,
        datetime(2026, 1, 1, tzinfo=UTC), "", "",
    )  # fmt: skip
    header = FeedHeader("c1", "Clinic", "", ())
    (event,) = vobject.readOne(render_feed([session], header).decode()).vevent_list
    assert type(event.dtstart.value.tzinfo).__module__.startswith("dateutil")
    assert event.dtstart.value.astimezone(UTC) == session.start


def test_feeds_spanning_the_same_years_share_one_built_vtimezone() -> None:
    vtimezone_of_years.cache_clear()
    header = FeedHeader("c1", "Clinic", "", ())

    def feed(*starts: datetime) -> bytes:
        return render_feed(
            [
                FeedSession("p1", n, "booked", start, 60, "Europe/London", 0, start, "", "")
                for n, start in enumerate(starts, start=1)
            ],
            header,
        )

    first = feed(datetime(2026, 3, 9, 10, tzinfo=UTC), datetime(2026, 11, 2, 10, tzinfo=UTC))
    second = feed(datetime(2026, 5, 4, 9, tzinfo=UTC))
    other_years = feed(datetime(2027, 5, 3, 9, tzinfo=UTC))

    info = vtimezone_of_years.cache_info()
    assert (info.hits, info.misses) == (1, 2)  # the second feed reused the first's
    zone = b"BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\n"
    assert all(zone in body for body in (first, second, other_years))
