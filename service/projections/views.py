"""The views: their tables, and the rows each event writes (portable SQL, %s placeholders)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from eventsourcing.domain import Aggregate

from service.projections.recorders import Statement
from service.projections.reminders import (
    REMINDER_CLEAR,
    REMINDER_DROP,
    REMINDER_HANDLERS,
    REMINDER_TABLES,
)

Event = Aggregate.Event
Handler = Callable[[Any, int], list[Statement]]


def instant(moment: datetime) -> str:
    """A UTC instant as sortable text."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")[:19] + "Z"


def event_name(event: Event) -> str:
    """'TreatmentPlan.SessionBooked' for a plan's SessionBooked."""
    return type(event).__qualname__


@dataclass(frozen=True)
class View:
    """A read model: its tables and indexes, and what each kind of event writes to it."""

    name: str
    tables: tuple[str, ...]
    clear: tuple[str, ...]
    handlers: dict[str, Handler]
    every_event: Handler | None = None
    version: int = 1  # raise it when the tables change: the view is then dropped and rebuilt
    drop: tuple[str, ...] = ()

    def statements(self, event: Event, position: int) -> list[Statement]:
        """The writes this event causes in this view (none if it does not care)."""
        handler = self.handlers.get(event_name(event), self.every_event)
        return handler(event, position) if handler else []


# --- sessions: day sheet, calendar, client schedule, availability, progress ----------------

SESSION_TABLES = (
    "CREATE TABLE IF NOT EXISTS rv_sessions ("
    " plan_id TEXT NOT NULL, number INTEGER NOT NULL, client_id TEXT NOT NULL,"
    " therapist_id TEXT NOT NULL, room_id TEXT, status TEXT NOT NULL,"
    " start_utc TEXT NOT NULL, end_utc TEXT NOT NULL, zone TEXT NOT NULL,"
    " local_start TEXT NOT NULL, minutes INTEGER NOT NULL,"
    " late_cancel INTEGER NOT NULL DEFAULT 0, counted INTEGER NOT NULL DEFAULT 0,"
    " unrecorded INTEGER NOT NULL DEFAULT 0, pain_before INTEGER, pain_after INTEGER,"
    " mobility TEXT, recommendation TEXT, PRIMARY KEY (plan_id, number))",
    "CREATE INDEX IF NOT EXISTS rv_sessions_by_therapist ON rv_sessions (therapist_id, start_utc)",
    "CREATE INDEX IF NOT EXISTS rv_sessions_by_room ON rv_sessions (room_id, start_utc)",
    "CREATE INDEX IF NOT EXISTS rv_sessions_by_client ON rv_sessions (client_id, start_utc)",
    "CREATE INDEX IF NOT EXISTS rv_sessions_by_start ON rv_sessions (start_utc, plan_id, number)",
    "CREATE TABLE IF NOT EXISTS rv_plans ("
    " plan_id TEXT PRIMARY KEY, client_id TEXT NOT NULL, therapist_id TEXT NOT NULL,"
    " room_id TEXT, status TEXT NOT NULL, intention TEXT NOT NULL, focus_areas TEXT NOT NULL,"
    " sessions_planned INTEGER NOT NULL, interval_days INTEGER NOT NULL,"
    " session_minutes INTEGER NOT NULL, auth_visits INTEGER, auth_valid_until TEXT,"
    " proposed_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS rv_plans_by_client ON rv_plans (client_id, proposed_at, plan_id)",
    "CREATE INDEX IF NOT EXISTS rv_plans_by_therapist"
    " ON rv_plans (therapist_id, proposed_at, plan_id)",
    "CREATE INDEX IF NOT EXISTS rv_plans_by_status ON rv_plans (status, proposed_at, plan_id)",
    "CREATE INDEX IF NOT EXISTS rv_plans_by_time ON rv_plans (proposed_at, plan_id)",
)


@cache
def _session_update(columns: tuple[str, ...]) -> str:
    assignments = ", ".join(f"{name} = %s" for name in columns)
    return f"UPDATE rv_sessions SET {assignments} WHERE plan_id = %s AND number = %s"


def _set_session(event: Event, **columns: Any) -> list[Statement]:
    return [
        (
            _session_update(tuple(columns)),
            (*columns.values(), str(event.originator_id), event.number),  # type: ignore[attr-defined]
        )
    ]


