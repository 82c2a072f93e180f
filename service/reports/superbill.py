"""A client's superbill for a period: the document a client sends their insurer, or the
desk's billing system reads. One set of lines (service/domain/superbill.py) rendered three
ways: HTML turned into PDF by WeasyPrint (the progress report's path), CSV and JSON.

It carries what a claim needs and nothing clinical: the clinic's identifiers (NPI, tax
id), the client, the coverage (payer, authorization, referring physician), the diagnosis
codes of the prescription, and each date of service with codes, units and fees.

A visit outside a plan is billed beside the plans' sessions. Its CSV row and JSON line
name it in `visit_id` (the CSV's last column, so readers by position keep theirs) and
leave `plan_id` and `session` empty (JSON null): it is no session of a plan. A session's
`visit_id` is empty (null) in turn. A visit that led to a plan carries that plan's payer,
authorization and diagnosis codes on its lines, and the plan is among the coverages.
Every line names the plan whose coverage bills it in `coverage_plan_id` (the CSV's last
column; empty, or null, for self-pay), so a visit's line leads to its coverage too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from babel.numbers import get_currency_precision

from service.application import Regimen
from service.domain.client import Client
from service.domain.payer import Payer
from service.domain.plan import TreatmentPlan
from service.domain.staff import Therapist
from service.domain.superbill import (
    SuperbillLine,
    SuperbillTotals,
    check_period,
    superbill_lines,
    totals,
    uncoded_dates,
)
from service.domain.values import Session
from service.domain.visit import Visit
from service.projections.queries import ReadModel
from service.reports.progress_report import TEMPLATES

MOST_PLANS = 500
CSV_COLUMNS = (
    "service_date",
    "client_id",
    "plan_id",
    "session",
    "provider",
    "code",
    "minutes",
    "units",
    "unit_fee",
    "charge",
    "currency",
    "payer",
    "authorization",
    "diagnosis_codes",
    "visit_id",
    "coverage_plan_id",
)


@dataclass(frozen=True)
class Coverage:
    """A plan's coverage as recorded: who pays, under which authorization, on whose
    prescription, for which diagnoses."""

    plan_id: UUID
    payer: str
    authorization: str
    valid_until: date | None
    physician: str
    diagnosis_codes: tuple[str, ...]


@dataclass(frozen=True)
class Superbill:
    """Everything a superbill shows."""

    clinic_name: str
    npi: str
    tax_id: str
    client_id: UUID
    client_name: str
    client_email: str
    client_phone: str
    first: date
    last: date
    made_at: datetime  # local to the clinic
    coverages: tuple[Coverage, ...]
    lines: tuple[SuperbillLine, ...]
    totals: SuperbillTotals
    uncoded: tuple[date, ...]
    self_pay: tuple[date, ...] = ()  # dates of visits billed outside any plan's coverage

    @property
    def visit_ids(self) -> tuple[UUID, ...]:
        """The visits its lines bill, each once, in the lines' order."""
        return tuple(dict.fromkeys(x.visit_id for x in self.lines if x.visit_id))


def coverage_of(plan: TreatmentPlan) -> Coverage:
    """The plan's coverage as its authorization and prescription record it."""
    auth, prescription = plan.authorization, plan.prescription
    return Coverage(
        plan_id=plan.id,
        payer=auth.payer if auth else "",
        authorization=auth.number if auth else "",
        valid_until=auth.valid_until if auth else None,
        physician=prescription.physician if prescription else "",
        diagnosis_codes=prescription.diagnosis_codes if prescription else (),
    )


def client_plans(app: Regimen, model: ReadModel, client_id: UUID) -> list[TreatmentPlan]:
    """Every plan of the client, newest first."""
    rows = model.plans(client_id=str(client_id), limit=MOST_PLANS).items
    found = app.current([UUID(r["plan_id"]) for r in rows])
    return [p for p in found.values() if isinstance(p, TreatmentPlan)]


def client_visits(
    app: Regimen, model: ReadModel, client_id: UUID, first: date, last: date
) -> list[Visit]:
    """The client's visits starting from the day before the period's first day to the day
    after its last (any zone's local day falls within), loaded at once."""
    start, end = (first - timedelta(days=1)).isoformat(), (last + timedelta(days=2)).isoformat()
    found = app.current(UUID(i) for i in model.visit_ids(str(client_id), start, end))
    return [v for v in found.values() if isinstance(v, Visit)]


def _payers(app: Regimen, plans: list[TreatmentPlan]) -> dict[UUID, Payer]:
    payer_ids = {p.authorization.payer_id for p in plans if p.authorization}
    found = app.current({i for i in payer_ids if i is not None})
    return {i: p for i, p in found.items() if isinstance(p, Payer)}


