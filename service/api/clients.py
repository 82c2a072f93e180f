"""Clients: registration, search and contact details (front desk)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView

from service.api.auth import DESK, STAFF, current_actor
from service.api.context import regimen
from service.api.resource import ResourceBlueprint, versioned
from service.api.schemas import ClientOutSchema, ClientPatchSchema, ClientSchema
from service.api.view_schemas import DirectoryRowSchema
from service.domain.client import Client

blp = ResourceBlueprint("clients", __name__, description="Clients of the clinic")


@blp.route("/clients")
class ClientsView(MethodView):
    """Clients of the clinic."""

    get = blp.directory(
        "client",
        DirectoryRowSchema(many=True),
        "List clients by name, or search them by name, email or phone (?q=)",
    )

    @blp.change(DESK, ClientSchema(), ClientOutSchema, status=201)
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
        client, status, tag = versioned(app.load(Client, client_id), 201)
        return client, status, {"Location": f"/api/v1/clients/{client_id}", **tag}


@blp.route("/clients/<uuid:client_id>")
class ClientView(MethodView):
    """One client."""

    @blp.reading(STAFF, ClientOutSchema)
    def get(self, client_id: UUID) -> Any:
        """Read a client"""
        return versioned(regimen().load(Client, client_id))

    @blp.change(DESK, ClientPatchSchema(), ClientOutSchema)
    def patch(self, changes: dict[str, Any], client_id: UUID) -> Any:
        """Change a client's details"""
        return versioned(regimen().update_client(client_id, changes, current_actor()))