def _time_columns(event: Any) -> dict[str, Any]:
    time = event.time
    return {
        "therapist_id": str(event.therapist_id),
        "room_id": str(event.room_id) if event.room_id else None,
        "start_utc": instant(time.start),
        "end_utc": instant(time.end),
        "zone": time.zone,
        "local_start": time.local_start.strftime("%Y-%m-%dT%H:%M"),
        "minutes": time.minutes,
    }


def _plan_proposed(event: Any, _: int) -> list[Statement]:
    auth = event.authorization
    return [
        (
            "INSERT INTO rv_plans VALUES (%s, %s, %s, %s, 'proposed', %s, %s, %s, %s, %s, %s, %s,"
            " %s, %s) ON CONFLICT (plan_id) DO NOTHING",
            (
                str(event.originator_id),
                str(event.client_id),
                str(event.therapist_id),
                str(event.room_id) if event.room_id else None,
                event.intention.value,
                ", ".join(event.focus_areas),
                event.series.sessions,
                event.series.interval_days,
                event.series.session_minutes,
                auth.visits if auth else None,
                auth.valid_until.isoformat() if auth else None,
                instant(event.timestamp),
                instant(event.timestamp),
            ),
        )
    ]


def _plan_status(status: str) -> Handler:
    def handler(event: Any, _: int) -> list[Statement]:
        return [
            (
                "UPDATE rv_plans SET status = %s, updated_at = %s WHERE plan_id = %s",
                (status, instant(event.timestamp), str(event.originator_id)),
            )
        ]

    return handler


def _plan_revised(event: Any, _: int) -> list[Statement]:
    series = event.series
    return [
        (
            "UPDATE rv_plans SET sessions_planned = %s, interval_days = %s, session_minutes = %s,"
            " updated_at = %s WHERE plan_id = %s",
            (
                series.sessions,
                series.interval_days,
                series.session_minutes,
                instant(event.timestamp),
                str(event.originator_id),
            ),
        )
    ]


def _session_booked(event: Any, _: int) -> list[Statement]:
    columns = _time_columns(event)
    return [
        (
            "INSERT INTO rv_sessions (plan_id, number, client_id, therapist_id, room_id, status,"
            " start_utc, end_utc, zone, local_start, minutes)"
            " SELECT %s, %s, client_id, %s, %s, 'booked', %s, %s, %s, %s, %s"
            " FROM rv_plans WHERE plan_id = %s ON CONFLICT (plan_id, number) DO NOTHING",
            (
                str(event.originator_id),
                event.number,
                *columns.values(),
                str(event.originator_id),
            ),
        )
    ]


def _session_rescheduled(event: Any, _: int) -> list[Statement]:
    return _set_session(event, **_time_columns(event), unrecorded=0)


def _session_cancelled(event: Any, _: int) -> list[Statement]:
    return _set_session(
        event,
        status="cancelled",
        late_cancel=int(event.late_cancel),
        counted=int(event.counts_against_authorization),
    )


def _session_missed(event: Any, _: int) -> list[Statement]:
    return _set_session(event, status="missed", counted=int(event.counts_against_authorization))


def _session_performed(event: Any, _: int) -> list[Statement]:
    return _set_session(event, status="performed", pain_before=event.performance.pain_before)


def _outcome_evaluated(event: Any, _: int) -> list[Statement]:
    evaluation = event.evaluation
    return _set_session(
        event,
        pain_after=evaluation.pain_after,
        mobility=evaluation.mobility.value,
        recommendation=evaluation.recommendation.value,
    )


def _session_unrecorded(event: Any, _: int) -> list[Statement]:
    return _set_session(event, unrecorded=1)


PLAN = "TreatmentPlan."
SESSIONS = View(
    name="sessions",
    tables=SESSION_TABLES,
    clear=("DELETE FROM rv_sessions", "DELETE FROM rv_plans"),
    drop=("DROP TABLE IF EXISTS rv_sessions", "DROP TABLE IF EXISTS rv_plans"),
    handlers={
        PLAN + "PlanProposed": _plan_proposed,
        PLAN + "PlanAgreed": _plan_status("agreed"),
        PLAN + "PlanCompleted": _plan_status("completed"),
        PLAN + "PlanCancelled": _plan_status("cancelled"),
        PLAN + "PlanRevised": _plan_revised,
        PLAN + "SessionBooked": _session_booked,
        PLAN + "SessionRescheduled": _session_rescheduled,
        PLAN + "SessionCancelled": _session_cancelled,
        PLAN + "SessionMissed": _session_missed,
        PLAN + "SessionPerformed": _session_performed,
        PLAN + "OutcomeEvaluated": _outcome_evaluated,
        PLAN + "SessionLeftUnrecorded": _session_unrecorded,
    },
)


