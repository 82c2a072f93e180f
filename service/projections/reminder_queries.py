"""Reading the reminder schedule: a client's, the clinic's by status, and a client's feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from service.adapters.view_recorders import ViewRecorder
from service.projections.faults import ReadyViews
from service.projections.locked import ViewDatabase
from service.projections.paging import DEFAULT_LIMIT, Cursors, Page, keyset_page
from service.projections.queries import equal_to
from service.projections.reminder_planner import ReminderPlanner, preferences_of

STATUSES = ("scheduled", "sent", "cancelled", "failed")
# The planned reminders with their delivery state, and reminders sent (or failed) for a
# time the session no longer has: the schedule shows what was sent even after a move.
SCHEDULE = (
    "SELECT * FROM ("
    " SELECT r.reminder_id, r.session_start_utc, r.client_id, r.plan_id, r.number, r.channel,"
    " r.lead_minutes, r.due_utc, r.due_local, r.zone, r.quiet_moved,"
    " CASE WHEN d.status IN ('sent', 'failed', 'cancelled') THEN d.status"
    " WHEN r.status = 'cancelled' THEN 'cancelled' ELSE 'scheduled' END AS status,"
    " COALESCE(d.attempts, 0) AS attempts, d.sent_at, d.last_error, d.next_try_utc"
    " FROM rv_reminders r LEFT JOIN reminder_deliveries d"
    "  ON d.reminder_id = r.reminder_id AND d.session_start_utc = r.session_start_utc"
    " UNION ALL"
    " SELECT d.reminder_id, d.session_start_utc, d.client_id, d.plan_id, d.number, d.channel,"
    " d.lead_minutes, d.due_utc, d.due_local, d.zone, 0, d.status, d.attempts, d.sent_at,"
    " d.last_error, d.next_try_utc FROM reminder_deliveries d"
    " WHERE d.status IN ('sent', 'failed') AND NOT EXISTS (SELECT 1 FROM rv_reminders r"
    "  WHERE r.reminder_id = d.reminder_id AND r.session_start_utc = d.session_start_utc)"
    ") x"
)
OVERVIEW = (
    "SELECT s.status, count(*) AS reminders,"
    " sum(CASE WHEN s.due_utc <= %s THEN 1 ELSE 0 END) AS due,"
    " min(s.due_utc) AS oldest_due"
    f" FROM ({SCHEDULE}) s GROUP BY s.status"
)
FEED_SESSIONS = (
    "SELECT s.plan_id, s.number, s.status, s.start_utc, s.minutes, s.zone,"
    " s.sequence + c.alarms_version - s.alarms_base AS sequence,"
    " CASE WHEN c.alarms_at > s.updated_at THEN c.alarms_at ELSE s.updated_at END AS stamp,"
    " t.name AS therapist_name, m.name AS room_name"
    " FROM rv_reminder_sessions s JOIN rv_reminder_clients c ON c.client_id = s.client_id"
    " LEFT JOIN rv_directory t ON t.kind = 'therapist' AND t.id = s.therapist_id"
    " LEFT JOIN rv_directory m ON m.kind = 'room' AND m.id = s.room_id"
    " WHERE s.client_id = %s ORDER BY s.start_utc, s.plan_id, s.number"
)


@dataclass(frozen=True)
class FeedRows:
    """A feed's client row (with preferences) and sessions."""

    client: dict[str, Any]
    sessions: list[dict[str, Any]]


class ReminderQueries:
    """Reads of the reminder view; each first plans the sessions the view marked dirty."""

    def __init__(self, recorder: ViewRecorder | ReadyViews, cursors: Cursors | None = None) -> None:
        self.recorder = recorder
        self.cursors = cursors or Cursors.of_this_process()
        self.planner = ReminderPlanner(ViewDatabase.of(recorder))

    def fresh(self, now: datetime) -> ReminderQueries:
        """Plan what the view has caught up with (call after the projector's catch_up)."""
        self.planner.replan(now)
        return self

    def schedule(
        self,
        *,
        client_id: str | None = None,
        status: str | None = None,
        limit: int = DEFAULT_LIMIT,
        cursor: str | None = None,
    ) -> Page:
        """Reminders by due time, with their status; a client's, or everyone's."""
        where, params = equal_to("x.", client_id=client_id, status=status)
        order = (
            ("x.due_utc", "due_utc"),
            ("x.reminder_id", "reminder_id"),
            ("x.session_start_utc", "session_start_utc"),
        )
        return keyset_page(
            self.recorder, SCHEDULE, where, params, order, limit, cursor, self.cursors
        )

    def overview(self, now_utc: str) -> dict[str, dict[str, Any]]:
        """By status: how many reminders, how many are due at `now_utc` (the view's instant
        text), and the oldest due time; every status present, zero when none."""
        found = {row["status"]: row for row in self.recorder.query(OVERVIEW, [now_utc])}
        return {
            status: {
                "reminders": int(found[status]["reminders"]) if status in found else 0,
                "due": int(found[status]["due"] or 0) if status in found else 0,
                "oldest_due": found[status]["oldest_due"] if status in found else None,
            }
            for status in STATUSES
        }

    def feed(self, token_hash: str) -> FeedRows | None:
        """The client holding this feed token, and their sessions; None for no such token."""
        clients = self.recorder.query(
            "SELECT * FROM rv_reminder_clients WHERE feed_hash = %s", [token_hash]
        )
        if not clients:
            return None
        client = clients[0]
        client["preferences"] = preferences_of(client)
        return FeedRows(client, self.recorder.query(FEED_SESSIONS, [client["client_id"]]))

    def feed_hash(self, client_id: str) -> str | None:
        """The hash of the client's current feed token; None without a feed (or a client)."""
        rows = self.recorder.query(
            "SELECT feed_hash FROM rv_reminder_clients WHERE client_id = %s", [client_id]
        )
        return rows[0]["feed_hash"] if rows else None
