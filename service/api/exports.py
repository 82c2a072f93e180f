"""A client's whole record, to take elsewhere: a FHIR R4 Bundle, or the API's own JSON."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, json, request
from flask.views import MethodView

from service.api.auth import current_account, current_actor, roles
from service.api.context import now, reads, regimen
from service.api.plan_out_schemas import PlanOutSchema
from service.api.resource import ResourceBlueprint
from service.api.schemas import ClientOutSchema
from service.api.visit_schemas import VisitOutSchema
from service.domain.client import Client
from service.domain.errors import AccessDenied
from service.domain.plan import TreatmentPlan
from service.domain.staff import Therapist
from service.domain.values import Role
from service.domain.visit import Visit
from service.http.chart_scope import charts_open_to_all
from service.reports.fhir import ClientRecord, client_bundle

blp = ResourceBlueprint("exports", __name__, description="A client's record, to take elsewhere")
# The issue names admins and therapists; auditors read every record anyway, and read-only.
EXPORTERS = (Role.ADMIN, Role.THERAPIST, Role.AUDITOR)
FHIR_JSON, JSON = "application/fhir+json", "application/json"
MOST_RECORDS = 500


def client_record(client_id: UUID) -> ClientRecord:
    """The client, every plan and visit of theirs, and their therapists' names."""
    app = regimen()
    client = app.load(Client, client_id)
    model = reads()
    plan_ids = [
        UUID(r["plan_id"]) for r in model.plans(client_id=str(client_id), limit=MOST_RECORDS).items
    ]
    rows = model.sessions_between(
        "0000", "9999", client_id=str(client_id), limit=MOST_RECORDS
    ).items
    visit_ids = [UUID(r["plan_id"]) for r in rows if r["kind"] != "session"]
    found = app.current([*plan_ids, *visit_ids])
    plans = tuple(a for a in found.values() if isinstance(a, TreatmentPlan))
    visits = tuple(a for a in found.values() if isinstance(a, Visit))
    therapist_ids = {p.therapist_id for p in plans} | {v.session.therapist_id for v in visits}
    therapists = app.current(therapist_ids)
    names = {i: t.name for i, t in therapists.items() if isinstance(t, Therapist)}
    return ClientRecord(client_id, client, plans, visits, names)


def require_export(client_id: UUID) -> None:
    """A therapist exports only the clients they treat (unless every chart is open)."""
    account = current_account()
    if account.role is not Role.THERAPIST or charts_open_to_all():
        return
    mine = account.therapist_id
    if mine is None or not reads().treats(str(mine), str(client_id)):
        raise AccessDenied("a therapist exports the records of the clients they treat")


@blp.route("/clients/<uuid:client_id>/export")
class ClientExportView(MethodView):
    """The client's whole record, for the client or a referring physician."""

    @roles(*EXPORTERS)
    @blp.doc(
        responses={
            "200": {
                "description": "A FHIR R4 Bundle, or the API's own JSON for Accept:"
                " application/json",
                "content": {
                    FHIR_JSON: {"schema": {"type": "object"}},
                    JSON: {"schema": {"type": "object"}},
                },
            }
        }
    )
    def get(self, client_id: UUID) -> Any:
        """Export the client's record: a FHIR R4 Bundle, or JSON (admin, auditor, their
        therapist)"""
        form = "json" if request.accept_mimetypes.best_match([FHIR_JSON, JSON]) == JSON else "fhir"
        require_export(client_id)
        record = client_record(client_id)
        moment = now()
        regimen().record_views(
            [p.id for p in record.plans] + [v.id for v in record.visits],
            actor=current_actor(),
            record="export",
            detail=f"format={form}",
            now=moment,
        )
        if form == "fhir":
            body = json.dumps(client_bundle(record, moment))
            return Response(body, mimetype=FHIR_JSON, headers={"Cache-Control": "no-store"})
        document = {
            "client": ClientOutSchema().dump(record.client),
            "plans": PlanOutSchema(many=True).dump(record.plans),
            "visits": VisitOutSchema(many=True).dump(record.visits),
        }
        return Response(json.dumps(document), mimetype=JSON, headers={"Cache-Control": "no-store"})
