"""The sessions view: day sheets, calendars, client schedules, plan lists and progress."""

from __future__ import annotations

from typing import Any

from service.domain.billing_units import units_for
from service.domain.client import Client
from service.domain.plan import TreatmentPlan
from service.domain.visit import Visit
from service.projections.erasure_purge import sessions_purged
from service.projections.rows import NewRow, RowChange, Write
from service.projections.view import Handler, View, instant, text, time_columns

SESSION_TABLES = (
    "CREATE TABLE IF NOT EXISTS rv_sessions ("
    " plan_id TEXT NOT NULL, number INTEGER NOT NULL, client_id TEXT NOT NULL,"
    " therapist_id TEXT NOT NULL, room_id TEXT, status TEXT NOT NULL,"
    " start_utc TEXT NOT NULL, end_utc TEXT NOT NULL, zone TEXT NOT NULL,"
    " local_start TEXT NOT NULL, minutes INTEGER NOT NULL,"
    " late_cancel INTEGER NOT NULL DEFAULT 0, counted INTEGER NOT NULL DEFAULT 0,"
    " unrecorded INTEGER NOT NULL DEFAULT 0, pain_before INTEGER, pain_after INTEGER,"
    " mobility TEXT, recommendation TEXT, kind TEXT NOT NULL DEFAULT 'session',"
    " confirmed INTEGER NOT NULL DEFAULT 0, planned_units INTEGER NOT NULL DEFAULT 0,"
    " charged_units INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (plan_id, number))",
    "CREATE INDEX IF NOT EXISTS rv_sessions_by_therapist ON rv_sessions (therapist_id, start_utc)",
    "CREATE INDEX IF NOT EXISTS rv_sessions_by_room ON rv_sessions (room_id, start_utc)",
    "CREATE INDEX IF NOT EXISTS rv_sessions_by_client ON rv_sessions (client_id, start_utc)",
    "CREATE INDEX IF NOT EXISTS rv_sessions_by_start ON rv_sessions (start_utc, plan_id, number)",
    "CREATE TABLE IF NOT EXISTS rv_plans ("
    " plan_id TEXT PRIMARY KEY, client_id TEXT NOT NULL, therapist_id TEXT NOT NULL,"
    " room_id TEXT, status TEXT NOT NULL, intention TEXT NOT NULL, focus_areas TEXT NOT NULL,"
    " sessions_planned INTEGER NOT NULL, interval_days INTEGER NOT NULL,"
    " session_minutes INTEGER NOT NULL, auth_visits INTEGER, auth_units INTEGER,"
    " auth_valid_until TEXT,"
    " proposed_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
    " blocked TEXT, blocked_since TEXT, passed_unbooked TEXT, passed_at TEXT)",
    "CREATE INDEX IF NOT EXISTS rv_plans_by_client ON rv_plans (client_id, proposed_at, plan_id)",
    "CREATE INDEX IF NOT EXISTS rv_plans_by_therapist"
    " ON rv_plans (therapist_id, proposed_at, plan_id)",
    "CREATE INDEX IF NOT EXISTS rv_plans_by_status ON rv_plans (status, proposed_at, plan_id)",
    "CREATE INDEX IF NOT EXISTS rv_plans_by_time ON rv_plans (proposed_at, plan_id)",
    "CREATE INDEX IF NOT EXISTS rv_plans_blocked ON rv_plans (blocked_since)",
    "CREATE INDEX IF NOT EXISTS rv_plans_passed ON rv_plans (passed_at)",
)


def _session_key(event: Any) -> dict[str, Any]:
    return {"plan_id": text(event.originator_id), "number": event.number}


def _set_session(event: Any, **columns: Any) -> list[Write]:
    return [RowChange("rv_sessions", _session_key(event), columns)]


def _plan_key(event: Any) -> dict[str, Any]:
    return {"plan_id": text(event.originator_id)}


