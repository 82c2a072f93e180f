"""When each reminder of a session goes out: pure code, given the preferences and `now`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5
from zoneinfo import ZoneInfo

from service.domain.reminders import Channel, QuietHours, ReminderPreferences

REMINDER_NAMESPACE = uuid5(NAMESPACE_URL, "regimen:reminder")


@dataclass(frozen=True)
class PlannedReminder:
    """One reminder of one session on one channel."""

    reminder_id: UUID
    channel: Channel
    lead: timedelta
    due: datetime  # UTC
    due_local: datetime  # the client's wall time
    moved_for_quiet_hours: bool

    @property
    def lead_minutes(self) -> int:
        """The lead time in whole minutes."""
        return self.lead // timedelta(minutes=1)


def reminder_id(plan_id: UUID, number: int, lead: timedelta, channel: Channel) -> UUID:
    """The same session, lead time and channel always give the same reminder id."""
    minutes = lead // timedelta(minutes=1)
    return uuid5(REMINDER_NAMESPACE, f"{plan_id}/{number}/{minutes}/{channel.value}")


def delivery_key(reminder: UUID, session_start: datetime) -> UUID:
    """One sending of a reminder for a session at one time (a moved session is reminded again)."""
    return uuid5(reminder, session_start.astimezone(UTC).isoformat())


def send_time(
    session_start: datetime, lead: timedelta, zone: ZoneInfo, quiet: QuietHours | None
) -> tuple[datetime, bool]:
    """The UTC instant to send, moved back to the start of quiet hours if it falls inside."""
    due = session_start - lead
    if quiet is None:
        return due, False
    local = due.astimezone(zone)
    if not quiet.contains(local.time()):
        return due, False
    began_yesterday = quiet.start > quiet.end and local.time() < quiet.end
    day = local.date() - timedelta(days=1) if began_yesterday else local.date()
    # In a DST gap or overlap the wall time names two instants: the earlier keeps it early.
    moved = min(
        datetime.combine(day, quiet.start, tzinfo=zone).replace(fold=fold).astimezone(UTC)
        for fold in (0, 1)
    )
    return moved, True


def plan_reminders(
    *,
    plan_id: UUID,
    number: int,
    session_start: datetime,
    preferences: ReminderPreferences,
    zone: str,
    now: datetime,
) -> list[PlannedReminder]:
    """The reminders of a session, earliest first; none before `now`, none after the session.

    `now` is when the session got its time or the preferences last changed: a reminder
    that would already have been due then is not planned. Two lead times moved to the
    same instant by quiet hours send one reminder (the shorter lead's).
    """
    tz = ZoneInfo(zone)
    planned: dict[tuple[Channel, datetime], PlannedReminder] = {}
    for channel in preferences.consented_channels:
        for lead in sorted(preferences.leads, reverse=True):
            due, moved = send_time(session_start, lead, tz, preferences.quiet_hours)
            if due < now or due >= session_start:
                continue
            planned[(channel, due)] = PlannedReminder(
                reminder_id=reminder_id(plan_id, number, lead, channel),
                channel=channel,
                lead=lead,
                due=due,
                due_local=due.astimezone(tz),
                moved_for_quiet_hours=moved,
            )
    return sorted(planned.values(), key=lambda r: (r.due, r.channel.value))


def parse_leads(text: str) -> tuple[timedelta, ...]:
    """Lead times stored as comma-separated minutes."""
    return tuple(timedelta(minutes=int(m)) for m in text.split(",") if m)


def format_leads(leads: Iterable[timedelta]) -> str:
    """Lead times as comma-separated minutes, longest first."""
    return ",".join(str(lead // timedelta(minutes=1)) for lead in sorted(leads, reverse=True))
