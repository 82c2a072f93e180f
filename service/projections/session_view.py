"""The sessions view: day sheets, calendars, client schedules, plan lists and progress."""

from __future__ import annotations

from functools import cache
from typing import Any

from service.projections.recorders import Statement
from service.projections.view import Event, Handler, View, instant

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
