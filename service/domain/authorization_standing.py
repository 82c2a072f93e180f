"""Where a plan's authorization stands: authorized, booked, used and remaining, in visits
and units, each when it counts them. Counts only: the report shows no clinical text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from service.domain.plan import TreatmentPlan
from service.domain.plan_reading import session_units
from service.domain.values import SessionStatus


@dataclass(frozen=True)
class Allowance:
    """Visits or units: how many are authorized, booked ahead, used, and left."""

    authorized: int
    booked: int
    used: int

    @property
    def remaining(self) -> int:
        """What is neither booked nor used yet (never below zero: overrides go beyond)."""
        return max(self.authorized - self.booked - self.used, 0)


@dataclass(frozen=True)
class AuthorizationStanding:
    """One plan's authorization as it stands on a day."""

    plan_id: UUID
    client_id: UUID
    payer: str
    payer_id: UUID | None
    number: str
    valid_until: date
    visits: Allowance | None  # None unless the authorization counts visits
    units: Allowance | None  # None unless the authorization counts units
    expiring: bool  # it ends within the days asked about
    # Performed sessions recorded without procedure codes: each counts its planned units
    # against the authorization, but bills nothing until its record is amended with codes.
    uncoded: int = 0


def standing(plan: TreatmentPlan, today: date, within_days: int) -> AuthorizationStanding | None:
    """The plan's authorization on `today`, or None if it has none."""
    auth = plan.authorization
    if auth is None:
        return None
    booked = plan.sessions_in(SessionStatus.BOOKED)
    done = [s for s in plan.sessions if s.status is not SessionStatus.BOOKED]
    visits = None
    if auth.visits is not None:
        used = sum(
            1 for s in done if s.status is SessionStatus.PERFORMED or s.counts_against_authorization
        )
        visits = Allowance(auth.visits, len(booked), used)
    units = None
    if auth.units is not None:
        planned = sum(session_units(s) for s in booked)
        units = Allowance(auth.units, planned, sum(session_units(s) for s in done))
    return AuthorizationStanding(
        plan_id=plan.id,
        client_id=plan.client_id,
        payer=auth.payer,
        payer_id=auth.payer_id,
        number=auth.number,
        valid_until=auth.valid_until,
        visits=visits,
        units=units,
        expiring=auth.valid_until <= today + timedelta(days=within_days),
        uncoded=sum(1 for s in done if s.status is SessionStatus.PERFORMED and not s.billed),
    )


def authorization_use(plan: TreatmentPlan) -> str:
    """What the plan has used of its authorization, booked sessions included, in the counts it
    gives: "3 of 6 visits used", "12 of 40 units used", or both joined; "" without one."""
    auth = plan.authorization
    if auth is None:
        return ""
    counts = []
    if auth.visits is not None:
        counts.append(f"{plan.authorized_visits_used} of {auth.visits} visits")
    if auth.units is not None:
        counts.append(f"{plan.authorized_units_used} of {auth.units} units")
    return f"{' and '.join(counts)} used"
