"""The waitlist: clients join and leave it; the desk sees who waits and the offers in flight."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView

from service.api.auth import ADMIN, DESK, STAFF, current_actor
from service.api.context import now, reads, regimen
from service.api.resource import ResourceBlueprint, versioned
from service.api.waitlist_schemas import (
    EntryOutSchema,
    EntryRowSchema,
    JoinWaitlistSchema,
    LeaveWaitlistSchema,
    ListSchema,
    OfferRowSchema,
    PolicySchema,
)
from service.domain.waitlist import WaitlistRequest
from service.projections.waitlist_queries import WaitlistQueries

blp = ResourceBlueprint("waitlist", __name__, description="The waitlist and its offers")
ENTRY = "/waitlist/<uuid:entry_id>"


def waitlist_reads() -> WaitlistQueries:
    """The waitlist's view, caught up."""
    return WaitlistQueries.of(reads())


@blp.route("/waitlist")
class WaitlistView(MethodView):
    """The waitlist."""

    @blp.reading(STAFF, EntryRowSchema(many=True), query=ListSchema())
    def get(self, query: dict[str, Any]) -> Any:
        """List waitlist entries, longest waiting first (waiting ones unless ?status= says)"""
        return waitlist_reads().entries(query["status"] or "waiting")

    @blp.change(DESK, JoinWaitlistSchema(), EntryOutSchema, status=201)
    def post(self, body: dict[str, Any]) -> Any:
        """Put a client on the waitlist, for a therapist or any, with weekly time windows"""
        entry = regimen().join_waitlist(
            WaitlistRequest(**body), actor=current_actor(), now=now(), listed=waitlist_reads()
        )
        answer, status, headers = versioned(entry, 201)
        return answer, status, {"Location": f"/api/v1/waitlist/{entry.id}", **headers}


@blp.route(ENTRY)
class EntryView(MethodView):
    """One waitlist entry."""

    @blp.reading(STAFF, EntryOutSchema)
    def get(self, entry_id: UUID) -> Any:
        """Read a waitlist entry"""
        return versioned(regimen().waitlist_entry(entry_id))


@blp.route(f"{ENTRY}/leave")
class LeaveView(MethodView):
    """Leaving the waitlist."""

    @blp.change(DESK, LeaveWaitlistSchema(), EntryOutSchema)
    def post(self, body: dict[str, Any], entry_id: UUID) -> Any:
        """Take a client off the waitlist"""
        entry = regimen().leave_waitlist(entry_id, reason=body["reason"], actor=current_actor())
        return versioned(entry)


@blp.route("/waitlist/offers")
class OffersView(MethodView):
    """Offers of freed times."""

    @blp.reading(STAFF, OfferRowSchema(many=True), query=ListSchema())
    def get(self, query: dict[str, Any]) -> Any:
        """List offers of freed times, newest first (?status=open: those in flight)"""
        return waitlist_reads().offers(query["status"])


@blp.route("/clinic/waitlist-policy")
class PolicyView(MethodView):
    """The clinic's waitlist settings."""

    @blp.reading(STAFF, PolicySchema)
    def get(self) -> Any:
        """Read how long offers are held and how many clients a round reaches"""
        policy = regimen().waitlist_policy()
        return {"hold_minutes": policy.hold_minutes, "round_size": policy.round_size}

    @blp.change(ADMIN, PolicySchema(), PolicySchema)
    def put(self, body: dict[str, Any]) -> Any:
        """Set the offer hold (default 30 minutes) and the round size (default 3)"""
        policy = regimen().set_waitlist_policy(**body, actor=current_actor())
        return {"hold_minutes": policy.hold_minutes, "round_size": policy.round_size}
