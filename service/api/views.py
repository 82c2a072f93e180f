"""The front desk's views: calendar, day sheet, client schedule, plan lists and progress."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView

from service.api.auth import STAFF
from service.api.charts import READ
from service.api.context import reads, regimen
from service.api.pages import window
from service.api.resource import ResourceBlueprint
from service.api.view_schemas import (
    CalendarQuerySchema,
    DaySheetQuerySchema,
    DaySheetSchema,
    PageQuerySchema,
    ProgressSchema,
    SessionRowSchema,
)
from service.domain.client import Client
from service.domain.errors import InvalidValue, NotFound
from service.domain.staff import Therapist
from service.http.context import clinic_zone, today
from service.projections.caseload import authorization_left
from service.projections.progress import plan_progress
from service.projections.queries import local_day_span

blp = ResourceBlueprint(
    "views", __name__, description="Calendar, day sheets, schedules and plan lists"
)
MAX_CALENDAR_DAYS = 62


def _text(value: UUID | None) -> str | None:
    return str(value) if value else None


@blp.route("/calendar")
class CalendarView(MethodView):
    """Sessions over a range of days."""

    @blp.listing(STAFF, CalendarQuerySchema(), SessionRowSchema(many=True))
    def get(self, query: dict[str, Any]) -> Any:
        """List sessions between two clinic-local days (inclusive), by therapist or room"""
        first, last = query["from_"], query["to"]
        if last < first or (last - first).days >= MAX_CALENDAR_DAYS:
            raise InvalidValue(f"'to' must be on or after 'from', at most {MAX_CALENDAR_DAYS} days")
        zone = regimen().clinic().zone
        start, _ = local_day_span(first, zone)
        _, end = local_day_span(last, zone)
        return reads().sessions_between(
            start,
            end,
            therapist_id=_text(query["therapist_id"]),
            room_id=_text(query["room_id"]),
            **window(query),
        )


@blp.route("/therapists/<uuid:therapist_id>/day-sheet")
class DaySheetView(MethodView):
    """A therapist's day."""

    @blp.reading(STAFF, DaySheetSchema, query=DaySheetQuerySchema())
    def get(self, query: dict[str, Any], therapist_id: UUID) -> Any:
        """List a therapist's sessions of one clinic-local day, cancelled ones included"""
        app = regimen()
        app.load(Therapist, therapist_id)
        zone = app.clinic().zone
        return {
            "therapist_id": str(therapist_id),
            "date": query["date"],
            "timezone": zone,
            "sessions": reads().day_sheet(str(therapist_id), query["date"], zone),
        }


@blp.route("/clients/<uuid:client_id>/sessions")
class ClientSessionsView(MethodView):
    """A client's schedule."""

    @blp.listing(STAFF, PageQuerySchema(), SessionRowSchema(many=True))
    def get(self, query: dict[str, Any], client_id: UUID) -> Any:
        """List a client's sessions, earliest first"""
        regimen().load(Client, client_id)
        return reads().sessions_between(
            "0000",
            "9999",
            client_id=str(client_id),
            **window(query),
        )


@blp.route("/plans/<uuid:plan_id>/progress")
class ProgressView(MethodView):
    """How a plan is going."""

    @blp.reading(STAFF, ProgressSchema, use=READ)
    def get(self, plan_id: UUID) -> Any:
        """Sessions done and left, pain before and after, trend, authorization (desk: no pain)"""
        model = reads()
        progress = plan_progress(model, str(plan_id), today=today(clinic_zone()))
        if progress is None:
            raise NotFound(f"no treatment plan with id {plan_id}")
        summary = progress.plan  # read once, with the measures and adherence
        outcomes = model.outcomes(str(plan_id))
        change = pain_change(outcomes)
        return {
            "measures": progress.measures,
            "adherence": progress.adherence,
            "latest_recommendation": progress.latest_recommendation,
            "plan": summary,
            "outcomes": outcomes,
            "pain_change": change,
            "pain_trend": trend(change),
            "authorization_left": authorization_left(summary["auth_visits"], summary["auth_used"]),
            "authorization_units_left": authorization_left(
                summary["auth_units"], summary["auth_units_used"]
            ),
        }


def pain_change(outcomes: list[dict[str, Any]]) -> int | None:
    """Last pain after minus first pain before, or None without both."""
    before = [o["pain_before"] for o in outcomes if o["pain_before"] is not None]
    after = [o["pain_after"] for o in outcomes if o["pain_after"] is not None]
    if not before or not after:
        return None
    return int(after[-1]) - int(before[0])


def trend(change: int | None) -> str:
    """The word for a change in pain."""
    if change is None:
        return "unknown"
    return "improving" if change < 0 else "worsening" if change > 0 else "steady"
