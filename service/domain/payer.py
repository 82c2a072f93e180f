"""Payers: the insurers who pay for treatment, and the terms the desk and the bill follow."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from eventsourcing.domain import Aggregate, event

from service.domain.billing_units import UnitRule
from service.domain.checks import require_range, require_text
from service.domain.errors import InvalidValue
from service.domain.events import ActorEvent, AggregateCreated
from service.domain.values import Actor

CURRENCY = re.compile(r"[A-Z]{3}")
MAX_FEE = 10_000_000  # minor units: a hundred thousand dollars a unit is no real fee


class AuthorizationCount(Enum):
    """What a payer's authorizations count: visits, units, or both."""

    VISITS = "visits"
    UNITS = "units"
    BOTH = "both"

    @property
    def visits(self) -> bool:
        """Whether an authorization of this payer gives a number of visits."""
        return self is not AuthorizationCount.UNITS

    @property
    def units(self) -> bool:
        """Whether an authorization of this payer gives a number of units."""
        return self is not AuthorizationCount.VISITS


@dataclass(frozen=True)
class Fee:
    """What a payer pays for one unit of a procedure code, in minor units of its currency."""

    code: str
    amount: int


@dataclass(frozen=True)
class PayerTerms:
    """A payer's terms: its unit rule, what it counts, what it pays."""

    name: str
    unit_rule: UnitRule
    counts: AuthorizationCount
    late_cancel_counts: bool
    no_show_counts: bool
    currency: str = "USD"
    fees: tuple[Fee, ...] = ()


def check_terms(terms: PayerTerms) -> None:
    """Raise InvalidValue unless the name, currency and each fee are sound."""
    require_text("name", terms.name)
    if not CURRENCY.fullmatch(terms.currency):
        raise InvalidValue(f"currency must be an ISO 4217 code such as USD, not {terms.currency!r}")
    seen: set[str] = set()
    for fee in terms.fees:
        require_text("procedure code", fee.code)
        require_range(f"fee of {fee.code}", fee.amount, 0, MAX_FEE)
        if fee.code in seen:
            raise InvalidValue(f"procedure code {fee.code} has two fees")
        seen.add(fee.code)


class Payer(Aggregate):
    """An insurer: the plans it authorizes are counted and billed under its terms."""

    @classmethod
    def register(cls, terms: PayerTerms, *, actor: Actor) -> Payer:
        """Register a payer with its terms."""
        check_terms(terms)
        return cls(terms=terms, actor=actor)

    class PayerRegistered(AggregateCreated):
        """Payer registered."""

        terms: PayerTerms
        actor: Actor

    @event(PayerRegistered)
    def __init__(self, terms: PayerTerms, actor: Actor):
        self.terms = terms

    @property
    def name(self) -> str:
        """The payer's name."""
        return self.terms.name

    def fee(self, code: str) -> int | None:
        """What the payer pays a unit of the code (minor units), or None if it lists none."""
        return next((f.amount for f in self.terms.fees if f.code == code), None)

    def change_terms(self, terms: PayerTerms, *, actor: Actor) -> None:
        """Replace the payer's terms; plans already performed keep the units they billed, and
        an authorization given before keeps counting what it gave (visits, units or both):
        what the payer counts is asked of the authorizations given after the change."""
        check_terms(terms)
        self.trigger_event(self.PayerChanged, terms=terms, actor=actor)

    class PayerChanged(ActorEvent):
        """Payer changed."""

        terms: PayerTerms

        def apply(self, aggregate: Payer) -> None:
            aggregate.terms = self.terms
