"""What became of the notices sent to clients (bookings confirmed, the clinic's changes)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView

from service.api.auth import STAFF
from service.api.context import reads
from service.api.resource import ResourceBlueprint
from service.api.schemas import Strict
from service.projections.locked import ViewDatabase
from service.projections.notice_outbox import NoticeOutbox

blp = ResourceBlueprint("notices", __name__, description="Notices to clients")
STATUSES = ("claimed", "sent", "failed", "cancelled")


class NoticeQuerySchema(Strict):
    """Notices by status."""

    status = ma.fields.String(load_default=None, validate=ma.validate.OneOf(STATUSES))


class NoticeRowSchema(ma.Schema):
    """A notice: whose plan or visit, what kind, which sessions, and what became of it."""

    id = ma.fields.String(attribute="notice_id")
    plan_or_visit_id = ma.fields.String(attribute="holder_id")
    kind = ma.fields.String(metadata={"description": "booked, moved or cancelled"})
    sessions = ma.fields.String(attribute="numbers", metadata={"description": "numbers, 0: visit"})
    changed_at = ma.fields.String()
    status = ma.fields.String()
    detail = ma.fields.String(metadata={"description": "why it failed or was not sent"})
    settled_at = ma.fields.String(attribute="sent_at")


@blp.route("/notices")
class NoticesView(MethodView):
    """Notices to clients."""

    @blp.reading(STAFF, NoticeRowSchema(many=True), query=NoticeQuerySchema())
    def get(self, query: dict[str, Any]) -> Any:
        """List the latest notices' outcomes; ?status=failed shows what never went out"""
        outbox = NoticeOutbox(ViewDatabase.of(reads().projector.recorder))
        return outbox.deliveries(query["status"])
