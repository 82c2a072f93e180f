"""Payers: who pays for treatment, and on what terms (admin sets them up, staff reads)."""

from __future__ import annotations

from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from flask.views import MethodView

from service.api.auth import ADMIN, current_actor
from service.api.context import now, reads, regimen
from service.api.payer_schemas import (
    AuthorizationReportQuerySchema,
    AuthorizationStandingSchema,
    PayerOutSchema,
    PayerRowSchema,
    PayerSchema,
)
from service.api.resource import ResourceBlueprint, created, versioned
from service.domain.payer import Payer, PayerTerms
from service.domain.values import Role

DESK_AND_AUDIT = (Role.ADMIN, Role.FRONT_DESK, Role.AUDITOR)

blp = ResourceBlueprint("payers", __name__, description="Payers and their terms")


@blp.route("/payers")
class PayersView(MethodView):
    """The clinic's payers."""

    get = blp.directory("payer", PayerRowSchema(many=True), "List payers by name (?q= searches)")

    @blp.change(ADMIN, PayerSchema(), PayerOutSchema, status=201)
    def post(self, terms: PayerTerms) -> Any:
        """Register a payer"""
        return created(Payer, regimen().register_payer(terms, actor=current_actor()), "payers")


@blp.route("/payers/<uuid:payer_id>")
class PayerView(MethodView):
    """One payer."""

    get = blp.registered(Payer, PayerOutSchema, "Read a payer")

    @blp.change(ADMIN, PayerSchema(), PayerOutSchema)
    def put(self, terms: PayerTerms, payer_id: UUID) -> Any:
        """Replace a payer's terms

        Sessions already performed keep the units they billed. An authorization given before
        the change is counted as it was given (visits, units or both); what the payer counts
        now is asked of the authorizations given after it.
        """
        return versioned(regimen().change_payer(payer_id, terms, actor=current_actor()))


@blp.route("/authorizations")
class AuthorizationReportView(MethodView):
    """The authorization report: every open plan's authorization, by payer."""

    @blp.reading(
        DESK_AND_AUDIT,
        AuthorizationStandingSchema(many=True),
        query=AuthorizationReportQuerySchema(),
    )
    def get(self, query: dict[str, Any]) -> Any:
        """Authorized, booked, used and remaining visits and units of every open plan"""
        app = regimen()
        today = now().astimezone(ZoneInfo(app.clinic().zone)).date()
        return app.authorization_report(
            reads().open_plan_ids(with_authorization=True),
            today=today,
            within_days=query["expiring_within_days"],
        )