# --- directory: clients, therapists, rooms -------------------------------------------------

DIRECTORY_TABLES = (
    "CREATE TABLE IF NOT EXISTS rv_directory ("
    " kind TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, email TEXT NOT NULL,"
    " phone TEXT NOT NULL, zone TEXT NOT NULL, search TEXT NOT NULL, PRIMARY KEY (kind, id))",
    "CREATE INDEX IF NOT EXISTS rv_directory_by_name ON rv_directory (kind, name, id)",
)


def _search_text(*parts: str) -> str:
    return " ".join(p.casefold() for p in parts if p)


def _listed(kind: str) -> Handler:
    def handler(event: Any, _: int) -> list[Statement]:
        name = event.name
        email = getattr(event, "email", "")
        phone = getattr(event, "phone", "")
        return [
            (
                "INSERT INTO rv_directory VALUES (%s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (kind, id) DO NOTHING",
                (
                    kind,
                    str(event.originator_id),
                    name,
                    email,
                    phone,
                    getattr(event, "zone", ""),
                    _search_text(name, email, phone),
                ),
            )
        ]

    return handler


def _client_changed(event: Any, _: int) -> list[Statement]:
    changes = {k: v for k, v in event.changes.items() if k in ("name", "email", "phone", "zone")}
    if not changes:
        return []
    assignments = ", ".join(f"{k} = %s" for k in changes)
    key = ("client", str(event.originator_id))
    return [
        (
            f"UPDATE rv_directory SET {assignments} WHERE kind = %s AND id = %s",
            (*changes.values(), *key),
        ),
        (
            "UPDATE rv_directory SET search = LOWER(name || ' ' || email || ' ' || phone)"
            " WHERE kind = %s AND id = %s",
            key,
        ),
    ]


DIRECTORY = View(
    name="directory",
    tables=DIRECTORY_TABLES,
    clear=("DELETE FROM rv_directory",),
    drop=("DROP TABLE IF EXISTS rv_directory",),
    handlers={
        "Client.ClientRegistered": _listed("client"),
        "Client.ClientDetailsChanged": _client_changed,
        "Therapist.TherapistRegistered": _listed("therapist"),
        "Room.RoomAdded": _listed("room"),
    },
)


# --- audit index: who did what to which aggregate, when ------------------------------------

AUDIT_TABLES = (
    "CREATE TABLE IF NOT EXISTS rv_audit ("
    " position BIGINT PRIMARY KEY, originator_id TEXT NOT NULL, version INTEGER NOT NULL,"
    " aggregate TEXT NOT NULL, event_type TEXT NOT NULL, actor_id TEXT, actor_role TEXT,"
    " at TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS rv_audit_by_aggregate ON rv_audit (originator_id, position)",
    "CREATE INDEX IF NOT EXISTS rv_audit_by_type ON rv_audit (event_type, position)",
    "CREATE INDEX IF NOT EXISTS rv_audit_by_actor ON rv_audit (actor_id, position)",
    "CREATE INDEX IF NOT EXISTS rv_audit_by_time ON rv_audit (at, position)",
)


def _audited(event: Any, position: int) -> list[Statement]:
    aggregate, _, kind = event_name(event).rpartition(".")
    actor = getattr(event, "actor", None)
    return [
        (
            "INSERT INTO rv_audit VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (
                position,
                str(event.originator_id),
                event.originator_version,
                aggregate,
                kind,
                actor.user_id if actor else None,
                actor.role.value if actor else None,
                instant(event.timestamp),
            ),
        )
    ]


AUDIT = View(
    name="audit",
    tables=AUDIT_TABLES,
    clear=("DELETE FROM rv_audit",),
    drop=("DROP TABLE IF EXISTS rv_audit",),
    handlers={},
    every_event=_audited,
)

# --- reminders: preferences, sessions and the planned reminders (see reminders.py) ----------

REMINDERS = View(
    name="reminders",
    tables=REMINDER_TABLES,
    clear=REMINDER_CLEAR,
    drop=REMINDER_DROP,
    handlers=REMINDER_HANDLERS,
)

ALL_VIEWS: tuple[View, ...] = (SESSIONS, DIRECTORY, AUDIT, REMINDERS)
