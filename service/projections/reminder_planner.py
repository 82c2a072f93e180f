"""Turning the sessions the reminder view marked dirty into reminder rows, with pure planning.

The rows of a session are a function of its view row and its client's preferences only,
so planning after a rebuild gives exactly the same reminders (and the same ids).
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from uuid import UUID

from service.domain.reminders import Channel, QuietHours, ReminderPreferences
from service.projections.locked import Transaction, ViewDatabase
from service.projections.view import instant
from service.reminders.planning import parse_leads, plan_reminders

BATCH = 500
PLANNER_LOCK = 727274002  # serialises planners on PostgreSQL
DIRTY_SESSIONS = (
    "SELECT s.plan_id, s.number, s.client_id, s.status, s.start_utc, s.timed_at, s.revision,"
    " c.zone AS client_zone, c.channels, c.leads, c.quiet_start, c.quiet_end, c.prefs_at"
    " FROM rv_reminder_sessions s JOIN rv_reminder_clients c ON c.client_id = s.client_id"
    " WHERE s.dirty = 1 ORDER BY s.plan_id, s.number LIMIT %s"
)


def parse_instant(text: str) -> datetime:
    """A view's UTC instant text back as an aware datetime."""
    return datetime.fromisoformat(text)


def preferences_of(row: dict[str, Any]) -> ReminderPreferences:
    """A client's preferences from their row in rv_reminder_clients."""
    quiet = None
    if row["quiet_start"] and row["quiet_end"]:
        quiet = QuietHours(
            time.fromisoformat(row["quiet_start"]), time.fromisoformat(row["quiet_end"])
        )
    return ReminderPreferences(
        consented_channels=tuple(Channel(c) for c in row["channels"].split(",") if c),
        leads=parse_leads(row["leads"]),
        quiet_hours=quiet,
    )


class ReminderPlanner:
    """Re-plans the reminders of every dirty session; safe to run in many processes."""

    def __init__(self, database: ViewDatabase, batch: int = BATCH) -> None:
        self.database = database
        self.batch = batch

    def replan(self, now: datetime) -> int:
        """Plan every dirty session; returns how many were planned.

        A reminder already due when its session got its time (or the preferences last
        changed) is not planned: that moment is the event's timestamp, or `now` if
        earlier (a clock the caller set back, as the tests do).
        """
        planned = 0
        with self.database.reading() as transaction:  # most calls find nothing: no lock
            if not transaction.rows("SELECT 1 FROM rv_reminder_sessions WHERE dirty = 1 LIMIT 1"):
                return planned
        while True:
            with self.database.locked(PLANNER_LOCK) as transaction:
                rows = transaction.rows(DIRTY_SESSIONS, (self.batch,))
                for row in rows:
                    planned += self._plan(transaction, row, now)
            if len(rows) < self.batch:
                return planned

    def _plan(self, transaction: Transaction, row: dict[str, Any], now: datetime) -> int:
        key = (row["plan_id"], row["number"])
        transaction.run("DELETE FROM rv_reminders WHERE plan_id = %s AND number = %s", key)
        start = parse_instant(row["start_utc"])
        reminders = plan_reminders(
            plan_id=UUID(row["plan_id"]),
            number=row["number"],
            session_start=start,
            preferences=preferences_of(row),
            zone=row["client_zone"],
            now=min(now, max(parse_instant(row["timed_at"]), parse_instant(row["prefs_at"]))),
        )
        status = "scheduled" if row["status"] == "booked" else "cancelled"
        for reminder in reminders:
            transaction.run(
                "INSERT INTO rv_reminders VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (
                    str(reminder.reminder_id),
                    row["client_id"],
                    *key,
                    reminder.channel.value,
                    reminder.lead_minutes,
                    instant(reminder.due),
                    reminder.due_local.strftime("%Y-%m-%dT%H:%M"),
                    row["client_zone"],
                    row["start_utc"],
                    status,
                    int(reminder.moved_for_quiet_hours),
                ),
            )
        # A session changed again meanwhile (PostgreSQL) stays dirty for the next pass.
        transaction.run(
            "UPDATE rv_reminder_sessions SET dirty = 0"
            " WHERE plan_id = %s AND number = %s AND revision = %s",
            (*key, row["revision"]),
        )
        return 1
