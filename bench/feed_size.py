"""The calendar feed's size for a client with 12 weekly sessions: RDATE-list zones and now.

Run: python -m bench.feed_size
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from service.reminders.feed import FeedHeader, FeedSession, render_feed

HEADER = FeedHeader(
    client_id="c1",
    clinic_name="Test Clinic",
    cancel_hint="To cancel or move it, contact Test Clinic at least 24 hours before.",
    leads=(timedelta(hours=48), timedelta(hours=2)),
)


def twelve_sessions(zone: str) -> list[FeedSession]:
    """Twelve weekly sessions from March, across the change to summer time."""
    first = datetime(2026, 3, 2, 10, tzinfo=UTC)
    return [
        FeedSession("p1", n, "booked", first + timedelta(weeks=n - 1), 60, zone, 0,
                    datetime(2026, 3, 1, tzinfo=UTC), "Ada Therapist", "Room A")
        for n in range(1, 13)
    ]  # fmt: skip


def with_rdate_lists(body: bytes) -> bytes:
    """The same feed with the VTIMEZONE icalendar 7 writes by itself, as the feed did."""
    calendar = Calendar.from_ical(body)
    calendar.subcomponents = [c for c in calendar.subcomponents if c.name != "VTIMEZONE"]
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def main() -> None:
    """Print the sizes side by side."""
    print(f"{'12 sessions in':<20}{'RDATE lists':>14}{'yearly RRULEs':>16}")
    for zone in ("Europe/London", "America/New_York"):
        body = render_feed(twelve_sessions(zone), HEADER)
        print(f"{zone:<20}{len(with_rdate_lists(body)):>12} B{len(body):>14} B")


if __name__ == "__main__":
    main()
