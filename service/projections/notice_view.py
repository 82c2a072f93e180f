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

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from service.adapters.view_statements import Statement
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


@dataclass(slots=True)  # never changed once made
class Noticed:
    """Events of one holder and kind that add to one notice: APPEND to the notice left open
    within `SAME_CHANGE` before the first of them (`since`), else OPEN one.

    The events of one booking come one after another, within `SAME_CHANGE` of each other:
    written one by one, the first appends to an open notice or opens one, and each later
    one appends to that notice. So a run of them is one APPEND of all their numbers from
    the first one's `since`, and one OPEN as of the first of them holding all the numbers,
    last changed at the last: the same rows, two statements instead of two per event.
    """

    holder: str
    kind: str
    numbers: str  # comma-separated, in order
    version: int  # of the first event (the id of a notice it opens)
    opened: str  # the first event's instant
    since: str  # SAME_CHANGE before the first event: notices changed since take the numbers
    last: str  # the last event's instant

    def absorbs(self, write: Write) -> bool:
        """The next event of the same holder and kind, no earlier, and soon enough after
        this one to add to the same notice (compared as the SQL compares them, as text)."""
        return (
            type(write) is Noticed
            and write.holder == self.holder
            and write.kind == self.kind
            and self.last <= write.opened
            and write.since <= self.last
        )

    def then(self, later: Noticed) -> Noticed:
        """These events and then `later`'s, as one write."""
        numbers = f"{self.numbers},{later.numbers}"
        return Noticed(
            self.holder, self.kind, numbers, self.version, self.opened, self.since, later.last
        )

    def statements(self) -> list[Statement]:
        """APPEND, then OPEN unless the APPEND found a notice."""
        holder, kind, last = self.holder, self.kind, self.last
        new_id = notice_id(holder, kind, self.version)
        return [
            (APPEND, (self.numbers, last, holder, kind, self.since)),
            (OPEN, (new_id, holder, kind, self.numbers, self.opened, last, holder, kind, last)),
        ]


def _noticed(kind: str, *, by_clinic_only: bool = False) -> Any:
    def handler(event: Any, _: int) -> list[Write]:
        if by_clinic_only and event.actor.role is Role.CLIENT:
            return []
        at, since = instant(event.timestamp), instant(event.timestamp - SAME_CHANGE)
        holder, version = text(event.originator_id), event.originator_version
        return [Noticed(holder, kind, str(event.number), version, at, since, at)]

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