def _plan_proposed(event: Any, _: int) -> list[Write]:
    auth = event.authorization
    at = instant(event.timestamp)
    columns = {
        "client_id": text(event.client_id),
        "therapist_id": text(event.therapist_id),
        "room_id": text(event.room_id) if event.room_id else None,
        "status": "proposed",
        "intention": event.intention.value,
        "focus_areas": ", ".join(event.focus_areas),
        "sessions_planned": event.series.sessions,
        "interval_days": event.series.interval_days,
        "session_minutes": event.series.session_minutes,
        "auth_visits": auth.visits if auth else None,
        "auth_units": auth.units if auth else None,
        "auth_valid_until": auth.valid_until.isoformat() if auth else None,
        "proposed_at": at,
        "updated_at": at,
    }
    return [NewRow("rv_plans", _plan_key(event), columns)]


def _plan_status(status: str) -> Handler:
    def handler(event: Any, _: int) -> list[Write]:
        columns = {"status": status, "updated_at": instant(event.timestamp)}
        return [RowChange("rv_plans", _plan_key(event), columns)]

    return handler


def _plan_revised(event: Any, _: int) -> list[Write]:
    series = event.series
    columns = {
        "sessions_planned": series.sessions,
        "interval_days": series.interval_days,
        "session_minutes": series.session_minutes,
        "updated_at": instant(event.timestamp),
    }
    return [RowChange("rv_plans", _plan_key(event), columns)]


def _set_plan(event: Any, **columns: Any) -> list[Write]:
    columns["updated_at"] = instant(event.timestamp)
    return [RowChange("rv_plans", _plan_key(event), columns)]


def _extension_blocked(event: Any, _: int) -> list[Write]:
    listed = "; ".join(f"{c.local_start:%a %d %b %H:%M}: {c.detail}" for c in event.conflicts)
    return _set_plan(event, blocked=listed, blocked_since=instant(event.timestamp))


def _extension_unblocked(event: Any, _: int) -> list[Write]:
    return _set_plan(event, blocked=None, blocked_since=None)


def _passed_unbooked(event: Any, _: int) -> list[Write]:
    listed = ", ".join(f"{local:%a %d %b %H:%M}" for local in event.occurrences)
    return _set_plan(event, passed_unbooked=listed, passed_at=instant(event.timestamp))


def _timed(event: Any) -> dict[str, Any]:
    """The time columns of a booked or moved session, and the units its minutes bill: what
    it charges to its plan's authorization while booked (see plan_reading.session_units)."""
    planned = units_for(event.time.minutes)
    return {**time_columns(event), "planned_units": planned, "charged_units": planned}


def _billed(event: Any) -> dict[str, Any]:
    """A performed session recorded with codes charges their billed units; one recorded
    without codes goes on charging its planned units."""
    return {"charged_units": sum(code.units for code in event.billed)} if event.billed else {}


def _uncharged(event: Any) -> dict[str, Any]:
    """A cancelled or missed session charges its planned units only if it counts."""
    return {} if event.counts_against_authorization else {"charged_units": 0}


def _session_booked(event: Any, _: int) -> list[Write]:
    # The client is the plan's: read from its row, which outlives the session's.
    booked = NewRow(
        "rv_sessions",
        _session_key(event),
        _timed(event),
        selected={"client_id": "client_id", "status": "'booked'"},
        source="FROM rv_plans WHERE plan_id = %s",
        source_params=(text(event.originator_id),),
    )
    return [booked]


def _visit_booked(event: Any, _: int) -> list[Write]:
    # A visit is one session, number 0, under the visit's own id; its client is its own.
    columns = {
        **_timed(event),
        "client_id": text(event.client_id),
        "status": "booked",
        "kind": event.kind.value,
    }
    return [NewRow("rv_sessions", _session_key(event), columns)]


def _session_rescheduled(event: Any, _: int) -> list[Write]:
    return _set_session(event, **_timed(event), unrecorded=0, confirmed=0)


