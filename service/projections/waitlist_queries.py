"""Reading the waitlist's view: who waits, what awaits an offer, the offers in flight."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from service.adapters.view_recorders import ViewRecorder
from service.projections.faults import ReadyViews
from service.projections.locked import ViewDatabase
from service.projections.queries import ReadModel
from service.projections.view import instant

SHOWN = 200
ENTRY_COLUMNS = (
    "e.entry_id, e.client_id, e.therapist_id, e.plan_id, e.windows, e.first_day, e.last_day,"
    " e.visit_kind, e.joined_at, e.status, c.name AS client_name, t.name AS therapist_name"
)
OFFER_COLUMNS = (
    "o.offer_id, o.holder_id, o.number, o.therapist_id, o.room_id, o.start_utc, o.zone,"
    " o.local_start, o.minutes, o.status, o.round, o.hold_until, o.claimed_entry,"
    " o.closed_reason, o.opened_at, t.name AS therapist_name, r.name AS room_name,"
    " (SELECT COUNT(*) FROM rv_waitlist_offered x WHERE x.offer_id = o.offer_id) AS offered,"
    " (SELECT COUNT(*) FROM waitlist_offer_messages m WHERE m.offer_id = o.offer_id"
    "  AND m.status = 'sent') AS messages_sent,"
    " (SELECT c.name FROM rv_waitlist_entries e JOIN rv_directory c"
    "  ON c.kind = 'client' AND c.id = e.client_id WHERE e.entry_id = o.claimed_entry)"
    " AS claimed_by"
)
OFFER_NAMES = (
    " LEFT JOIN rv_directory t ON t.kind = 'therapist' AND t.id = o.therapist_id"
    " LEFT JOIN rv_directory r ON r.kind = 'room' AND r.id = o.room_id"
)


class WaitlistQueries:
    """Reads of the waitlist view (the caller catches the views up first)."""

    def __init__(self, recorder: ViewRecorder | ReadyViews, database: ViewDatabase) -> None:
        self.recorder = recorder
        self.database = database

    @classmethod
    def of(cls, model: ReadModel) -> WaitlistQueries:
        """The waitlist's queries over a read model (caught up by the caller)."""
        return cls(model.recorder, ViewDatabase.of(model.projector.recorder))

    def waiting_for(self, therapist_id: str) -> list[str]:
        """The waiting entries that would take this therapist (those for any, too)."""
        return self._entry_ids(
            "status = 'waiting' AND (therapist_id IS NULL OR therapist_id = %s)", therapist_id
        )

    def entries_of(self, client_id: str) -> list[str]:
        """Every entry the client has had, waiting or not, in the order they joined."""
        return self._entry_ids("client_id = %s ORDER BY joined_at, entry_id", client_id)

    def _entry_ids(self, where: str, value: str) -> list[str]:
        rows = self.recorder.query(
            f"SELECT entry_id FROM rv_waitlist_entries WHERE {where}", [value]
        )
        return [row["entry_id"] for row in rows]

    def booked_between(self, clients: Sequence[str], start: datetime, end: datetime) -> set[str]:
        """Those of these clients with a session or visit booked that overlaps [start, end)
        (by the sessions view's client index)."""
        marks = ", ".join(["%s"] * len(clients))
        rows = self.recorder.query(
            f"SELECT DISTINCT client_id FROM rv_sessions WHERE client_id IN ({marks})"
            " AND status = 'booked' AND start_utc < %s AND end_utc > %s",
            [*clients, instant(end), instant(start)],
        )
        return {row["client_id"] for row in rows}

    def freed_to_offer(self, limit: int = SHOWN) -> list[tuple[str, int]]:
        """Cancelled sessions and visits whose time has not been offered yet, oldest first."""
        rows = self.recorder.query(
            "SELECT holder_id, number FROM rv_waitlist_freed WHERE handled = 0"
            " ORDER BY position LIMIT %s",
            [limit],
        )
        return [(row["holder_id"], int(row["number"])) for row in rows]

    def lapsed_offers(self, now: datetime, limit: int = SHOWN) -> list[tuple[str, str]]:
        """Open offers whose hold has run out: their ids and their therapists."""
        rows = self.recorder.query(
            "SELECT offer_id, therapist_id FROM rv_waitlist_offers WHERE status = 'open'"
            " AND (hold_until IS NULL OR hold_until <= %s) ORDER BY hold_until LIMIT %s",
            [instant(now), limit],
        )
        return [(row["offer_id"], row["therapist_id"]) for row in rows]

    def entries(self, status: str | None = "waiting", limit: int = SHOWN) -> list[dict[str, Any]]:
        """Waitlist entries (waiting ones by default), longest waiting first, with names."""
        where, params = ("WHERE e.status = %s", [status]) if status else ("", [])
        return self.recorder.query(
            f"SELECT {ENTRY_COLUMNS} FROM rv_waitlist_entries e"
            " LEFT JOIN rv_directory c ON c.kind = 'client' AND c.id = e.client_id"
            " LEFT JOIN rv_directory t ON t.kind = 'therapist' AND t.id = e.therapist_id"
            f" {where} ORDER BY e.joined_at, e.entry_id LIMIT %s",
            [*params, limit],
        )

    def offers(self, status: str | None = None, limit: int = SHOWN) -> list[dict[str, Any]]:
        """Offers, newest first (open ones alone with `status='open'`), with names."""
        where, params = ("WHERE o.status = %s", [status]) if status else ("", [])
        return self.recorder.query(
            f"SELECT {OFFER_COLUMNS} FROM rv_waitlist_offers o{OFFER_NAMES}"
            f" {where} ORDER BY o.opened_at DESC, o.offer_id LIMIT %s",
            [*params, limit],
        )

    def mark_offered(self, holder_id: str, number: int) -> None:
        """Record that a freed time was dealt with (offered, or found not to be offered)."""
        with self.database.locked() as transaction:
            transaction.run(
                "UPDATE rv_waitlist_freed SET handled = 1 WHERE holder_id = %s AND number = %s",
                (holder_id, number),
            )
