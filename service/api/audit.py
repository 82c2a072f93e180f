"""Audit: a plan's history and changes, the global event feed, tamper evidence, the access log.

Every successful read of a plan's clinical record (the plan at any version, a
session, the history, the changes, the progress, the feed) is itself recorded,
with who read it, before the answer leaves the server.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from eventsourcing.persistence import MapperDeserialisationError
from flask import Response, g, request
from flask.views import MethodView

from service.api.audit_schemas import (
    AccessLogQuerySchema,
    AuditIndexQuerySchema,
    AuditIndexRowSchema,
    ChangesQuerySchema,
    ChangesSchema,
    FeedPageSchema,
    FeedQuerySchema,
    VerifySchema,
    ViewSchema,
)
from service.api.auth import CLINICAL_READERS, current_actor
from service.api.charts import READ
from service.api.context import now, reads, regimen
from service.api.pages import NEXT_PAGE_HEADERS, window
from service.api.plan_out_schemas import HistoryEventSchema
from service.api.problems import problem
from service.api.resource import ResourceBlueprint
from service.api.view_schemas import PageQuerySchema
from service.audit.chain import ChainBroken
from service.audit.diff import differences
from service.audit.plain import event_record
from service.audit.records import logged_record, plan_document, report_record
from service.audit.replay import MAX_VERSION
from service.audit.seals import KeyMismatch
from service.domain.errors import InvalidValue
from service.domain.plan import TreatmentPlan
from service.domain.values import Actor, Role
from service.projections.paging import Page

blp = ResourceBlueprint(
    "audit",
    __name__,
    description="Audit: history, past states, changes, the event feed, tamper evidence, access",
)
AUDITORS = (Role.AUDITOR, Role.ADMIN)
ACCESS_LOG_DAYS = 31
LOG = logging.getLogger("regimen.audit")
# Endpoints that read a plan's clinical record, and the name each read is logged under.
CLINICAL_READS = {
    "plans.PlanView": "plan",
    "sessions.SessionView": "session",
    "audit.HistoryView": "history",
    "audit.ChangesView": "changes",
    "views.ProgressView": "progress",
    "reports.ProgressReportView": "progress-report",
    "visits.VisitView": "visit",  # logged under the visit's id, as a plan's under the plan's
}
LINK_HEADER = {"Link": NEXT_PAGE_HEADERS["Link"]}


@blp.route("/plans/<uuid:plan_id>/history")
class HistoryView(MethodView):
    """What happened to a plan, event by event."""

    @blp.listing(CLINICAL_READERS, PageQuerySchema(), HistoryEventSchema(many=True), use=READ)
    def get(self, query: dict[str, Any], plan_id: UUID) -> Any:
        """List the plan's events in order: version, type, time, actor, data (paged)

        The cursor is the last version read (pass X-Next-Cursor, or follow Link).
        """
        after = _version_cursor(query["cursor"])
        events, more = regimen().history_page(plan_id, after, query["limit"])
        cursor = str(events[-1].originator_version) if more else None
        return Page(named([event_record(e) for e in events]), cursor)


@blp.route("/plans/<uuid:plan_id>/history/verify")
class HistoryVerifyView(MethodView):
    """Tamper evidence for one plan."""

    @blp.reading(CLINICAL_READERS, VerifySchema, use=READ)
    def get(self, plan_id: UUID) -> Any:
        """Check the plan's stored events against their seals: OK, or what is wrong and where"""
        return report_record(regimen().verify_history(plan_id))


@blp.route("/plans/<uuid:plan_id>/changes")
class ChangesView(MethodView):
    """What changed between two versions."""

    @blp.reading(CLINICAL_READERS, ChangesSchema, query=ChangesQuerySchema(), use=READ)
    def get(self, query: dict[str, Any], plan_id: UUID) -> Any:
        """Compare two versions of a plan field by field (sessions too), with the events between"""
        before, after, events = regimen().plan_changes(
            plan_id, query["from_version"], query["to_version"]
        )
        return {
            "plan_id": plan_id,
            "from_version": before.version,
            "to_version": after.version,
            "events": named([event_record(e) for e in events]),
            "changes": differences(plan_document(before), plan_document(after)),
        }


@blp.route("/plans/<uuid:plan_id>/access-log")
class AccessLogView(MethodView):
    """Who read the plan's clinical record."""

    @blp.reading(AUDITORS, ViewSchema(many=True), query=AccessLogQuerySchema())
    def get(self, query: dict[str, Any], plan_id: UUID) -> Any:
        """List every recorded read of the plan between two UTC days (default: the last 31)"""
        app = regimen()
        app.require_plan(plan_id)
        last = query["to_day"] or now().date()
        first = query["from_day"] or date.fromordinal(
            max(last.toordinal() - ACCESS_LOG_DAYS + 1, 1)
        )
        return app.access_log(plan_id, first, last)


