"""A client's whole record, to take elsewhere: a FHIR R4 Bundle, or the API's own JSON."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, json, request
from flask.views import MethodView

from service.api.auth import current_account, current_actor, roles
from service.api.context import now, reads
from service.api.documents import FHIR_JSON, JSON, NO_STORE, document_responses
from service.api.plan_out_schemas import PlanOutSchema
from service.api.resource import ResourceBlueprint
from service.api.schemas import ClientOutSchema
from service.api.visit_schemas import VisitOutSchema
from service.domain.errors import AccessDenied
from service.domain.values import Role
from service.http.chart_scope import charts_open_to_all
from service.http.client_record import exported_record
from service.reports.fhir import client_bundle

blp = ResourceBlueprint("exports", __name__, description="A client's record, to take elsewhere")
# The issue names admins and therapists; auditors read every record anyway, and read-only.
EXPORTERS = (Role.ADMIN, Role.THERAPIST, Role.AUDITOR)
RESPONSES = document_responses(
    "A FHIR R4 Bundle, or the API's own JSON for Accept: application/json", FHIR_JSON, JSON
)


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
    @blp.doc(responses=RESPONSES)
    def get(self, client_id: UUID) -> Any:
        """Export the client's record: a FHIR R4 Bundle, or JSON (admin, auditor, their
        therapist)"""
        form = "json" if request.accept_mimetypes.best_match([FHIR_JSON, JSON]) == JSON else "fhir"
        require_export(client_id)
        moment = now()
        record = exported_record(client_id, form, actor=current_actor(), via="api", now=moment)
        if form == "fhir":
            body = json.dumps(client_bundle(record, moment))
            return Response(body, mimetype=FHIR_JSON, headers=NO_STORE)
        document = {
            "client": ClientOutSchema().dump(record.client),
            "plans": PlanOutSchema(many=True).dump(record.plans),
            "visits": VisitOutSchema(many=True).dump(record.visits),
        }
        return Response(json.dumps(document), mimetype=JSON, headers=NO_STORE)
