"""The reminder outbox: atomic claims of due reminders, and their delivery state.

A claim reads due reminders of sessions still booked at that time (`FOR UPDATE SKIP
LOCKED` on PostgreSQL so two dispatchers take different rows; `BEGIN IMMEDIATE` on
SQLite so they take turns) and records each in `reminder_deliveries` with an upsert that
only succeeds if no one holds or finished it: that upsert is the final arbiter, so a
reminder is claimed by one dispatcher only, even if the two read the same row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from service.domain.reminders import Channel
from service.projections.held_claims import HeldClaims
from service.projections.locked import claim_token
from service.projections.reminders import instant
from service.reminders.claims import Claim

CLAIMABLE = (
    "(d.reminder_id IS NULL OR (d.status = 'retry' AND d.next_try_utc <= %s)"
    " OR (d.status = 'claimed' AND d.claimed_until <= %s))"
)
COPIED = (
    "reminder_id",
    "session_start_utc",
    "client_id",
    "plan_id",
    "number",
    "channel",
    "lead_minutes",
    "due_utc",
    "due_local",
    "zone",
)
DUE = (
    f"SELECT {', '.join('r.' + c for c in COPIED)} FROM rv_reminders r"
    " JOIN rv_reminder_sessions s ON s.plan_id = r.plan_id AND s.number = r.number"
    " LEFT JOIN reminder_deliveries d"
    "  ON d.reminder_id = r.reminder_id AND d.session_start_utc = r.session_start_utc"
    " WHERE r.status = 'scheduled' AND r.due_utc <= %s AND r.session_start_utc > %s"
    " AND s.status = 'booked' AND s.start_utc = r.session_start_utc AND s.dirty = 0"
    f" AND {CLAIMABLE} ORDER BY r.due_utc, r.reminder_id LIMIT %s"
)
TAKE = (
    "INSERT INTO reminder_deliveries VALUES"
    " (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 'claimed', 0, NULL, %s, %s, NULL, NULL)"
    " ON CONFLICT (reminder_id, session_start_utc) DO UPDATE"
    " SET status = 'claimed', claimed_by = excluded.claimed_by,"
    " claimed_until = excluded.claimed_until"
    " WHERE (reminder_deliveries.status = 'retry' AND reminder_deliveries.next_try_utc <= %s)"
    " OR (reminder_deliveries.status = 'claimed' AND reminder_deliveries.claimed_until <= %s)"
    " RETURNING attempts"
)
TOO_LATE = (
    f"INSERT INTO reminder_deliveries SELECT {', '.join('r.' + c for c in COPIED)},"
    " 'failed', 0, NULL, NULL, NULL, %s, NULL FROM rv_reminders r"
    " JOIN rv_reminder_sessions s ON s.plan_id = r.plan_id AND s.number = r.number"
    " WHERE r.status = 'scheduled' AND r.session_start_utc <= %s AND s.status = 'booked'"
    " AND s.start_utc = r.session_start_utc AND s.dirty = 0"
    " ON CONFLICT (reminder_id, session_start_utc) DO NOTHING RETURNING reminder_id"
)
STILL_PLANNED = (
    "EXISTS (SELECT 1 FROM rv_reminders r WHERE r.reminder_id = reminder_deliveries.reminder_id"
    " AND r.session_start_utc = reminder_deliveries.session_start_utc"
    " AND r.status = 'scheduled')"
)
NOT_SENT_IN_TIME = "the session began before the reminder could be sent"


class ReminderOutbox(HeldClaims[Claim]):
    """Claims and delivery state in `reminder_deliveries` (kept across view rebuilds)."""

    TABLE = "reminder_deliveries"
    KEY = ("reminder_id", "session_start_utc")

    def claim(self, now: datetime, worker: str, limit: int) -> list[Claim]:
        """Atomically take up to `limit` due reminders of sessions still booked at that time."""
        at = instant(now)
        token = claim_token(worker)
        until = instant(now + self.lease)
        lock = " FOR UPDATE OF r SKIP LOCKED" if self.database.postgres else ""
        claims = []
        with self.database.locked() as transaction:
            for row in transaction.rows(DUE + lock, (at, at, at, at, limit)):
                values = [row[column] for column in COPIED]
                taken = transaction.rows(TAKE, (*values, token, until, at, at))
                if taken:
                    claims.append(_claim(row, taken[0]["attempts"], token))
        return claims

    def give_up_on_started(self, now: datetime) -> int:
        """Mark failed the unsent reminders of sessions that have begun; returns how many."""
        at = instant(now)
        with self.database.locked() as transaction:
            never_tried = transaction.rows(TOO_LATE, (NOT_SENT_IN_TIME, at))
            retrying = transaction.rows(
                "UPDATE reminder_deliveries SET status = 'failed', last_error = %s,"
                " next_try_utc = NULL"
                f" WHERE status = 'retry' AND session_start_utc <= %s AND {STILL_PLANNED}"
                " RETURNING reminder_id",
                (NOT_SENT_IN_TIME, at),
            )
            transaction.run(  # retries of a session since moved or cancelled: not wanted
                "UPDATE reminder_deliveries SET status = 'cancelled'"
                f" WHERE status = 'retry' AND session_start_utc <= %s AND NOT {STILL_PLANNED}",
                (at,),
            )
        return len(never_tried) + len(retrying)

    def sent(self, claim: Claim, now: datetime) -> bool:
        """Record the reminder as sent."""
        return self._settle(
            claim, "status = 'sent', attempts = attempts + 1, sent_at = %s", instant(now)
        )

    def failed(self, claim: Claim, now: datetime, error: str) -> bool:
        """Record that the reminder will not be sent."""
        return self._settle(
            claim,
            "status = 'failed', attempts = attempts + 1, last_error = %s, next_try_utc = NULL",
            error[:500],
        )

    def cancelled(self, claim: Claim, now: datetime, reason: str) -> bool:
        """Record that the reminder is no longer wanted."""
        return self._settle(claim, "status = 'cancelled', last_error = %s", reason[:500])

    def _key(self, claim: Claim) -> tuple[str, ...]:
        return str(claim.reminder_id), instant(claim.session_start)


def _claim(row: dict[str, Any], attempts: int, token: str) -> Claim:
    return Claim(
        reminder_id=UUID(row["reminder_id"]),
        session_start=datetime.fromisoformat(row["session_start_utc"]),
        client_id=UUID(row["client_id"]),
        plan_id=UUID(row["plan_id"]),
        number=int(row["number"]),
        channel=Channel(row["channel"]),
        lead_minutes=int(row["lead_minutes"]),
        attempts=int(attempts),
        token=token,
    )
