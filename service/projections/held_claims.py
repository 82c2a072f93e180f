"""What the reminders' and the offers' outboxes share: only a claim's holder records what
became of it, and a transient failure leaves it to be claimed again later."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from service.projections.locked import ViewDatabase
from service.projections.view import instant

LEASE = timedelta(minutes=10)  # a claim left by a crashed dispatcher is taken again after this


class Held(Protocol):
    """A claim: its holder's token."""

    @property
    def token(self) -> str:
        """Who holds the claim (locked.claim_token)."""


C = TypeVar("C", bound=Held)


class HeldClaims(Generic[C]):
    """Claimed rows of `TABLE`, each named by the `KEY` columns."""

    TABLE: ClassVar[str]
    KEY: ClassVar[tuple[str, ...]]

    def __init__(self, database: ViewDatabase, lease: timedelta = LEASE) -> None:
        self.database = database
        self.lease = lease

    def retry(self, claim: C, now: datetime, error: str, next_try: datetime) -> bool:
        """Record a transient failure; claimable again from `next_try`."""
        return self._settle(
            claim,
            "status = 'retry', attempts = attempts + 1, last_error = %s, next_try_utc = %s",
            error[:500],
            instant(next_try),
        )

    def _key(self, claim: C) -> tuple[str, ...]:
        """The claimed row's `KEY` values."""
        raise NotImplementedError

    def _settle(self, claim: C, assignments: str, *values: Any) -> bool:
        """Only the claim's holder records the outcome: one UPDATE that checks the claim and
        records the outcome at once, committed when it returns."""
        row = " AND ".join(f"{column} = %s" for column in self.KEY)
        done = self.database.statement(
            f"UPDATE {self.TABLE} SET {assignments}, claimed_by = NULL, claimed_until = NULL"
            f" WHERE {row} AND claimed_by = %s AND status = 'claimed' RETURNING {self.KEY[0]}",
            (*values, *self._key(claim), claim.token),
        )
        return bool(done)
