"""A superbill's lines: each billed procedure code of each session performed in a period,
with its units and the fee the plan's payer lists for it. The PDF, the CSV and the JSON a
billing system reads are all rendered from these lines and their totals, built here once.

A code that billed no units (under 8 minutes) is not a line: nothing can be claimed for it.
A session recorded without codes bills nothing either; its date is listed apart, so the
desk sees what is missing before sending the bill.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from service.domain.errors import InvalidValue
from service.domain.payer import Payer
from service.domain.plan import TreatmentPlan
from service.domain.values import Session, SessionStatus

MAX_PERIOD_DAYS = 366


@dataclass(frozen=True)
class SuperbillLine:
    """One procedure code of one session: what was done, when, by whom, for how much."""

    service_date: date  # the session's local date
    plan_id: UUID
    session: int
    provider: str  # the therapist who performed it
    code: str
    minutes: int
    units: int
    unit_fee: int | None  # minor units of `currency`; None when the payer lists no fee
    currency: str
    payer: str
    authorization: str
    diagnosis_codes: tuple[str, ...]

    @property
    def charge(self) -> int | None:
        """What the line charges: units times the fee, or None without a fee."""
        return None if self.unit_fee is None else self.units * self.unit_fee


@dataclass(frozen=True)
class SuperbillTotals:
    """The lines added up: units, and charges per currency (lines without a fee apart)."""

    lines: int
    units: int
    charges: tuple[tuple[str, int], ...]  # (currency, minor units), by currency
    lines_without_fee: int


def check_period(first: date, last: date) -> None:
    """A superbill covers first to last inclusive, at most a year."""
    if last < first:
        raise InvalidValue(f"the period ends ({last}) before it starts ({first})")
    if (last - first).days >= MAX_PERIOD_DAYS:
        raise InvalidValue(f"a superbill covers at most {MAX_PERIOD_DAYS} days")


def _in_period(session: Session, first: date, last: date) -> bool:
    day = session.time.local_start.date()
    return session.status is SessionStatus.PERFORMED and first <= day <= last


def superbill_lines(
    plans: Iterable[TreatmentPlan],
    payers: Mapping[UUID, Payer],
    providers: Mapping[UUID, str],
    first: date,
    last: date,
) -> tuple[SuperbillLine, ...]:
    """Every billed code of the plans' sessions performed from `first` to `last` (local
    dates, inclusive), by date of service, then plan and session, in the order recorded."""
    check_period(first, last)
    lines: list[SuperbillLine] = []
    for plan in plans:
        auth, prescription = plan.authorization, plan.prescription
        payer = payers.get(auth.payer_id) if auth and auth.payer_id else None
        for session in (s for s in plan.sessions if _in_period(s, first, last)):
            lines.extend(
                SuperbillLine(
                    service_date=session.time.local_start.date(),
                    plan_id=plan.id,
                    session=session.number,
                    provider=providers.get(session.therapist_id, ""),
                    code=billed.code,
                    minutes=billed.minutes,
                    units=billed.units,
                    unit_fee=payer.fee(billed.code) if payer else None,
                    currency=payer.terms.currency if payer else "",
                    payer=auth.payer if auth else "",
                    authorization=auth.number if auth else "",
                    diagnosis_codes=prescription.diagnosis_codes if prescription else (),
                )
                for billed in session.billed
                if billed.units > 0
            )
    return tuple(sorted(lines, key=lambda x: (x.service_date, str(x.plan_id), x.session)))


def uncoded_dates(plans: Iterable[TreatmentPlan], first: date, last: date) -> tuple[date, ...]:
    """The dates of sessions performed in the period and recorded without any code."""
    return tuple(
        sorted(
            s.time.local_start.date()
            for plan in plans
            for s in plan.sessions
            if _in_period(s, first, last) and not s.billed
        )
    )


def totals(lines: Iterable[SuperbillLine]) -> SuperbillTotals:
    """The lines added up."""
    rows = list(lines)
    charges: dict[str, int] = {}
    for line in rows:
        if line.charge is not None:
            charges[line.currency] = charges.get(line.currency, 0) + line.charge
    return SuperbillTotals(
        lines=len(rows),
        units=sum(line.units for line in rows),
        charges=tuple(sorted(charges.items())),
        lines_without_fee=sum(1 for line in rows if line.unit_fee is None),
    )