@blp.route("/events")
class FeedView(MethodView):
    """The global ordered log, for integrators to catch up."""

    @blp.reading(AUDITORS, FeedPageSchema, query=FeedQuerySchema(), headers=LINK_HEADER)
    def get(self, query: dict[str, Any]) -> Any:
        """Read every stored event after a position, in order; resume from `next_after`"""
        app = regimen()
        events, more = app.event_feed(query["after"], query["limit"])
        plans = [e.event.originator_id for e in events if isinstance(e.event, TreatmentPlan.Event)]
        app.record_views(plans, actor=current_actor(), record="feed", detail=_detail(), now=now())
        next_after = events[-1].position if events else query["after"]
        headers = {}
        if more:
            args = urlencode({**request.args.to_dict(), "after": next_after})
            headers["Link"] = f'<{request.path}?{args}>; rel="next"'
        body = {"events": named([logged_record(e) for e in events]), "next_after": next_after}
        return {**body, "more": more}, 200, headers


@blp.route("/audit/index")
class AuditIndexView(MethodView):
    """The audit index: events found by aggregate, type, actor and time, without replay."""

    @blp.listing(AUDITORS, AuditIndexQuerySchema(), AuditIndexRowSchema(many=True))
    def get(self, query: dict[str, Any]) -> Any:
        """List who did what to which aggregate, when, in log order (the events: GET /events)"""
        aggregate = query["aggregate_id"]
        found = reads().audit(
            originator_id=str(aggregate) if aggregate else None,
            event_type=query["type"],
            actor_id=query["actor_id"],
            since=query["since"],
            until=query["until"],
            **window(query),
        )
        names = user_names()
        rows = [
            {**row, "actor_name": actor_name(row["actor_id"], row["actor_role"], names)}
            for row in found.items
        ]
        return Page(rows, found.next_cursor)


@blp.route("/audit/verify")
class VerifyView(MethodView):
    """Tamper evidence for the whole store."""

    @blp.reading(AUDITORS, VerifySchema)
    def get(self) -> Any:
        """Check every stored event and the chained seals of the whole log: OK, or what and where"""
        report = regimen().verify_log()
        regimen().record_verification(report, now())
        return report_record(report)


def user_names() -> dict[str, str]:
    """Who acted, by user id: every account's name, revoked ones included, and the CLI's."""
    return regimen().actor_names()


def actor_name(user_id: str | None, role: str | None, names: Mapping[str, str]) -> str | None:
    """Who acted, by name: the account's, 'Scheduler' for the system, None if unknown."""
    if role == Role.SYSTEM.value:
        return "Scheduler"
    return names.get(user_id or "")


def named(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Event records with the name of the actor beside the actor."""
    names = user_names()
    for record in records:
        actor = record.get("actor")
        role = actor.role.value if isinstance(actor, Actor) else None
        user = actor.user_id if isinstance(actor, Actor) else None
        record["actor_name"] = actor_name(user, role, names)
    return records


def _version_cursor(cursor: str | None) -> int:
    if cursor is None:
        return 0
    if not cursor.isdigit() or int(cursor) > MAX_VERSION:
        raise InvalidValue(f"cursor must be a version number from X-Next-Cursor, not {cursor!r}")
    return int(cursor)


def _detail() -> str:
    arguments = {k: v for k, v in (request.view_args or {}).items() if k != "plan_id"}
    arguments.update(request.args.to_dict())
    return urlencode(sorted((k, str(v)) for k, v in arguments.items()))


@blp.after_app_request
def record_clinical_read(response: Response) -> Response:
    """Record a successful read of a plan's clinical record, or refuse the read."""
    record = CLINICAL_READS.get(request.endpoint or "")
    arguments = request.view_args or {}
    plan_id = arguments.get("plan_id") or arguments.get("visit_id")
    account = g.get("account")
    if record is None or request.method != "GET" or response.status_code != 200:
        return response
    if plan_id is None or account is None:
        return response
    try:
        regimen().record_views(
            [plan_id],
            actor=account.actor,
            record=record,
            detail=_detail(),
            reason=g.get("access_reason", ""),
            now=now(),
        )
    except Exception:
        LOG.exception("could not record a read of plan %s", plan_id)
        return problem(503, "the read could not be recorded in the access log; try again")
    return response


@blp.app_errorhandler(MapperDeserialisationError)
def unreadable(error: MapperDeserialisationError) -> Response:
    """Stored events that cannot be decrypted or decoded: a clear answer, never garbage."""
    LOG.error("stored events cannot be read: %s", error)
    return problem(
        503,
        "the stored events cannot be read: REGIMEN_CIPHER_KEY is missing, or is not the key "
        "they were written with",
        "events-unreadable",
    )


@blp.app_errorhandler(KeyMismatch)
def key_mismatch(error: KeyMismatch) -> Response:
    """The configured key is not the one the store was sealed with."""
    return problem(503, str(error), "wrong-cipher-key")


@blp.app_errorhandler(ChainBroken)
def chain_broken(error: ChainBroken) -> Response:
    """The log was cut back: nothing more is written until someone investigates."""
    LOG.error("%s", error)
    return problem(503, str(error), "event-log-altered")
