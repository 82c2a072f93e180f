"""The payers an admin sets up: who pays, under which unit rule, counting what."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from service.adapters.store import BaseApplication
from service.domain.authorization_standing import AuthorizationStanding, standing
from service.domain.payer import Payer, PayerTerms
from service.domain.plan import TreatmentPlan
from service.domain.values import Actor


class Payers(BaseApplication):
    """Registering payers and changing their terms."""

    def register_payer(self, terms: PayerTerms, *, actor: Actor) -> UUID:
        """Register a payer."""
        payer = Payer.register(terms, actor=actor)
        self.save(payer)
        return payer.id

    def change_payer(self, payer_id: UUID, terms: PayerTerms, *, actor: Actor) -> Payer:
        """Replace a payer's terms."""
        return self.change(Payer, payer_id, lambda p: p.change_terms(terms, actor=actor))

    def authorization_report(
        self, plan_ids: Iterable[UUID], *, today: date, within_days: int
    ) -> list[AuthorizationStanding]:
        """Where each of these plans' authorizations stands, by payer, then by end date;
        `expiring` flags those ending within `within_days` of today."""
        plans = self.current(plan_ids).values()
        rows = [
            row
            for plan in plans
            if isinstance(plan, TreatmentPlan)
            and (row := standing(plan, today, within_days)) is not None
        ]
        return sorted(rows, key=lambda r: (r.payer.casefold(), r.valid_until, str(r.plan_id)))
