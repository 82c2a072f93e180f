"""Links to a client's own page, for the desk to hand out or to revoke (a lost phone)."""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

import marshmallow as ma
from flask import current_app
from flask.views import MethodView

from service.api.auth import DESK, current_actor, roles
from service.api.context import now, public_url_for, regimen
from service.api.resource import ResourceBlueprint
from service.domain.client import Client
from service.reminders.client_links import LIFETIME, make_link_token

blp = ResourceBlueprint("client_links", __name__, description="Links to clients' own pages")


class PageLinkSchema(ma.Schema):
    """A signed link to the client's page: it opens without a password until it expires or
    the desk revokes the client's links."""

    url = ma.fields.String(metadata={"description": "The client's page"})
    expires_at = ma.fields.AwareDateTime()


class LinksRevokedSchema(ma.Schema):
    """Every link sent to the client so far has stopped working."""

    generation = ma.fields.Integer(metadata={"description": "Links older than this are refused"})


@blp.route("/clients/<uuid:client_id>/page-link")
class PageLinkView(MethodView):
    """A link to the client's own page."""

    @roles(*DESK)
    @blp.response(201, PageLinkSchema)
    def post(self, client_id: UUID) -> Any:
        """Make a signed link to the client's page, to send them by hand"""
        client = regimen().load(Client, client_id)
        moment = now()
        secret = cast(str, current_app.secret_key)
        token = make_link_token(secret, client.id, client.link_generation, moment)
        return {
            "url": public_url_for("client.page", token=token),
            "expires_at": moment + LIFETIME,
        }, 201


@blp.route("/clients/<uuid:client_id>/page-link/revoke")
class RevokeLinksView(MethodView):
    """Stop every link to the client's page sent so far."""

    @roles(*DESK)
    @blp.response(200, LinksRevokedSchema)
    def post(self, client_id: UUID) -> Any:
        """Revoke the client's page links (their next message carries a new one)"""
        client = regimen().revoke_client_links(client_id, actor=current_actor())
        return {"generation": client.link_generation}
