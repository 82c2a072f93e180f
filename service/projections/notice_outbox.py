"""Claims of the notices owed to clients, and what became of each (`notice_deliveries`).

A notice is due once its booking has settled (`SETTLE` after its last event) and while it
is recent (`MAX_AGE`): a view built afresh over an old history owes no one a notice. One
dispatcher claims a notice with an upsert that only succeeds if no one holds or settled it.
A notice is sent once: a failure is recorded for the desk, not retried (the reminders are).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from service.projections.locked import ViewDatabase, claim_token
from service.projections.view import instant
from service.reminders.notices import NoticeClaim

SETTLE = timedelta(seconds=30)
MAX_AGE = timedelta(hours=6)
LEASE = timedelta(minutes=10)
DUE = (
    "SELECT n.notice_id, n.holder_id, n.kind, n.numbers FROM rv_client_notices n"
    " LEFT JOIN notice_deliveries d ON d.notice_id = n.notice_id"
    " WHERE n.last_utc <= %s AND n.last_utc > %s"
    " AND (d.notice_id IS NULL OR (d.status = 'claimed' AND d.claimed_until <= %s))"
    " ORDER BY n.last_utc, n.notice_id LIMIT %s"
)
TAKE = (
    "INSERT INTO notice_deliveries VALUES (%s, 'claimed', %s, %s, NULL, NULL)"
    " ON CONFLICT (notice_id) DO UPDATE SET claimed_by = excluded.claimed_by,"
    " claimed_until = excluded.claimed_until"
    " WHERE notice_deliveries.status = 'claimed' AND notice_deliveries.claimed_until <= %s"
    " RETURNING notice_id"
)


class NoticeOutbox:
    """Due notices, claimed atomically; their outcome recorded by the claim's holder."""

    def __init__(self, database: ViewDatabase, lease: timedelta = LEASE) -> None:
        self.database = database
        self.lease = lease

    def claim(self, now: datetime, worker: str, limit: int) -> list[NoticeClaim]:
        """Take up to `limit` due notices."""
        at, token = instant(now), claim_token(worker)
        settled, oldest = instant(now - SETTLE), instant(now - MAX_AGE)
        lock = " FOR UPDATE OF n SKIP LOCKED" if self.database.postgres else ""
        claims = []
        with self.database.locked() as transaction:
            for row in transaction.rows(DUE + lock, (settled, oldest, at, limit)):
                until = instant(now + self.lease)
                if transaction.rows(TAKE, (row["notice_id"], token, until, at)):
                    numbers = sorted({int(n) for n in row["numbers"].split(",") if n})
                    claims.append(
                        NoticeClaim(
                            UUID(row["notice_id"]),
                            UUID(row["holder_id"]),
                            row["kind"],
                            tuple(numbers),
                            token,
                        )
                    )
        return claims

    def settle(self, claim: NoticeClaim, now: datetime, status: str, detail: str = "") -> bool:
        """Record the outcome (sent, failed, cancelled) of a notice this dispatcher holds:
        one UPDATE that checks the claim and records it, committed when it returns."""
        done = self.database.statement(
            "UPDATE notice_deliveries SET status = %s, detail = %s, sent_at = %s,"
            " claimed_by = NULL, claimed_until = NULL"
            " WHERE notice_id = %s AND claimed_by = %s AND status = 'claimed'"
            " RETURNING notice_id",
            (status, detail[:500], instant(now), str(claim.notice_id), claim.token),
        )
        return bool(done)

    def deliveries(self, status: str | None, limit: int = 200) -> list[dict[str, Any]]:
        """What became of the latest notices (of one status), newest first, for the desk."""
        where = "WHERE d.status = %s" if status else ""
        with self.database.reading() as transaction:
            return transaction.rows(
                "SELECT d.notice_id, n.holder_id, n.kind, n.numbers, n.last_utc AS changed_at,"
                " d.status, d.detail, d.sent_at FROM notice_deliveries d"
                f" LEFT JOIN rv_client_notices n ON n.notice_id = d.notice_id {where}"
                " ORDER BY d.sent_at DESC, d.notice_id LIMIT %s",
                (status, limit) if status else (limit,),
            )
