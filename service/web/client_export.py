"""The client's own record, downloaded from their page: the FHIR R4 Bundle the API's export
gives (service/reports/fhir.py), of this client only, logged as an export by the client.

The signed link names the client, so no other client's record can be asked for; the link's
limits (per address and per client) count these downloads as they count the page.
"""

from __future__ import annotations

from flask import Response, json

from service.application.self_service import client_actor
from service.http.client_record import exported_record
from service.http.context import now
from service.reports.fhir import client_bundle
from service.web.client_page import client_pages, opened_or_refusal

FHIR_JSON = "application/fhir+json"


@client_pages.route("/c/<token>/record.json")
def record(token: str) -> Response:
    """The client's whole record as a FHIR R4 Bundle, to keep or take to another clinic."""
    opened = opened_or_refusal(token)
    if isinstance(opened, Response):
        return opened
    client_id, moment = opened.client.id, now()
    found = exported_record(
        client_id, "fhir", actor=client_actor(client_id), via="client-page", now=moment
    )
    body = json.dumps(client_bundle(found, moment))
    response = Response(body, mimetype=FHIR_JSON)
    response.headers["Content-Disposition"] = 'attachment; filename="my-record.json"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
