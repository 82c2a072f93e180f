"""The calendar feed: RFC 5545 that icalendar parses, stable for an unchanged schedule."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from service.reminders.feed import (
    FeedHeader,
    FeedSession,
    feed_etag,
    render_feed,
    render_session,
    session_uid,
    subscribe_links,
)

STAMP = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
HEADER = FeedHeader(
    client_id="c1",
    clinic_name="Test Clinic",
    cancel_hint="To cancel or move it, contact Test Clinic.",
    leads=(timedelta(hours=48), timedelta(hours=2)),
)


def session(number: int, status: str = "booked", sequence: int = 0) -> FeedSession:
    return FeedSession(
        plan_id="p1",
        number=number,
        status=status,
        start=datetime(2026, 3, 9, 10, 0, tzinfo=UTC) + timedelta(weeks=number - 1),
        minutes=60,
        zone="Europe/London",
        sequence=sequence,
        stamp=STAMP,
        therapist_name="Ada Therapist",
        room_name="Room A",
    )


def test_each_session_is_one_event_with_alarms_and_a_timezone() -> None:
    calendar = Calendar.from_ical(render_feed([session(1), session(2)], HEADER))
    events = calendar.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [session_uid("p1", 1), session_uid("p1", 2)]
    assert events[0]["DTSTART"].params["TZID"] == "Europe/London"
    assert [a["TRIGGER"].dt for a in events[0].walk("VALARM")] == [
        -timedelta(hours=48),
        -timedelta(hours=2),
    ]
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    assert str(events[0]["LOCATION"]) == "Room A, Test Clinic"


def test_a_cancelled_session_stays_cancelled_without_alarms() -> None:
    calendar = Calendar.from_ical(render_feed([session(1, "cancelled", 1)], HEADER))
    (event,) = calendar.walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert event.walk("VALARM") == []


def test_the_same_schedule_renders_the_same_bytes_and_tag() -> None:
    first = render_feed([session(1)], HEADER)
    assert render_feed([session(1)], HEADER) == first
    assert feed_etag(first) == feed_etag(render_feed([session(1)], HEADER))
    assert feed_etag(render_feed([session(1, sequence=1)], HEADER)) != feed_etag(first)


def test_names_stored_with_line_breaks_or_controls_make_one_line_text() -> None:
    header = dataclasses.replace(HEADER, clinic_name="Test\r\nClinic\x07")
    broken = dataclasses.replace(session(1), therapist_name="Ada\nTherapist", room_name="A\x00")
    body = render_feed([broken], header)
    assert not re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", body.replace(b"\r\n", b""))
    calendar = Calendar.from_ical(body)
    assert str(calendar["X-WR-CALNAME"]) == "Test Clinic  sessions"
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Session 1 at Test Clinic "
    assert str(event["LOCATION"]) == "A , Test Clinic "
    assert "with Ada Therapist." in str(event["DESCRIPTION"])


def rdate_list_feed(sessions: list[FeedSession]) -> bytes:
    """The same feed with the VTIMEZONE icalendar writes by itself (RDATE lists), as before."""
    calendar = Calendar.from_ical(render_feed(sessions, HEADER))
    calendar.subcomponents = [c for c in calendar.subcomponents if c.name != "VTIMEZONE"]
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def test_a_twelve_session_feed_is_smaller_than_with_rdate_lists() -> None:
    twelve = [session(n) for n in range(1, 13)]
    body = render_feed(twelve, HEADER)
    assert b"RDATE" in rdate_list_feed(twelve)
    assert b"RDATE" not in body
    assert len(body) < 0.85 * len(rdate_list_feed(twelve))


def test_the_feed_asks_to_be_polled_hourly_in_both_dialects() -> None:
    body = render_feed([session(1)], HEADER)
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in body
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in body
    calendar = Calendar.from_ical(body)
    assert str(calendar["NAME"]) == str(calendar["X-WR-CALNAME"]) == "Test Clinic sessions"


def test_one_session_alone_is_the_same_event_as_in_the_feed() -> None:
    (alone,) = Calendar.from_ical(render_session(session(2), HEADER)).walk("VEVENT")
    in_feed = Calendar.from_ical(render_feed([session(1), session(2)], HEADER)).walk("VEVENT")[1]
    assert alone.to_ical() == in_feed.to_ical()


def test_a_feed_link_subscribes_as_webcal_and_downloads_as_https() -> None:
    assert subscribe_links("https://clinic.example/feeds/abc.ics") == (
        "webcal://clinic.example/feeds/abc.ics",
        "https://clinic.example/feeds/abc.ics",
    )