def _therapist_names(app: Regimen, sessions: Iterable[Session]) -> dict[UUID, str]:
    therapists = app.current({s.therapist_id for s in sessions})
    return {i: t.name for i, t in therapists.items() if isinstance(t, Therapist)}


def superbill(
    app: Regimen, model: ReadModel, client_id: UUID, period: tuple[date, date], made_at: datetime
) -> Superbill:
    """The client's superbill from the first day of `period` to its last (inclusive)."""
    first, last = period
    check_period(first, last)
    client = app.load(Client, client_id)
    clinic = app.clinic()
    plans = client_plans(app, model, client_id)
    visits = client_visits(app, model, client_id, first, last)
    sessions = [*(s for p in plans for s in p.sessions), *(v.session for v in visits)]
    names = _therapist_names(app, sessions)
    lines = superbill_lines(plans, _payers(app, plans), names, first, last, visits)
    covering = {line.covered_by for line in lines}
    return Superbill(
        clinic_name=clinic.name,
        npi=clinic.npi,
        tax_id=clinic.tax_id,
        client_id=client_id,
        client_name=client.name,
        client_email=client.email,
        client_phone=client.phone,
        first=first,
        last=last,
        made_at=made_at,
        coverages=tuple(coverage_of(p) for p in plans if p.id in covering),
        lines=lines,
        totals=totals(lines),
        uncoded=uncoded_dates(plans, first, last, visits),
        self_pay=tuple(sorted({x.service_date for x in lines if x.covered_by is None})),
    )


def money(minor: int | None, currency: str) -> str:
    """Minor units as an amount with the currency's own decimals (Babel's CLDR data: USD
    35.00, JPY 3500, KWD 3.500), plain for a billing system to read; empty for none."""
    if minor is None:
        return ""
    digits = get_currency_precision(currency)
    return f"{Decimal(minor).scaleb(-digits):.{digits}f}"


def render_html(bill: Superbill) -> str:
    """The superbill as a standalone HTML document, for print and PDF."""
    return TEMPLATES.get_template("superbill.html").render(bill=bill, money=money)


def render_csv(bill: Superbill) -> str:
    """The lines as CSV, one row a code of a session, for a billing system."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for line in bill.lines:
        writer.writerow(
            (
                line.service_date.isoformat(),
                bill.client_id,
                line.plan_id or "",
                "" if line.session is None else line.session,
                line.provider,
                line.code,
                line.minutes,
                line.units,
                money(line.unit_fee, line.currency),
                money(line.charge, line.currency),
                line.currency,
                line.payer,
                line.authorization,
                " ".join(line.diagnosis_codes),
                line.visit_id or "",
                line.covered_by or "",
            )
        )
    return out.getvalue()


def _coverage_json(c: Coverage) -> dict[str, Any]:
    return {
        "plan_id": str(c.plan_id),
        "payer": c.payer,
        "authorization": c.authorization,
        "valid_until": c.valid_until.isoformat() if c.valid_until else None,
        "physician": c.physician,
        "diagnosis_codes": list(c.diagnosis_codes),
    }


def _line_json(x: SuperbillLine) -> dict[str, Any]:
    return {
        "service_date": x.service_date.isoformat(),
        "plan_id": str(x.plan_id) if x.plan_id else None,
        "session": x.session,
        "provider": x.provider,
        "code": x.code,
        "minutes": x.minutes,
        "units": x.units,
        "unit_fee": x.unit_fee,
        "charge": x.charge,
        "currency": x.currency,
        "payer": x.payer,
        "authorization": x.authorization,
        "diagnosis_codes": list(x.diagnosis_codes),
        "visit_id": str(x.visit_id) if x.visit_id else None,
        "coverage_plan_id": str(x.covered_by) if x.covered_by else None,
    }


def render_json(bill: Superbill) -> dict[str, Any]:
    """The superbill as JSON-ready values (amounts in minor units, as the payer lists them)."""
    return {
        "clinic": {"name": bill.clinic_name, "npi": bill.npi, "tax_id": bill.tax_id},
        "client": {
            "id": str(bill.client_id),
            "name": bill.client_name,
            "email": bill.client_email,
            "phone": bill.client_phone,
        },
        "from": bill.first.isoformat(),
        "to": bill.last.isoformat(),
        "coverages": [_coverage_json(c) for c in bill.coverages],
        "lines": [_line_json(x) for x in bill.lines],
        "totals": {
            "lines": bill.totals.lines,
            "units": bill.totals.units,
            "charges": [{"currency": c, "amount": a} for c, a in bill.totals.charges],
            "lines_without_fee": bill.totals.lines_without_fee,
        },
        "uncoded_dates": [d.isoformat() for d in bill.uncoded],
    }
