"""Payers: who pays for treatment, and on what terms (admin sets them up, staff reads)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView

from service.api.auth import ADMIN, STAFF, current_actor
from service.api.context import regimen
from service.api.payer_schemas import PayerOutSchema, PayerRowSchema, PayerSchema
from service.api.resource import ResourceBlueprint, versioned
from service.domain.payer import Payer, PayerTerms

blp = ResourceBlueprint("payers", __name__, description="Payers and their terms")


@blp.route("/payers")
class PayersView(MethodView):
    """The clinic's payers."""

    get = blp.directory("payer", PayerRowSchema(many=True), "List payers by name (?q= searches)")

    @blp.change(ADMIN, PayerSchema(), PayerOutSchema, status=201)
    def post(self, terms: PayerTerms) -> Any:
        """Register a payer"""
        app = regimen()
        payer_id = app.register_payer(terms, actor=current_actor())
        payer = app.load(Payer, payer_id)
        return payer, 201, {"Location": f"/api/v1/payers/{payer_id}"}


@blp.route("/payers/<uuid:payer_id>")
class PayerView(MethodView):
    """One payer."""

    @blp.reading(STAFF, PayerOutSchema)
    def get(self, payer_id: UUID) -> Any:
        """Read a payer"""
        return versioned(regimen().load(Payer, payer_id))

    @blp.change(ADMIN, PayerSchema(), PayerOutSchema)
    def put(self, terms: PayerTerms, payer_id: UUID) -> Any:
        """Replace a payer's terms"""
        return versioned(regimen().change_payer(payer_id, terms, actor=current_actor()))
