"""Planning reminder times: pure, given the preferences, the client's zone and `now`."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from service.domain.reminders import Channel, QuietHours, ReminderPreferences
from service.reminders.claims import RetryPolicy
from service.reminders.planning import (
    delivery_key,
    format_leads,
    parse_leads,
    plan_reminders,
    reminder_id,
    send_time,
)

PLAN = UUID("00000000-0000-0000-0000-000000000001")
LONDON = ZoneInfo("Europe/London")
EARLY = datetime(2026, 1, 1, tzinfo=UTC)
H = timedelta(hours=1)


def at(local: str, zone: ZoneInfo = LONDON) -> datetime:
    """A local wall time as an aware instant."""
    return datetime.fromisoformat(local).replace(tzinfo=zone)


def plan(start: datetime, preferences: ReminderPreferences, now: datetime = EARLY) -> list:
    return plan_reminders(
        plan_id=PLAN,
        number=1,
        session_start=start,
        preferences=preferences,
        zone="Europe/London",
        now=now,
    )


def test_quiet_hours_across_midnight_move_a_reminder_to_the_evening_before() -> None:
    due, moved = send_time(at("2026-03-10T08:30"), 2 * H, LONDON, QuietHours(time(21), time(8)))
    assert moved and due == at("2026-03-09T21:00")


def test_a_reminder_late_in_the_evening_moves_back_to_when_quiet_hours_began() -> None:
    due, moved = send_time(at("2026-03-10T01:00"), 2 * H, LONDON, QuietHours(time(21), time(8)))
    assert moved and due == at("2026-03-09T21:00")


def test_quiet_hours_within_a_day_move_a_reminder_to_their_start() -> None:
    due, moved = send_time(at("2026-03-10T15:00"), 2 * H, LONDON, QuietHours(time(12), time(14)))
    assert moved and due == at("2026-03-10T12:00")


def test_the_edges_of_quiet_hours_are_outside_them() -> None:
    quiet = QuietHours(time(21), time(8))
    assert not quiet.contains(time(21)) and not quiet.contains(time(8))
    assert quiet.contains(time(21, 1)) and quiet.contains(time(7, 59))


def test_quiet_hours_are_the_clients_own_wall_time() -> None:
    new_york = ZoneInfo("America/New_York")
    due, moved = send_time(at("2026-03-10T10:00"), 2 * H, new_york, QuietHours(time(22), time(7)))
    assert moved and due.astimezone(new_york) == at("2026-03-09T22:00", new_york)


def test_no_reminder_is_planned_before_now() -> None:
    preferences = ReminderPreferences((Channel.EMAIL,), (48 * H, 2 * H), None)
    start = at("2026-03-10T10:00")
    planned = plan(start, preferences, now=start - 24 * H)
    assert [r.lead for r in planned] == [2 * H]


def test_two_leads_moved_to_the_same_instant_send_one_reminder() -> None:
    preferences = ReminderPreferences(
        (Channel.EMAIL,), (10 * H, 9 * H), QuietHours(time(21), time(8))
    )
    planned = plan(at("2026-03-10T07:00"), preferences)
    assert [(r.lead, r.due) for r in planned] == [(9 * H, at("2026-03-09T21:00"))]


def test_each_consented_channel_gets_each_lead() -> None:
    preferences = ReminderPreferences((Channel.EMAIL, Channel.SMS), (48 * H, 2 * H), None)
    planned = plan(at("2026-03-10T10:00"), preferences)
    assert sorted((r.channel.value, r.lead_minutes) for r in planned) == [
        ("email", 120),
        ("email", 2880),
        ("sms", 120),
        ("sms", 2880),
    ]


def test_without_consent_nothing_is_planned() -> None:
    assert plan(at("2026-03-10T10:00"), ReminderPreferences()) == []


def test_reminder_ids_are_the_same_for_the_same_session_lead_and_channel() -> None:
    first = reminder_id(PLAN, 2, 2 * H, Channel.EMAIL)
    assert first == reminder_id(PLAN, 2, 2 * H, Channel.EMAIL)
    assert first != reminder_id(PLAN, 2, 2 * H, Channel.SMS)
    assert first != reminder_id(PLAN, 3, 2 * H, Channel.EMAIL)
    assert delivery_key(first, at("2026-03-10T10:00")) != delivery_key(
        first, at("2026-03-11T10:00")
    )


def test_lead_times_round_trip_as_minutes() -> None:
    assert parse_leads(format_leads([2 * H, 48 * H])) == (48 * H, 2 * H)


def test_backoff_doubles_up_to_its_ceiling_and_gives_up_after_the_limit() -> None:
    policy = RetryPolicy(timedelta(minutes=1), timedelta(minutes=5), max_attempts=5)
    now = EARLY
    assert [policy.next_try(n, now) - now for n in (1, 2, 3, 4)] == [  # type: ignore[operator]
        timedelta(minutes=m) for m in (1, 2, 4, 5)
    ]
    assert policy.next_try(5, now) is None


@given(
    start=st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(LONDON)
    ),
    lead_minutes=st.integers(15, 14 * 24 * 60),
    quiet_start=st.times(),
    quiet_end=st.times(),
)
def test_a_reminder_is_never_after_the_session_nor_in_quiet_hours(
    start: datetime, lead_minutes: int, quiet_start: time, quiet_end: time
) -> None:
    if quiet_start == quiet_end:
        return
    quiet = QuietHours(quiet_start, quiet_end)
    due, _ = send_time(start, timedelta(minutes=lead_minutes), LONDON, quiet)
    assert due <= start - timedelta(minutes=lead_minutes)
    assert not quiet.contains(due.astimezone(LONDON).time())
