"""What a therapist asks of their own caseload: the day's list with each plan's series, the
sessions that ended with nothing recorded, the plans running out and the plans drifting
from their pace. Answered by index."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from service.domain.adherence import Adherence, SessionTally, adherence
from service.projections.view import instant

# A session's columns (see queries.SESSION_COLUMNS), whether it was evaluated, the plan's
# series and focus, and the names the therapist reads.
DAY_COLUMNS = (
    "s.plan_id, s.number, s.client_id, s.therapist_id, s.room_id, s.status, s.start_utc,"
    " s.end_utc, s.zone, s.local_start, s.minutes, s.late_cancel, s.unrecorded, s.kind,"
    " s.pain_after IS NOT NULL AS evaluated, p.sessions_planned, p.intention, p.focus_areas,"
    " p.status AS plan_status, c.name AS client_name, t.name AS therapist_name,"
    " r.name AS room_name"
)
DAY_SOURCE = (
    " FROM rv_sessions s LEFT JOIN rv_plans p ON p.plan_id = s.plan_id"
    " LEFT JOIN rv_directory c ON c.kind = 'client' AND c.id = s.client_id"
    " LEFT JOIN rv_directory t ON t.kind = 'therapist' AND t.id = s.therapist_id"
    " LEFT JOIN rv_directory r ON r.kind = 'room' AND r.id = s.room_id"
)
ORDER = " ORDER BY s.start_utc, s.plan_id, s.number"
MOST_LISTED = 200
# What a plan (rv_plans p) used of its series and of its authorization, booked sessions
# included: the visits and the units charged (see plan_reading.authorized_units_used).
PROGRESS = (
    "(SELECT COUNT(*) FROM rv_sessions s WHERE s.plan_id = p.plan_id"
    " AND s.status = 'performed') AS sessions_done,"
    " (SELECT COUNT(*) FROM rv_sessions s WHERE s.plan_id = p.plan_id"
    " AND s.status = 'booked') AS sessions_booked,"
    " (SELECT COUNT(*) FROM rv_sessions s WHERE s.plan_id = p.plan_id"
    " AND (s.status IN ('booked', 'performed') OR s.counted = 1)) AS auth_used,"
    " (SELECT COALESCE(SUM(s.charged_units), 0) FROM rv_sessions s"
    " WHERE s.plan_id = p.plan_id) AS auth_units_used"
)
# An open plan of the therapist, with what it used of its series and its authorization.
OPEN_PLANS = (
    "SELECT p.plan_id, p.client_id, p.status, p.intention, p.focus_areas, p.sessions_planned,"
    f" p.auth_visits, p.auth_units, p.auth_valid_until, c.name AS client_name, {PROGRESS}"
    " FROM rv_plans p LEFT JOIN rv_directory c ON c.kind = 'client' AND c.id = p.client_id"
    " WHERE p.therapist_id = %s AND p.status IN ('proposed', 'agreed')"
)
RUNNING_OUT = (
    f"SELECT * FROM ({OPEN_PLANS}) o WHERE"
    " (o.auth_valid_until IS NOT NULL"
    " AND (o.auth_valid_until <= %s OR o.auth_visits - o.auth_used <= %s"
    " OR o.auth_units - o.auth_units_used <= %s))"
    " OR (o.status = 'agreed' AND o.sessions_done > 0 AND o.sessions_booked <= 1)"
    " ORDER BY o.client_name, o.plan_id"
)


def authorization_left(authorized: int | None, used: int) -> int | None:
    """What an authorization has left of the visits or units it counts (never below zero:
    overrides go beyond it), or None if it does not count them; from a row's `auth_visits`
    and `auth_used`, or `auth_units` and `auth_units_used`."""
    return None if authorized is None else max(int(authorized) - int(used), 0)


def therapist_day(
    recorder: Any, therapist_id: str, start_utc: str, end_utc: str
) -> list[dict[str, Any]]:
    """The therapist's sessions and visits starting in [start, end), in time order, each with
    its plan's series (none for a visit) and whether it was evaluated."""
    return list(
        recorder.query(
            f"SELECT {DAY_COLUMNS}{DAY_SOURCE} WHERE s.therapist_id = %s"
            f" AND s.start_utc >= %s AND s.start_utc < %s{ORDER} LIMIT {MOST_LISTED}",
            [therapist_id, start_utc, end_utc],
        )
    )


def ended_unrecorded(
    recorder: Any, therapist_id: str, since: datetime, ended_by: datetime
) -> list[dict[str, Any]]:
    """The therapist's sessions and visits still only booked although they ended between
    `since` and `ended_by`: nothing was recorded of them (a no-show is recorded as missed)."""
    return list(
        recorder.query(
            f"SELECT {DAY_COLUMNS}{DAY_SOURCE} WHERE s.therapist_id = %s AND s.status = 'booked'"
            f" AND s.end_utc >= %s AND s.end_utc <= %s{ORDER} LIMIT {MOST_LISTED}",
            [therapist_id, instant(since), instant(ended_by)],
        )
    )


def plans_running_out(
    recorder: Any,
    therapist_id: str,
    valid_until_by: date,
    visits_left_at_most: int,
    units_left_at_most: int,
) -> list[dict[str, Any]]:
    """The therapist's open plans whose authorization ends by `valid_until_by` or has at
    most `visits_left_at_most` visits or `units_left_at_most` units left, or whose agreed
    series has begun and has at most one booked session left; by client."""
    params = [therapist_id, valid_until_by.isoformat(), visits_left_at_most, units_left_at_most]
    return list(recorder.query(RUNNING_OUT, params))


PERFORMED_OF_AGREED = (
    "SELECT p.plan_id, p.client_id, p.intention, p.focus_areas, p.interval_days,"
    " c.name AS client_name, s.local_start FROM rv_plans p"
    " JOIN rv_sessions s ON s.plan_id = p.plan_id AND s.status = 'performed'"
    " LEFT JOIN rv_directory c ON c.kind = 'client' AND c.id = p.client_id"
    " WHERE p.therapist_id = %s AND p.status = 'agreed'"
    " ORDER BY c.name, p.plan_id, s.start_utc"
)


def plans_drifting(
    recorder: Any, therapist_id: str, today: date
) -> list[tuple[dict[str, Any], Adherence]]:
    """The therapist's agreed plans whose sessions drift from the planned interval (a gap, or
    the time since the last session, past it by more than half an interval), by client."""
    performed: dict[str, list[dict[str, Any]]] = {}
    for row in recorder.query(PERFORMED_OF_AGREED, [therapist_id]):
        performed.setdefault(row["plan_id"], []).append(row)
    drifting = []
    for rows in performed.values():
        days = [date.fromisoformat(str(r["local_start"])[:10]) for r in rows]
        found = adherence(
            int(rows[0]["interval_days"]), days, SessionTally(), today=today, open_plan=True
        )
        if found.drifting:
            drifting.append((rows[0], found))
    return drifting
