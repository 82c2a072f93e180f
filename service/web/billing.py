"""The desk's billing pages: a client's superbill for a period (the PDF or the CSV lines the
API serves, from the same lines) and the authorization report (every open plan's
authorization by payer: authorized, booked, used, remaining, expiring; counts only, read
from the same view as `GET /api/v1/authorizations`). Front desk and admins only.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any
from uuid import UUID

from flask import Response, request

from service.domain.client import Client
from service.domain.errors import InvalidValue
from service.http.context import clinic_zone, page, reads, regimen, today
from service.http.superbill_reading import read_superbill
from service.reports.progress_report import render_pdf
from service.reports.superbill import render_csv, render_html
from service.web.blueprint import web
from service.web.clients import client_page
from service.web.forms import Form, problem_text
from service.web.security import billing_page, current_account

FORMATS = ("pdf", "csv")
DEFAULT_WITHIN_DAYS = 30
MAX_WITHIN_DAYS = 366


@web.get("/clients/<uuid:client_id>/superbill")
@billing_page
def client_superbill(client_id: UUID) -> Response | tuple[str, int]:
    """The client's superbill for the days asked (PDF or CSV), or the client's page with
    what is wrong with the dates."""
    form = Form(request.args)
    first, last = form.day("from"), form.day("to")
    kind = form.choice("format", FORMATS, "pdf")
    asked = {name: request.args.get(name, "")[:20] for name in ("from", "to", "format")}
    if not form.ok or first is None or last is None:
        return client_page(client_id, 422, bill=asked, bill_errors=form.errors)
    actor = current_account().actor
    try:
        bill = read_superbill(client_id, (first, last), kind, actor=actor, via="web")
    except InvalidValue as problem:
        return client_page(client_id, 422, bill=asked, bill_error=problem_text(problem))
    name = f"superbill-{first}-{last}.{kind}"
    if kind == "csv":
        disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
        return Response(render_csv(bill), mimetype="text/csv", headers=disposition)
    disposition = {"Content-Disposition": f'inline; filename="{name}"'}
    pdf = render_pdf(render_html(bill))
    return Response(pdf, mimetype="application/pdf", headers=disposition)


def report_rows(within_days: int, expiring_only: bool) -> list[dict[str, Any]]:
    """The authorization report by payer: each payer's plans, with the client's name."""
    app = regimen()
    rows = app.authorization_report(
        reads().open_plan_ids(with_authorization=True),
        today=today(clinic_zone()),
        within_days=within_days,
    )
    rows = [r for r in rows if r.expiring or not expiring_only]
    clients = app.current({r.client_id for r in rows})
    names = {i: c.name for i, c in clients.items() if isinstance(c, Client)}
    return [
        {"payer": payer, "plans": [(r, names.get(r.client_id, "")) for r in group]}
        for payer, group in groupby(rows, key=lambda r: r.payer)
    ]


@web.get("/authorizations")
@billing_page
def authorization_report() -> tuple[str, int]:
    """Every open plan's authorization by payer: visits and units authorized, booked, used
    and remaining, and which end within the days asked."""
    form = Form(request.args)
    within = form.number("within", 0, MAX_WITHIN_DAYS, DEFAULT_WITHIN_DAYS)
    expiring_only = request.args.get("only") == "expiring"
    status = 200 if form.ok else 422
    return page(
        "authorizations.html",
        status,
        payers=report_rows(within, expiring_only),
        within=request.args.get("within", str(DEFAULT_WITHIN_DAYS))[:10],
        within_days=within,
        expiring_only=expiring_only,
        errors=form.errors,
    )
