"""Request and response bodies for payers."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from service.api.fields import Name
from service.api.loading import builds
from service.api.schemas import Strict
from service.domain.billing_units import UnitRule
from service.domain.payer import MAX_FEE, AuthorizationCount, Fee, PayerTerms

CODE = {"description": "A procedure code: CPT (97124, 97140, 97110, 97112) or the clinic's own"}


class FeeSchema(Strict):
    """What the payer pays for one unit of a procedure code."""

    code = Name(metadata={**CODE, "example": "97124"})
    amount = fields.Integer(
        required=True,
        validate=validate.Range(0, MAX_FEE),
        metadata={"description": "Minor units of the payer's currency (cents)", "example": 3500},
    )

    make = builds(Fee)


class PayerSchema(Strict):
    """A payer's terms."""

    name = Name(metadata={"example": "Acme Health"})
    unit_rule = fields.Enum(
        UnitRule,
        by_value=True,
        required=True,
        metadata={"description": "How minutes become 15-minute units"},
    )
    counts = fields.Enum(
        AuthorizationCount,
        by_value=True,
        required=True,
        metadata={"description": "What the payer's authorizations count"},
    )
    late_cancel_counts = fields.Boolean(
        required=True, metadata={"description": "A late cancel uses up the authorization"}
    )
    no_show_counts = fields.Boolean(
        required=True, metadata={"description": "A no-show uses up the authorization"}
    )
    currency = fields.String(
        load_default="USD",
        validate=validate.Regexp(r"^[A-Z]{3}$", error="an ISO 4217 code such as USD"),
        metadata={"example": "USD", "pattern": "^[A-Z]{3}$"},
    )
    fees = fields.List(fields.Nested(FeeSchema), load_default=list)

    make = builds(PayerTerms)


class PayerOutSchema(ma.Schema):
    """A payer as stored."""

    id = fields.UUID()
    version = fields.Integer()
    name = fields.String()
    unit_rule = fields.Enum(UnitRule, by_value=True, attribute="terms.unit_rule")
    counts = fields.Enum(AuthorizationCount, by_value=True, attribute="terms.counts")
    late_cancel_counts = fields.Boolean(attribute="terms.late_cancel_counts")
    no_show_counts = fields.Boolean(attribute="terms.no_show_counts")
    currency = fields.String(attribute="terms.currency")
    fees = fields.List(fields.Nested(FeeSchema), attribute="terms.fees")


class PayerRowSchema(ma.Schema):
    """A payer in the list."""

    id = fields.String()
    name = fields.String()


class AllowanceSchema(ma.Schema):
    """Visits or units of an authorization."""

    authorized = fields.Integer()
    booked = fields.Integer(metadata={"description": "Booked ahead, not yet performed"})
    used = fields.Integer(
        metadata={"description": "Performed, and late cancels or no-shows that count"}
    )
    remaining = fields.Integer(metadata={"description": "Neither booked nor used"})


class AuthorizationReportQuerySchema(Strict):
    """Which authorizations count as expiring."""

    expiring_within_days = fields.Integer(load_default=30, validate=validate.Range(0, 366))


class AuthorizationStandingSchema(ma.Schema):
    """One open plan's authorization: counts only, no clinical text."""

    plan_id = fields.UUID()
    client_id = fields.UUID()
    payer = fields.String()
    payer_id = fields.UUID(allow_none=True)
    number = fields.String()
    valid_until = fields.Date()
    visits = fields.Nested(
        AllowanceSchema, allow_none=True, metadata={"description": "Null unless it counts visits"}
    )
    units = fields.Nested(
        AllowanceSchema, allow_none=True, metadata={"description": "Null unless it counts units"}
    )
    expiring = fields.Boolean(metadata={"description": "It ends within the days asked about"})
    uncoded = fields.Integer(
        metadata={
            "description": "Sessions performed without procedure codes: each counts its planned "
            "units but bills nothing until its record is amended with codes"
        }
    )
