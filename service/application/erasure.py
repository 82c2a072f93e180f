"""Erasing a client at their request: crypto-shredding, bounded by the clinic's retention.

The client's plans are closed and their visits still booked cancelled (freeing the
calendar), and `ClientErased` recorded, in one save; then the client's data key is
destroyed and the snapshots of their records deleted (a snapshot is only a cache of the
events), and so are the file outbox's copies of the messages they were sent. Every view
purges the client when it reads `ClientErased`. An erasure broken off after its save is
finished by running it again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from service.adapters.channels import forget_messages_of
from service.adapters.idempotency import IdempotencyKeys
from service.adapters.store import BaseApplication, retried
from service.application.calendar_work import CalendarWork
from service.application.setup import load_clinic
from service.domain.client import Client
from service.domain.errors import NothingToShred
from service.domain.plan import TreatmentPlan
from service.domain.retention import DEFAULT_RETENTION_YEARS, require_erasable
from service.domain.values import Actor, PlanStatus, SessionStatus
from service.domain.visit import Visit

ERASURE_REASON = "the client's data was erased at their request"
OPEN = (PlanStatus.PROPOSED, PlanStatus.AGREED)


@dataclass(frozen=True)
class Erasure:
    """What an erasure did: the client, their plans and visits, and the override's reason."""

    client_id: UUID
    plan_ids: tuple[UUID, ...]
    visit_ids: tuple[UUID, ...]
    override_reason: str


def last_treated(plans: Iterable[TreatmentPlan], visits: Iterable[Visit]) -> datetime | None:
    """When the client's last performed session or visit ended (None if never treated)."""
    sessions = [s for plan in plans for s in plan.sessions]
    sessions += [visit.session for visit in visits]
    ends = [s.time.end for s in sessions if s.status is SessionStatus.PERFORMED]
    return max(ends, default=None)


def addresses_in(history: Iterable[Any]) -> set[str]:
    """Every email address and phone number a client's events recorded."""
    found: set[str] = set()
    for event in history:
        if isinstance(event, Client.ClientRegistered):
            found |= {event.email, event.phone}
        elif isinstance(event, Client.ClientDetailsChanged):
            found |= {str(event.changes.get(field, "")) for field in ("email", "phone")}
    return found - {""}


class Erasures(BaseApplication):
    """A client's right to erasure."""

    # The file outbox, whose copies of an erased client's messages go too (build_regimen).
    outbox_dir: Path | None = None

    @retried
    def erase_client(
        self, client_id: UUID, *, actor: Actor, now: datetime, override_reason: str = ""
    ) -> Erasure:
        """Erase the client: refused inside the retention period without an override's
        reason, and without a cipher key (there is no key to destroy)."""
        keys = self.client_keys
        if keys is None:
            raise NothingToShred(
                "erasure destroys the client's own data key, and there are none: "
                "REGIMEN_CIPHER_KEY is not set, so the client's data is not encrypted"
            )
        client = self.load(Client, client_id)
        records = self.current(keys.aggregates_of(client_id)).values()
        plans = [r for r in records if isinstance(r, TreatmentPlan)]
        visits = [r for r in records if isinstance(r, Visit)]
        if not client.erased:
            self._close(client, plans, visits, actor=actor, now=now, reason=override_reason)
        self._forget_messages(client_id)
        keys.destroy(client_id, now)
        ids = [client_id, *(r.id for r in records)]
        self.delete_snapshots(ids)
        self.recent.forget(ids)
        IdempotencyKeys.of(self).forget_mentioning([str(i) for i in ids])
        return Erasure(
            client_id,
            tuple(p.id for p in plans),
            tuple(v.id for v in visits),
            override_reason.strip(),
        )

    def _forget_messages(self, client_id: UUID) -> None:
        """Delete the file outbox's copies of the client's messages: those named by their
        id, and older ones sent to an address they have had (read from their history while
        it can still be)."""
        if self.outbox_dir is not None:
            forget_messages_of(self.outbox_dir, client_id, addresses_in(self.events.get(client_id)))

    def _close(
        self,
        client: Client,
        plans: list[TreatmentPlan],
        visits: list[Visit],
        *,
        actor: Actor,
        now: datetime,
        reason: str,
    ) -> None:
        """Unless retention forbids it, close the open plans, cancel the booked visits (their
        calendar freed) and record ClientErased, in one save."""
        clinic = load_clinic(self)
        years = getattr(clinic, "retention_years", DEFAULT_RETENTION_YEARS)
        require_erasable(last_treated(plans, visits), years, now, reason)
        work = CalendarWork(self, actor)
        for plan in plans:
            if plan.status in OPEN:
                for session in plan.cancel(reason=ERASURE_REASON, actor=actor):
                    work.release(plan.id, session)
        for visit in visits:
            if visit.status is SessionStatus.BOOKED:
                window = clinic.cancellation_window
                cancelled = visit.cancel(
                    reason=ERASURE_REASON, now=now, cancellation_window=window, actor=actor
                )
                work.release(visit.id, cancelled)
        client.erase(
            override_reason=reason.strip(),
            plan_ids=tuple(p.id for p in plans),
            visit_ids=tuple(v.id for v in visits),
            actor=actor,
        )
        self.save(*plans, *visits, *work.changed(), client)  # the views purge after the rest