def _attendance_confirmed(event: Any, _: int) -> list[Write]:
    # Only while the session is still booked at the time the client confirmed.
    return [
        (
            "UPDATE rv_sessions SET confirmed = 1 WHERE plan_id = %s AND number = %s"
            " AND start_utc = %s AND status = 'booked'",
            (text(event.plan_id), event.number, instant(event.start)),
        )
    ]


def _session_cancelled(event: Any, _: int) -> list[Write]:
    return _set_session(
        event,
        status="cancelled",
        late_cancel=int(event.late_cancel),
        counted=int(event.counts_against_authorization),
        **_uncharged(event),
    )


def _session_missed(event: Any, _: int) -> list[Write]:
    counted = int(event.counts_against_authorization)
    return _set_session(event, status="missed", counted=counted, **_uncharged(event))


def _session_performed(event: Any, _: int) -> list[Write]:
    pain_before = event.performance.pain_before
    return _set_session(event, status="performed", pain_before=pain_before, **_billed(event))


def _record_amended(event: Any, _: int) -> list[Write]:
    amended = _set_session(event, pain_before=event.performance.pain_before, **_billed(event))
    if event.billed:
        return amended
    # The codes taken out: the session charges its planned units again.
    planned = (
        "UPDATE rv_sessions SET charged_units = planned_units WHERE plan_id = %s AND number = %s",
        (text(event.originator_id), event.number),
    )
    return [*amended, planned]


def _outcome_evaluated(event: Any, _: int) -> list[Write]:
    evaluation = event.evaluation
    return _set_session(
        event,
        pain_after=evaluation.pain_after,
        mobility=evaluation.mobility.value,
        recommendation=evaluation.recommendation.value,
    )


def _session_unrecorded(event: Any, _: int) -> list[Write]:
    return _set_session(event, unrecorded=1)


SESSIONS = View(
    name="sessions",
    tables=SESSION_TABLES,
    clear=("DELETE FROM rv_sessions", "DELETE FROM rv_plans"),
    drop=("DROP TABLE IF EXISTS rv_sessions", "DROP TABLE IF EXISTS rv_plans"),
    # 2: rv_plans says which rolling series need the desk's attention; 3: confirmed;
    # 4: the units each session charges to its plan's authorization, and the units authorized
    version=4,
    handlers={
        TreatmentPlan.PlanProposed: _plan_proposed,
        TreatmentPlan.PlanAgreed: _plan_status("agreed"),
        TreatmentPlan.PlanCompleted: _plan_status("completed"),
        TreatmentPlan.PlanCancelled: _plan_status("cancelled"),
        TreatmentPlan.PlanRevised: _plan_revised,
        TreatmentPlan.SessionBooked: _session_booked,
        TreatmentPlan.SessionRescheduled: _session_rescheduled,
        TreatmentPlan.SessionCancelled: _session_cancelled,
        TreatmentPlan.SessionMissed: _session_missed,
        TreatmentPlan.SessionPerformed: _session_performed,
        TreatmentPlan.OutcomeEvaluated: _outcome_evaluated,
        TreatmentPlan.SessionRecordAmended: _record_amended,
        TreatmentPlan.EvaluationAmended: _outcome_evaluated,
        TreatmentPlan.SessionLeftUnrecorded: _session_unrecorded,
        TreatmentPlan.SeriesExtensionBlocked: _extension_blocked,
        TreatmentPlan.SeriesExtensionUnblocked: _extension_unblocked,
        TreatmentPlan.OccurrencesPassedUnbooked: _passed_unbooked,
        Visit.VisitBooked: _visit_booked,
        Visit.VisitRescheduled: _session_rescheduled,
        Visit.VisitCancelled: _session_cancelled,
        Visit.VisitMissed: _session_missed,
        Visit.VisitPerformed: _session_performed,
        Visit.VisitRecordAmended: _record_amended,
        Client.AttendanceConfirmed: _attendance_confirmed,
        Client.ClientErased: sessions_purged,
    },
)
