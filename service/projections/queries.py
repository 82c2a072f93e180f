"""Questions the front desk asks all day, answered from the views by index, never by replay."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from service.domain.text import unsafe_character
from service.projections.attention import needs_attention
from service.projections.caseload import (
    PROGRESS,
    ended_unrecorded,
    plans_drifting,
    plans_running_out,
    therapist_day,
)
from service.projections.directory_keys import looking_up_with, revealed
from service.projections.directory_lookup import likely_duplicates
from service.projections.faults import ReadyViews
from service.projections.paging import DEFAULT_LIMIT, MAX_LIMIT, Cursors, Page, keyset_page
from service.projections.projector import Projector
from service.projections.search import directory_page, matching
from service.projections.views import instant

SESSION_COLUMNS = (
    "s.plan_id, s.number, s.client_id, s.therapist_id, s.room_id, s.status, s.start_utc,"
    " s.end_utc, s.zone, s.local_start, s.minutes, s.late_cancel, s.unrecorded, s.kind,"
    " s.confirmed"
)
NAMES = (
    " LEFT JOIN rv_directory c ON c.kind = 'client' AND c.id = s.client_id"
    " LEFT JOIN rv_directory t ON t.kind = 'therapist' AND t.id = s.therapist_id"
    " LEFT JOIN rv_directory r ON r.kind = 'room' AND r.id = s.room_id"
)
NAMED = f"{SESSION_COLUMNS}, c.name AS client_name, t.name AS therapist_name, r.name AS room_name"


def equal_to(prefix: str, **values: str | None) -> tuple[list[str], list[Any]]:
    """WHERE conditions (and their parameters) for the columns given a value."""
    where, params = ["1 = 1"], []
    for column, value in values.items():
        if value:
            where.append(f"{prefix}{column} = %s")
            params.append(value)
    return where, params


def local_day_span(day: date, zone: str) -> tuple[str, str]:
    """The UTC instants bounding a local calendar day (23 or 25 hours at DST changes)."""
    tz = ZoneInfo(zone)
    start = datetime.combine(day, time(0), tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tz)
    return instant(start), instant(end)


class ReadModel:
    """Read-your-writes queries: each first brings the views up to the end of the log."""

    def __init__(self, projector: Projector, cursors: Cursors | None = None) -> None:
        self.projector = projector
        # A web process is given cursors under the server's secret, shared by its workers.
        self.cursors = cursors or Cursors.of_this_process()
        # Reads of a view that stopped at an event it cannot apply raise ViewStuck.
        self.recorder = ReadyViews(projector.recorder, projector.views, projector.stuck)
        self.postgres = projector.database.postgres

    def fresh(self) -> ReadModel:
        """Catch up with every event written so far, by this process or any other."""
        self.projector.catch_up()
        return self

    def sessions_between(
        self,
        start_utc: str,
        end_utc: str,
        *,
        therapist_id: str | None = None,
        room_id: str | None = None,
        client_id: str | None = None,
        limit: int = DEFAULT_LIMIT,
        cursor: str | None = None,
    ) -> Page:
        """Sessions starting in [start, end), by start time, with names; filtered as asked."""
        where, params = equal_to(
            "s.", therapist_id=therapist_id, room_id=room_id, client_id=client_id
        )
        where.append("s.start_utc >= %s AND s.start_utc < %s")
        params += [start_utc, end_utc]
        order = (("s.start_utc", "start_utc"), ("s.plan_id", "plan_id"), ("s.number", "number"))
        select = f"SELECT {NAMED} FROM rv_sessions s{NAMES}"
        return keyset_page(self.recorder, select, where, params, order, limit, cursor, self.cursors)

    def visit_ids(self, client_id: str, start_utc: str = "", end_utc: str = "") -> list[str]:
        """The ids of the client's visits outside a plan, every one, or those starting in
        [start, end) when given."""
        span = " AND start_utc >= %s AND start_utc < %s" if start_utc else ""
        rows = self.recorder.query(
            "SELECT plan_id FROM rv_sessions WHERE client_id = %s AND kind <> 'session'"
            f"{span} ORDER BY start_utc, plan_id",
            (client_id, *((start_utc, end_utc) if start_utc else ())),
        )
        return [row["plan_id"] for row in rows]

    def treats(self, therapist_id: str, client_id: str) -> bool:
        """Whether the therapist has a plan with the client or a session booked with them."""
        found = self.recorder.query(
            "SELECT 1 FROM rv_plans WHERE therapist_id = %s AND client_id = %s"
            " UNION ALL SELECT 1 FROM rv_sessions WHERE therapist_id = %s AND client_id = %s"
            " LIMIT 1",
            (therapist_id, client_id, therapist_id, client_id),
        )
        return bool(found)

    def day_sheet(self, therapist_id: str, day: date, zone: str) -> list[dict[str, Any]]:
        """A therapist's sessions of one local day, in order, cancelled ones included."""
        start, end = local_day_span(day, zone)
        return self.sessions_between(start, end, therapist_id=therapist_id, limit=MAX_LIMIT).items

    def therapist_day(self, therapist_id: str, day: date, zone: str) -> list[dict[str, Any]]:
        """A therapist's sessions and visits of one local day, in order, with their plans'
        series (see caseload.py)."""
        return therapist_day(self.recorder, therapist_id, *local_day_span(day, zone))

    def ended_unrecorded(
        self, therapist_id: str, since: datetime, ended_by: datetime
    ) -> list[dict[str, Any]]:
        """A therapist's sessions that ended in the span with nothing recorded."""
        return ended_unrecorded(self.recorder, therapist_id, since, ended_by)

    def plans_running_out(
        self,
        therapist_id: str,
        valid_until_by: date,
        visits_left_at_most: int,
        units_left_at_most: int,
    ) -> list[dict[str, Any]]:
        """A therapist's open plans whose authorization or series is running out."""
        return plans_running_out(
            self.recorder, therapist_id, valid_until_by, visits_left_at_most, units_left_at_most
        )

    def plans_drifting(self, therapist_id: str, today: date) -> list[tuple[dict[str, Any], Any]]:
        """A therapist's agreed plans drifting from their pace, each with its adherence."""
        return plans_drifting(self.recorder, therapist_id, today)

    def plans(
        self,
        *,
        client_id: str | None = None,
        therapist_id: str | None = None,
        status: str | None = None,
        client_name: str = "",
        proposed_since: datetime | None = None,
        proposed_until: datetime | None = None,
        limit: int = DEFAULT_LIMIT,
        cursor: str | None = None,
    ) -> Page:
        """Plans, newest first, with their progress counts; filtered as asked (a client's
        name, email or phone in part; proposed at or after `proposed_since`, before
        `proposed_until`)."""
        where, params = equal_to(
            "p.", client_id=client_id, therapist_id=therapist_id, status=status
        )
        if unsafe_character(client_name):
            return Page([], None)  # no stored name holds it
        if client_name:
            found = matching(self.recorder, "c.", client_name, postgres=self.postgres)
            where += found.where
            params += found.params
        if proposed_since:
            where.append("p.proposed_at >= %s")
            params.append(instant(proposed_since))
        if proposed_until:
            where.append("p.proposed_at < %s")
            params.append(instant(proposed_until))
        select = (
            f"SELECT p.*, c.name AS client_name, t.name AS therapist_name, {PROGRESS}"
            " FROM rv_plans p"
            " LEFT JOIN rv_directory c ON c.kind = 'client' AND c.id = p.client_id"
            " LEFT JOIN rv_directory t ON t.kind = 'therapist' AND t.id = p.therapist_id"
        )
        order = (("p.proposed_at", "proposed_at"), ("p.plan_id", "plan_id"))
        return keyset_page(
            self.recorder,
            select,
            where,
            params,
            order,
            limit,
            cursor,
            self.cursors,
            descending=True,
        )

    def plan_summary(self, plan_id: str) -> dict[str, Any] | None:
        """One plan's row with progress counts, or None."""
        rows = self.recorder.query(
            f"SELECT p.*, {PROGRESS} FROM rv_plans p WHERE p.plan_id = %s",
            [plan_id],
        )
        return rows[0] if rows else None

    def outcomes(self, plan_id: str) -> list[dict[str, Any]]:
        """Pain before and after, mobility and recommendation of each performed session."""
        return self.recorder.query(
            "SELECT number, start_utc, local_start, zone, pain_before, pain_after, mobility,"
            " recommendation FROM rv_sessions WHERE plan_id = %s AND status = 'performed'"
            " ORDER BY start_utc, number",
            [plan_id],
        )

    def directory(
        self, kind: str, query: str = "", limit: int = DEFAULT_LIMIT, cursor: str | None = None
    ) -> Page:
        """Clients, therapists or rooms by name; `query` matches name, email or phone."""
        if unsafe_character(query):
            return Page([], None)  # no stored name holds it; PostgreSQL cannot even take NUL
        with looking_up_with(self.projector.lookup_key):
            page = directory_page(
                self.recorder, kind, query, limit, cursor, self.cursors, postgres=self.postgres
            )
        return Page(revealed(self.projector.app, page.items), page.next_cursor)

    def likely_duplicates(
        self, name: str, email: str, phone: str, region: str | None
    ) -> list[dict[str, Any]]:
        """Clients this new one may be: same email, or same name and phone (E.164)."""
        with looking_up_with(self.projector.lookup_key):
            found = likely_duplicates(self.recorder, name, email, phone, region)
        return revealed(self.projector.app, found)

    def audit(
        self,
        *,
        originator_id: str | None = None,
        event_type: str | None = None,
        actor_id: str | None = None,
        actor_role: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = DEFAULT_LIMIT,
        cursor: str | None = None,
    ) -> Page:
        """Events by aggregate, type, actor (or actor's role) and time, in log order."""
        where, params = equal_to(
            "",
            originator_id=originator_id,
            event_type=event_type,
            actor_id=actor_id,
            actor_role=actor_role,
        )
        if since:
            where.append("at >= %s")
            params.append(instant(since.astimezone(UTC)))
        if until:
            where.append("at < %s")
            params.append(instant(until.astimezone(UTC)))
        order = (("position", "position"),)
        select = "SELECT * FROM rv_audit"
        return keyset_page(self.recorder, select, where, params, order, limit, cursor, self.cursors)

    def audit_event_types(self) -> list[str]:
        """Every kind of event the audit index holds, by name."""
        rows = self.recorder.query("SELECT DISTINCT event_type FROM rv_audit ORDER BY event_type")
        return [row["event_type"] for row in rows]

    def needs_attention(
        self, now: datetime, therapist_id: str | None = None
    ) -> list[dict[str, Any]]:
        """Rolling series the desk (or one therapist) should look at (see attention.py)."""
        return needs_attention(self.recorder, now, therapist_id=therapist_id)

    def open_plan_ids(self, *, with_authorization: bool = False) -> list[UUID]:
        """Plans that can still change (optionally only those with an authorization)."""
        # Every authorization has an end date; one counting units only has no visits.
        extra = " AND auth_valid_until IS NOT NULL" if with_authorization else ""
        rows = self.recorder.query(
            f"SELECT plan_id FROM rv_plans WHERE status IN ('proposed', 'agreed'){extra}"
        )
        return [UUID(row["plan_id"]) for row in rows]

    def plans_with_sessions_ended_unrecorded(self, before: datetime) -> list[UUID]:
        """Plans with a booked session that ended before `before` and is not flagged yet."""
        rows = self.recorder.query(
            "SELECT DISTINCT plan_id FROM rv_sessions WHERE status = 'booked'"
            " AND unrecorded = 0 AND end_utc <= %s AND kind = 'session'",
            [instant(before)],
        )
        return [UUID(row["plan_id"]) for row in rows]
