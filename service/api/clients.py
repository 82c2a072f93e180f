"""Clients: registration, search and contact details (front desk)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView

from service.api.auth import ADMIN, DESK, STAFF, current_actor
from service.api.context import directory_search, etag, likely_duplicates, now, reads, regimen
from service.api.resource import ResourceBlueprint, created, versioned
from service.api.schemas import (
    ClientOutSchema,
    ClientPatchSchema,
    ClientSchema,
    ErasureOutSchema,
    ErasureSchema,
)
from service.api.view_schemas import DirectoryRowSchema, SearchPageSchema
from service.application.commands import ClientDetails
from service.domain.client import Client
from service.domain.errors import InvalidValue, LikelyDuplicate

blp = ResourceBlueprint("clients", __name__, description="Clients of the clinic")


def client_phone(value: str) -> str:
    """The number as it would be kept (E.164); or a 422 naming the field as the schema's own
    checks do (the schema cannot read it: a national number needs the clinic's country)."""
    try:
        return regimen().client_phone(value)
    except InvalidValue as error:
        raise InvalidValue(str(error), errors={"json": {"phone": [str(error)]}}) from None


def refuse_duplicates(name: str, email: str, phone: str) -> None:
    """Raise LikelyDuplicate naming the clients this new one may be, if there are any."""
    found = likely_duplicates(name, email, phone)
    if found:
        names = ", ".join(f"{row['name']} ({row['id']})" for row in found)
        raise LikelyDuplicate(
            f"a client with this email, or this name and phone number, is registered "
            f"already: {names}; send allow_duplicate: true to register a new one anyway",
            duplicates=[
                {**{k: row[k] for k in ("id", "name", "email", "phone")}, "href": href(row)}
                for row in found
            ],
        )


def href(row: dict[str, Any]) -> str:
    """The API address of a client in the directory."""
    return f"/api/v1/clients/{row['id']}"


@blp.route("/clients")
class ClientsView(MethodView):
    """Clients of the clinic."""

    @blp.listing(STAFF, SearchPageSchema(), DirectoryRowSchema(many=True))
    def get(self, search: dict[str, Any]) -> Any:
        """List clients by name, or search them by name, email or phone (?q=)"""
        query = directory_search(search["q"])
        return reads().directory("client", query, search["limit"], search["cursor"])

    @blp.change(DESK, ClientSchema(), ClientOutSchema, status=201)
    def post(self, details: dict[str, Any]) -> Any:
        """Register a client; a likely duplicate answers 409 unless allow_duplicate is true"""
        app = regimen()
        zone = details["zone"] or app.clinic().zone
        phone = client_phone(details["phone"])
        if not details["allow_duplicate"]:
            refuse_duplicates(details["name"], details["email"], phone)
        client_id = app.register_client(
            ClientDetails(
                name=details["name"],
                email=details["email"],
                phone=phone,
                zone=zone,
                notes=details["notes"],
            ),
            actor=current_actor(),
        )
        client, status, where = created(Client, client_id, "clients")
        return client, status, {**where, **etag(client.version)}


@blp.route("/clients/<uuid:client_id>")
class ClientView(MethodView):
    """One client."""

    get = blp.registered(Client, ClientOutSchema, "Read a client")

    @blp.change(DESK, ClientPatchSchema(), ClientOutSchema)
    def patch(self, changes: dict[str, Any], client_id: UUID) -> Any:
        """Change a client's details"""
        if "phone" in changes:
            changes = {**changes, "phone": client_phone(changes["phone"])}
        return versioned(regimen().update_client(client_id, changes, current_actor()))


@blp.route("/clients/<uuid:client_id>/erasure")
class ClientErasureView(MethodView):
    """A client's right to erasure (admin)."""

    @blp.change(ADMIN, ErasureSchema(), ErasureOutSchema)
    def post(self, request: dict[str, Any], client_id: UUID) -> Any:
        """Erase a client: destroy their data key, cancel what is booked, purge every view"""
        erasure = regimen().erase_client(
            client_id,
            actor=current_actor(),
            now=now(),
            override_reason=request["override_reason"],
        )
        return vars(erasure)
