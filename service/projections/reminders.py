"""The reminder schedule's view: clients' preferences, their sessions, their planned reminders.

Handlers only record facts (portable, idempotent SQL) and mark a session `dirty`; the
planner (reminder_planner.py) then turns dirty sessions into reminder rows with the pure
planning code, since quiet hours in a client's zone cannot be computed in portable SQL.

`reminder_deliveries` is the outbox: created here, but never cleared or dropped with the
view, so a rebuild never forgets what was sent (and never sends it again).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from service.adapters.view_statements import Statement
from service.domain.client import Client
from service.domain.plan import TreatmentPlan
from service.domain.reminders import NO_REMINDERS, ReminderPreferences
from service.domain.visit import Visit
from service.projections.erasure_purge import reminders_purged
from service.projections.rows import NewRow, RowChange, Write
from service.projections.view import Event, instant, text, time_columns
from service.reminders.planning import format_leads

Handler = Callable[[Any, int], list[Write]]

REMINDER_TABLES = (
    "CREATE TABLE IF NOT EXISTS rv_reminder_clients ("
    " client_id TEXT PRIMARY KEY, zone TEXT NOT NULL, channels TEXT NOT NULL,"
    " leads TEXT NOT NULL, quiet_start TEXT, quiet_end TEXT, prefs_at TEXT NOT NULL,"
    " alarms_version INTEGER NOT NULL, alarms_at TEXT NOT NULL, feed_hash TEXT)",
    "CREATE INDEX IF NOT EXISTS rv_reminder_clients_by_feed ON rv_reminder_clients (feed_hash)",
    "CREATE TABLE IF NOT EXISTS rv_reminder_plans ("
    " plan_id TEXT PRIMARY KEY, client_id TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS rv_reminder_sessions ("
    " plan_id TEXT NOT NULL, number INTEGER NOT NULL, client_id TEXT NOT NULL,"
    " therapist_id TEXT NOT NULL, room_id TEXT, status TEXT NOT NULL, start_utc TEXT NOT NULL,"
    " end_utc TEXT NOT NULL, zone TEXT NOT NULL, local_start TEXT NOT NULL,"
    " minutes INTEGER NOT NULL, timed_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
    " booked_version INTEGER NOT NULL, sequence INTEGER NOT NULL, alarms_base INTEGER NOT NULL,"
    " revision BIGINT NOT NULL, dirty INTEGER NOT NULL, PRIMARY KEY (plan_id, number))",
    "CREATE INDEX IF NOT EXISTS rv_reminder_sessions_by_client"
    " ON rv_reminder_sessions (client_id, start_utc)",
    "CREATE INDEX IF NOT EXISTS rv_reminder_sessions_dirty ON rv_reminder_sessions (dirty)",
    "CREATE TABLE IF NOT EXISTS rv_reminders ("
    " reminder_id TEXT PRIMARY KEY, client_id TEXT NOT NULL, plan_id TEXT NOT NULL,"
    " number INTEGER NOT NULL, channel TEXT NOT NULL, lead_minutes INTEGER NOT NULL,"
    " due_utc TEXT NOT NULL, due_local TEXT NOT NULL, zone TEXT NOT NULL,"
    " session_start_utc TEXT NOT NULL, status TEXT NOT NULL, quiet_moved INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS rv_reminders_by_client ON rv_reminders (client_id, due_utc)",
    "CREATE INDEX IF NOT EXISTS rv_reminders_by_due ON rv_reminders (status, due_utc)",
    "CREATE INDEX IF NOT EXISTS rv_reminders_by_session ON rv_reminders (plan_id, number)",
    "CREATE TABLE IF NOT EXISTS reminder_deliveries ("
    " reminder_id TEXT NOT NULL, session_start_utc TEXT NOT NULL, client_id TEXT NOT NULL,"
    " plan_id TEXT NOT NULL, number INTEGER NOT NULL, channel TEXT NOT NULL,"
    " lead_minutes INTEGER NOT NULL, due_utc TEXT NOT NULL, due_local TEXT NOT NULL,"
    " zone TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL,"
    " next_try_utc TEXT, claimed_by TEXT, claimed_until TEXT, last_error TEXT,"
    " sent_at TEXT, PRIMARY KEY (reminder_id, session_start_utc))",
    "CREATE INDEX IF NOT EXISTS reminder_deliveries_by_status"
    " ON reminder_deliveries (status, due_utc)",
    "CREATE INDEX IF NOT EXISTS reminder_deliveries_by_client"
    " ON reminder_deliveries (client_id, due_utc)",
)
VIEW_TABLES = ("rv_reminder_clients", "rv_reminder_plans", "rv_reminder_sessions", "rv_reminders")
REMINDER_CLEAR = tuple(f"DELETE FROM {table}" for table in VIEW_TABLES)
REMINDER_DROP = tuple(f"DROP TABLE IF EXISTS {table}" for table in VIEW_TABLES)


def _key(event: Any) -> dict[str, Any]:
    return {"plan_id": text(event.originator_id), "number": event.number}


def _dirty_sessions_of(client_id: str, position: int) -> Statement:
    return (
        "UPDATE rv_reminder_sessions SET dirty = 1, revision = %s WHERE client_id = %s",
        (position, client_id),
    )


def _preference_columns(
    preferences: ReminderPreferences,
) -> tuple[str, str, str | None, str | None]:
    quiet = preferences.quiet_hours
    return (
        ",".join(c.value for c in preferences.consented_channels),
        format_leads(preferences.leads),
        quiet.start.strftime("%H:%M") if quiet else None,
        quiet.end.strftime("%H:%M") if quiet else None,
    )


def _client_registered(event: Any, _: int) -> list[Write]:
    at = instant(event.timestamp)
    return [
        (
            "INSERT INTO rv_reminder_clients VALUES (%s, %s, %s, %s, %s, %s, %s, 0, %s, NULL)"
            " ON CONFLICT (client_id) DO NOTHING",
            (text(event.originator_id), event.zone, *_preference_columns(NO_REMINDERS), at, at),
        )
    ]


def _client_changed(event: Any, position: int) -> list[Write]:
    if "zone" not in event.changes:
        return []
    client_id = text(event.originator_id)
    return [
        (
            "UPDATE rv_reminder_clients SET zone = %s, prefs_at = %s WHERE client_id = %s",
            (event.changes["zone"], instant(event.timestamp), client_id),
        ),
        _dirty_sessions_of(client_id, position),
    ]


def _preferences_set(event: Any, position: int) -> list[Write]:
    client_id = text(event.originator_id)
    channels, leads, quiet_start, quiet_end = _preference_columns(event.preferences)
    at = instant(event.timestamp)
    return [
        (
            # Alarms in the feed change only with the lead times; SET reads the old row.
            "UPDATE rv_reminder_clients SET"
            " alarms_version = CASE WHEN leads <> %s THEN %s ELSE alarms_version END,"
            " alarms_at = CASE WHEN leads <> %s THEN %s ELSE alarms_at END,"
            " channels = %s, leads = %s, quiet_start = %s, quiet_end = %s, prefs_at = %s"
            " WHERE client_id = %s",
            (leads, event.originator_version, leads, at, channels, leads, quiet_start, quiet_end)
            + (at, client_id),
        ),
        _dirty_sessions_of(client_id, position),
    ]


def _feed_token(issued: bool) -> Handler:
    def handler(event: Any, _: int) -> list[Write]:
        token_hash = event.token_hash if issued else None
        return [
            (
                "UPDATE rv_reminder_clients SET feed_hash = %s WHERE client_id = %s",
                (token_hash, text(event.originator_id)),
            )
        ]

    return handler


def _plan_proposed(event: Any, _: int) -> list[Write]:
    return [
        (
            "INSERT INTO rv_reminder_plans VALUES (%s, %s) ON CONFLICT (plan_id) DO NOTHING",
            (text(event.originator_id), text(event.client_id)),
        )
    ]


def _session_booked(event: Any, position: int) -> list[Write]:
    at = instant(event.timestamp)
    columns = {
        **time_columns(event),
        "timed_at": at,
        "updated_at": at,
        "booked_version": event.originator_version,
        "revision": position,
    }
    # The client and their alarms' version are read from rows that outlive the session's.
    selected = {
        "client_id": "p.client_id",
        "status": "'booked'",
        "sequence": "0",
        "alarms_base": "c.alarms_version",
        "dirty": "1",
    }
    booked = NewRow(
        "rv_reminder_sessions",
        _key(event),
        columns,
        selected,
        source="FROM rv_reminder_plans p JOIN rv_reminder_clients c"
        " ON c.client_id = p.client_id WHERE p.plan_id = %s",
        source_params=(text(event.originator_id),),
    )
    return [booked]


def _session_changed(event: Any, position: int, assignments: str, *values: Any) -> Statement:
    return (
        f"UPDATE rv_reminder_sessions SET {assignments}, revision = %s, dirty = 1"
        " WHERE plan_id = %s AND number = %s",
        (*values, position, *_key(event).values()),
    )


def _session_rescheduled(event: Any, position: int) -> list[Write]:
    at = instant(event.timestamp)
    columns = (
        "therapist_id = %s, room_id = %s, start_utc = %s, end_utc = %s, zone = %s,"
        " local_start = %s, minutes = %s, status = 'booked', timed_at = %s, updated_at = %s,"
        " sequence = %s - booked_version"
    )
    values = (*time_columns(event).values(), at, at, event.originator_version)
    return [_session_changed(event, position, columns, *values)]


def _session_cancelled(event: Any, position: int) -> list[Write]:
    columns = "status = 'cancelled', updated_at = %s, sequence = %s - booked_version"
    values = (instant(event.timestamp), event.originator_version)
    return [_session_changed(event, position, columns, *values)]


def _session_status(status: str) -> Handler:
    def handler(event: Any, position: int) -> list[Write]:
        columns = {"status": status, "revision": position, "dirty": 1}
        return [RowChange("rv_reminder_sessions", _key(event), columns)]

    return handler


def _visit_booked(event: Any, position: int) -> list[Write]:
    # A visit is reminded of like a plan's session: it is its own "plan" of one session 0.
    return _plan_proposed(event, position) + _session_booked(event, position)


REMINDER_HANDLERS: dict[type[Event], Handler] = {
    Client.ClientRegistered: _client_registered,
    Client.ClientDetailsChanged: _client_changed,
    Client.ReminderPreferencesSet: _preferences_set,
    Client.FeedTokenIssued: _feed_token(issued=True),
    Client.FeedTokenRevoked: _feed_token(issued=False),
    Client.ClientErased: reminders_purged,
    TreatmentPlan.PlanProposed: _plan_proposed,
    TreatmentPlan.SessionBooked: _session_booked,
    TreatmentPlan.SessionRescheduled: _session_rescheduled,
    TreatmentPlan.SessionCancelled: _session_cancelled,
    TreatmentPlan.SessionMissed: _session_status("missed"),
    TreatmentPlan.SessionPerformed: _session_status("performed"),
    Visit.VisitBooked: _visit_booked,
    Visit.VisitRescheduled: _session_rescheduled,
    Visit.VisitCancelled: _session_cancelled,
    Visit.VisitMissed: _session_status("missed"),
    Visit.VisitPerformed: _session_status("performed"),
}
