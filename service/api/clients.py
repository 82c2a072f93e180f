"""Clients: registration, search and contact details (front desk)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import DESK, STAFF, current_actor, roles
from service.api.context import etag, reads, regimen
from service.api.pages import NEXT_PAGE_HEADERS, paged
from service.api.schemas import ClientOutSchema, ClientPatchSchema, ClientSchema
from service.api.view_schemas import DirectoryRowSchema, SearchPageSchema
from service.domain.client import Client

blp = Blueprint("clients", __name__, description="Clients of the clinic")


@blp.route("/clients")
class ClientsView(MethodView):
    """Clients of the clinic."""

    @roles(*STAFF)
    @blp.arguments(SearchPageSchema(), location="query")
    @blp.response(200, DirectoryRowSchema(many=True), headers=NEXT_PAGE_HEADERS)
    def get(self, search: dict[str, Any]) -> Any:
        """List clients by name, or search them by name, email or phone (?q=)"""
        return paged(reads().directory("client", search["q"], search["limit"], search["cursor"]))

    @roles(*DESK)
    @blp.arguments(ClientSchema())
    @blp.response(201, ClientOutSchema)
    def post(self, details: dict[str, Any]) -> Any:
        """Register a client"""
        app = regimen()
        zone = details["zone"] or app.clinic().zone
        client_id = app.register_client(
            actor=current_actor(),
            name=details["name"],
            email=details["email"],
            phone=details["phone"],
            zone=zone,
            notes=details["notes"],
        )
        client = app.load(Client, client_id)
        return client, 201, {"Location": f"/api/v1/clients/{client_id}", **etag(client.version)}


@blp.route("/clients/<uuid:client_id>")
class ClientView(MethodView):
    """One client."""

    @roles(*STAFF)
    @blp.response(200, ClientOutSchema)
    def get(self, client_id: UUID) -> Any:
        """Read a client"""
        client = regimen().load(Client, client_id)
        return client, 200, etag(client.version)

    @roles(*DESK)
    @blp.arguments(ClientPatchSchema())
    @blp.response(200, ClientOutSchema)
    def patch(self, changes: dict[str, Any], client_id: UUID) -> Any:
        """Change a client's details"""
        client = regimen().update_client(client_id, changes, current_actor())
        return client, 200, etag(client.version)
