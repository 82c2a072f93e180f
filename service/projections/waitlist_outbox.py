"""The offers' outbox: atomic claims of unsent offer messages, and their delivery state.

A claim is one UPDATE ... RETURNING over the messages picked by a sub-select (with
`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite's `BEGIN IMMEDIATE` makes dispatchers
take turns), repeating the claimable condition so that a row taken by another
dispatcher in between is not taken twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from service.projections.held_claims import HeldClaims
from service.projections.locked import claim_token
from service.projections.view import instant
from service.reminders.offer_dispatch import OfferClaim

CLAIMABLE = (
    "(status = 'due' OR (status = 'retry' AND next_try_utc <= %s)"
    " OR (status = 'claimed' AND claimed_until <= %s)) AND hold_until > %s"
)
RETURNED = "message_id, offer_id, entry_id, client_id, round, hold_until, attempts"
LAPSED = "the hold ran out before the offer could be sent"


class OfferOutbox(HeldClaims[OfferClaim]):
    """Claims and delivery state in `waitlist_offer_messages` (kept across view rebuilds)."""

    TABLE = "waitlist_offer_messages"
    KEY = ("message_id",)

    def claim(self, now: datetime, worker: str, limit: int) -> list[OfferClaim]:
        """Atomically take up to `limit` unsent messages whose hold has not run out."""
        at, until = instant(now), instant(now + self.lease)
        token = claim_token(worker)
        lock = " FOR UPDATE SKIP LOCKED" if self.database.postgres else ""
        with self.database.locked() as transaction:
            rows = transaction.rows(
                "UPDATE waitlist_offer_messages SET status = 'claimed', claimed_by = %s,"
                " claimed_until = %s WHERE message_id IN (SELECT message_id"
                f" FROM waitlist_offer_messages WHERE {CLAIMABLE}"
                f" ORDER BY hold_until, message_id LIMIT %s{lock}) AND {CLAIMABLE}"
                f" RETURNING {RETURNED}",
                (token, until, at, at, at, limit, at, at, at),
            )
        return [_claim(row, token) for row in rows]

    def give_up_on_lapsed(self, now: datetime) -> int:
        """Mark failed the unsent messages whose hold has run out; returns how many."""
        with self.database.locked() as transaction:
            rows = transaction.rows(
                "UPDATE waitlist_offer_messages SET status = 'failed', last_error = %s,"
                " next_try_utc = NULL, claimed_by = NULL, claimed_until = NULL"
                " WHERE status IN ('due', 'retry') AND hold_until <= %s RETURNING message_id",
                (LAPSED, instant(now)),
            )
        return len(rows)

    def finish(
        self, claim: OfferClaim, now: datetime, status: str, *, channel: str = "", error: str = ""
    ) -> bool:
        """Record the outcome (sent, failed or cancelled); only the claim's holder may."""
        sent_at = instant(now) if status == "sent" else None
        return self._settle(
            claim,
            "status = %s, channel = %s, last_error = %s, sent_at = %s,"
            " attempts = attempts + %s, next_try_utc = NULL",
            status,
            channel or None,
            error[:500] or None,
            sent_at,
            0 if status == "cancelled" else 1,
        )

    def failed(self, claim: OfferClaim, now: datetime, error: str) -> bool:
        """Record that the message will not be sent."""
        return self.finish(claim, now, "failed", error=error)

    def _key(self, claim: OfferClaim) -> tuple[str, ...]:
        return (str(claim.message_id),)

    def messages(self, offer_id: str) -> list[dict[str, Any]]:
        """An offer's messages and how each went (for the desk)."""
        with self.database.reading() as transaction:
            return transaction.rows(
                "SELECT m.*, c.name AS client_name FROM waitlist_offer_messages m"
                " LEFT JOIN rv_directory c ON c.kind = 'client' AND c.id = m.client_id"
                " WHERE m.offer_id = %s ORDER BY m.round, c.name",
                (offer_id,),
            )


def _claim(row: dict[str, Any], token: str) -> OfferClaim:
    return OfferClaim(
        message_id=UUID(row["message_id"]),
        offer_id=UUID(row["offer_id"]),
        entry_id=UUID(row["entry_id"]),
        client_id=UUID(row["client_id"]),
        round=int(row["round"]),
        hold_until=datetime.fromisoformat(row["hold_until"]),
        attempts=int(row["attempts"]),
        token=token,
    )
