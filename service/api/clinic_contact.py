"""The clinic's contact details: what every message to a client says about reaching it (admin)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView

from service.api.auth import ADMIN, STAFF, current_actor
from service.api.context import etag, regimen
from service.api.fields import EmailAddress, Line
from service.api.resource import ResourceBlueprint
from service.api.schemas import Strict
from service.domain.clinic_contact import MAX_RULE, ClinicContact

blp = ResourceBlueprint("clinic_contact", __name__, description="How clients reach the clinic")


class ClinicContactSchema(Strict):
    """The clinic's address, phone, email, website and late-cancel rule (each may be empty)."""

    address = Line(load_default="", metadata={"example": "12 River Street, Bristol BS1 4DJ"})
    phone = Line(max_length=40, load_default="", metadata={"example": "+44 117 496 0123"})
    email = EmailAddress(optional=True, metadata={"description": "Reply-To of clients' emails"})
    website = Line(load_default="", metadata={"example": "https://riverside.example.org"})
    late_cancel_rule = Line(
        max_length=MAX_RULE,
        load_default="",
        metadata={"example": "A late cancellation is charged at half the session's fee."},
    )


class ClinicContactOutSchema(ClinicContactSchema):
    """The contact details as stored, with the clinic's version."""

    version = ma.fields.Integer(dump_only=True)


def _contact_out(clinic: Any) -> tuple[Any, int, dict[str, str]]:
    return {**vars(clinic.contact), "version": clinic.version}, 200, etag(clinic.version)


@blp.route("/clinic/contact")
class ClinicContactView(MethodView):
    """How clients reach the clinic."""

    @blp.reading(STAFF, ClinicContactOutSchema)
    def get(self) -> Any:
        """Read the clinic's contact details"""
        return _contact_out(regimen().clinic())

    @blp.change(ADMIN, ClinicContactSchema(), ClinicContactOutSchema)
    def put(self, contact: dict[str, Any]) -> Any:
        """Set the contact details and late-cancel rule every message to a client carries"""
        clinic = regimen().set_clinic_contact(ClinicContact(**contact), actor=current_actor())
        return _contact_out(clinic)
