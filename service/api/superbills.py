"""A client's superbill for a period: PDF, or CSV or JSON lines for a billing system (admin
and front desk, whose job billing is, and auditors; the superbill holds no clinical text)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, json, request
from flask.views import MethodView

from service.api.auth import current_actor, roles
from service.api.documents import CSV, JSON, NO_STORE, PDF, document_responses
from service.api.fields import Day
from service.api.resource import ResourceBlueprint
from service.api.schemas import Strict
from service.domain.values import Role
from service.http.superbill_reading import read_superbill
from service.reports.progress_report import render_pdf
from service.reports.superbill import render_csv, render_html, render_json

blp = ResourceBlueprint("superbills", __name__, description="Superbills, for insurers and billing")
# Billing is the desk's job; auditors read every record, read-only.
BILLERS = (Role.ADMIN, Role.FRONT_DESK, Role.AUDITOR)
RESPONSES = document_responses(
    "The superbill as JSON, or its lines as CSV (Accept: text/csv), or "
    "the document as PDF (Accept: application/pdf)",
    JSON,
    CSV,
    PDF,
)


class SuperbillQuerySchema(Strict):
    """The dates of service it covers: clinic-local days, inclusive, at most a year."""

    from_ = Day(required=True, data_key="from")
    to = Day(required=True)


@blp.route("/clients/<uuid:client_id>/superbill")
class SuperbillView(MethodView):
    """A client's superbill."""

    @blp.doc(responses=RESPONSES)
    @roles(*BILLERS)
    @blp.arguments(SuperbillQuerySchema(), location="query")
    def get(self, query: dict[str, Any], client_id: UUID) -> Any:
        """The superbill: the clinic's identifiers, the client, coverage, diagnosis codes and
        each date of service with codes, units and fees (admin, front desk, auditor)"""
        # JSON unless asked otherwise: the text form, as the progress report's is HTML
        form = request.accept_mimetypes.best_match([JSON, CSV, PDF]) or JSON
        period = (query["from_"], query["to"])
        bill = read_superbill(client_id, period, form, actor=current_actor(), via="api")
        name = f"superbill-{client_id}-{bill.first}-{bill.last}"
        if form == CSV:
            return Response(render_csv(bill), mimetype=CSV, headers=_download(f"{name}.csv"))
        if form == JSON:
            return Response(json.dumps(render_json(bill)), mimetype=JSON, headers=NO_STORE)
        pdf = render_pdf(render_html(bill))
        return Response(pdf, mimetype=PDF, headers=_download(f"{name}.pdf", "inline"))


def _download(filename: str, disposition: str = "attachment") -> dict[str, str]:
    return {**NO_STORE, "Content-Disposition": f'{disposition}; filename="{filename}"'}
