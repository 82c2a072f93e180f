"""The notices a client is owed: a booking confirmed, a session moved or cancelled by the clinic.

One notice per save, not per event: the events of one booking (a whole series, or the rest
of a plan moved) follow each other within `SAME_CHANGE`, and the later ones add their
session to the notice the first opened. That is decided from the events' own timestamps,
so a rebuild makes the same notices with the same ids, and `notice_deliveries` (kept
across rebuilds, like the reminders') remembers which went out. A client moving or
cancelling through their own page is sent no notice: the page has just told them. A booking
is confirmed whoever made it: a waitlist claim or a session booked from the client's page
gets the same confirmation as the desk's booking, as the message is what the client keeps
(the time, the clinic's address, the links to confirm, cancel or add it to a calendar).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from service.domain.client import Client
from service.domain.plan import TreatmentPlan
from service.domain.values import Role
from service.domain.visit import Visit
from service.projections.erasure_purge import notices_purged
from service.projections.rows import Write
from service.projections.view import View, instant, text

SAME_CHANGE = timedelta(seconds=60)
NOTICE_TABLES = (
    "CREATE TABLE IF NOT EXISTS rv_client_notices ("
    " notice_id TEXT PRIMARY KEY, holder_id TEXT NOT NULL, kind TEXT NOT NULL,"
    " numbers TEXT NOT NULL, opened_utc TEXT NOT NULL, last_utc TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS rv_client_notices_by_holder"
    " ON rv_client_notices (holder_id, kind, last_utc)",
    "CREATE INDEX IF NOT EXISTS rv_client_notices_by_time ON rv_client_notices (last_utc)",
)
DELIVERIES = (
    "CREATE TABLE IF NOT EXISTS notice_deliveries ("
    " notice_id TEXT PRIMARY KEY, status TEXT NOT NULL, claimed_by TEXT,"
    " claimed_until TEXT, detail TEXT, sent_at TEXT)"
)
APPEND = (
    "UPDATE rv_client_notices SET numbers = numbers || ',' || %s, last_utc = %s"
    " WHERE holder_id = %s AND kind = %s AND last_utc >= %s"
)
OPEN = (
    "INSERT INTO rv_client_notices (notice_id, holder_id, kind, numbers, opened_utc, last_utc)"
    " SELECT %s, %s, %s, %s, %s, %s WHERE NOT EXISTS (SELECT 1 FROM rv_client_notices"
    " WHERE holder_id = %s AND kind = %s AND last_utc = %s)"
)


def notice_id(holder_id: str, kind: str, version: int) -> str:
    """A notice's id: the same on every rebuild."""
    return str(uuid5(NAMESPACE_URL, f"regimen:notice:{holder_id}:{kind}:{version}"))


def _noticed(kind: str, *, by_clinic_only: bool = False) -> Any:
    def handler(event: Any, _: int) -> list[Write]:
        if by_clinic_only and event.actor.role is Role.CLIENT:
            return []
        holder, number, at = text(event.originator_id), str(event.number), instant(event.timestamp)
        since = instant(event.timestamp - SAME_CHANGE)
        new_id = notice_id(holder, kind, event.originator_version)
        return [
            (APPEND, (number, at, holder, kind, since)),
            (OPEN, (new_id, holder, kind, number, at, at, holder, kind, at)),
        ]

    return handler


NOTICES = View(
    name="notices",
    tables=NOTICE_TABLES,
    clear=("DELETE FROM rv_client_notices",),
    drop=("DROP TABLE IF EXISTS rv_client_notices",),
    looked_up=("rv_client_notices_by_holder",),  # by APPEND and OPEN
    handlers={
        TreatmentPlan.SessionBooked: _noticed("booked"),
        Visit.VisitBooked: _noticed("booked"),
        TreatmentPlan.SessionRescheduled: _noticed("moved", by_clinic_only=True),
        Visit.VisitRescheduled: _noticed("moved", by_clinic_only=True),
        TreatmentPlan.SessionCancelled: _noticed("cancelled", by_clinic_only=True),
        Visit.VisitCancelled: _noticed("cancelled", by_clinic_only=True),
        Client.ClientErased: notices_purged,
    },
)
