"""A superbill's lines: each billed procedure code of each session performed in a period,
with its units and the fee the plan's payer lists for it. The PDF, the CSV and the JSON a
billing system reads are all rendered from these lines and their totals, built here once.

A plan's sessions and the client's visits outside a plan (an assessment, a single session,
a follow-up) are both billed. A visit's line names the visit (`visit_id`), and no plan or
session number: the visit is no session of a plan. A visit that led to a plan (it records
the plan proposed from it) is billed under that plan's coverage, as the plan's first
sessions are: its payer, authorization, diagnosis codes and fees. Any other visit is
self-pay: no payer, no fee. A visit's units are the ones it billed under its own rule.
A corrected record bills as corrected, for a visit as for a session.

A code that billed no units (under 8 minutes) is not a line: nothing can be claimed for it.
A session or visit recorded without codes bills nothing either; its date is listed apart,
so the desk sees what is missing before sending the bill.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from service.domain.errors import InvalidValue
from service.domain.payer import Payer
from service.domain.plan import TreatmentPlan
from service.domain.values import Session, SessionStatus
from service.domain.visit import Visit

MAX_PERIOD_DAYS = 366


@dataclass(frozen=True)
class SuperbillLine:
    """One procedure code of one session: what was done, when, by whom, for how much."""

    service_date: date  # the session's local date
    plan_id: UUID | None  # None for a visit's line
    session: int | None  # the plan's session number; None for a visit's line
    provider: str  # the therapist who performed it
    code: str
    minutes: int
    units: int
    unit_fee: int | None  # minor units of `currency`; None when the payer lists no fee
    currency: str
    payer: str
    authorization: str
    diagnosis_codes: tuple[str, ...]
    visit_id: UUID | None = None  # the visit outside a plan this line bills, if it is one
    covered_by: UUID | None = None  # the plan whose coverage bills it; None for self-pay

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


@dataclass(frozen=True)
class BilledTo:
    """Whom a session's codes are billed to: a plan's payer, authorization and diagnoses
    as the plan records them; nobody (self-pay) without a plan or its payer."""

    plan_id: UUID | None = None  # the plan whose coverage it is
    payer: Payer | None = None  # the registered payer, whose fee schedule prices the codes
    payer_name: str = ""
    authorization: str = ""
    diagnosis_codes: tuple[str, ...] = ()

    @classmethod
    def plan(cls, plan: TreatmentPlan | None, payers: Mapping[UUID, Payer]) -> BilledTo:
        """The plan's coverage; self-pay without a plan."""
        if plan is None:
            return cls()
        auth, prescription = plan.authorization, plan.prescription
        return cls(
            plan_id=plan.id,
            payer=payers.get(auth.payer_id) if auth and auth.payer_id else None,
            payer_name=auth.payer if auth else "",
            authorization=auth.number if auth else "",
            diagnosis_codes=prescription.diagnosis_codes if prescription else (),
        )


def check_period(first: date, last: date) -> None:
    """A superbill covers first to last inclusive, at most a year."""
    if last < first:
        raise InvalidValue(f"the period ends ({last}) before it starts ({first})")
    if (last - first).days >= MAX_PERIOD_DAYS:
        raise InvalidValue(f"a superbill covers at most {MAX_PERIOD_DAYS} days")


def _in_period(session: Session, first: date, last: date) -> bool:
    day = session.time.local_start.date()
    return session.status is SessionStatus.PERFORMED and first <= day <= last


def _session_lines(
    session: Session,
    billed_to: BilledTo,
    providers: Mapping[UUID, str],
    *,
    plan_id: UUID | None = None,
    visit_id: UUID | None = None,
) -> Iterator[SuperbillLine]:
    """The session's codes that billed units, in the order recorded; of a plan's session
    (`plan_id`) or of a visit (`visit_id`)."""
    payer = billed_to.payer
    for billed in session.billed:
        if billed.units > 0:
            yield SuperbillLine(
                service_date=session.time.local_start.date(),
                plan_id=plan_id,
                session=session.number if plan_id else None,
                provider=providers.get(session.therapist_id, ""),
                code=billed.code,
                minutes=billed.minutes,
                units=billed.units,
                unit_fee=payer.fee(billed.code) if payer else None,
                currency=payer.terms.currency if payer else "",
                payer=billed_to.payer_name,
                authorization=billed_to.authorization,
                diagnosis_codes=billed_to.diagnosis_codes,
                visit_id=visit_id,
                covered_by=billed_to.plan_id,
            )


def _line_order(line: SuperbillLine) -> tuple[date, str, int]:
    return line.service_date, str(line.plan_id or line.visit_id), line.session or 0


def superbill_lines(
    plans: Iterable[TreatmentPlan],
    payers: Mapping[UUID, Payer],
    providers: Mapping[UUID, str],
    first: date,
    last: date,
    visits: Iterable[Visit] = (),
) -> tuple[SuperbillLine, ...]:
    """Every billed code of the plans' sessions and the visits performed from `first` to
    `last` (local dates, inclusive), by date of service, then plan and session or visit,
    in the order recorded. A visit's plan is found among `plans`."""
    check_period(first, last)
    by_id = {plan.id: plan for plan in plans}
    lines: list[SuperbillLine] = []
    for plan in by_id.values():
        billed_to = BilledTo.plan(plan, payers)
        for session in (s for s in plan.sessions if _in_period(s, first, last)):
            lines.extend(_session_lines(session, billed_to, providers, plan_id=plan.id))
    for visit in (v for v in visits if _in_period(v.session, first, last)):
        billed_to = BilledTo.plan(by_id.get(visit.plan_id) if visit.plan_id else None, payers)
        lines.extend(_session_lines(visit.session, billed_to, providers, visit_id=visit.id))
    return tuple(sorted(lines, key=_line_order))


def uncoded_dates(
    plans: Iterable[TreatmentPlan], first: date, last: date, visits: Iterable[Visit] = ()
) -> tuple[date, ...]:
    """The dates of sessions and visits performed in the period and recorded without any
    code."""
    sessions = [*(s for plan in plans for s in plan.sessions), *(v.session for v in visits)]
    return tuple(
        sorted(
            s.time.local_start.date()
            for s in sessions
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
