"""The payers an admin sets up: who pays, under which unit rule, counting what."""

from __future__ import annotations

from uuid import UUID

from service.adapters.store import BaseApplication
from service.domain.payer import Payer, PayerTerms
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
