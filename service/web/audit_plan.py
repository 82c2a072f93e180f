"""One plan in the auditor's workspace: its timeline and its export, and what the plan's
other pages share (audit_versions.py: the plan as it stood, two versions compared;
audit_proof.py: seal checks, head hash, access log).

Reading the timeline, a past version, a comparison or the export is itself recorded in
the plan's access log (via "web"), as the API records an auditor's reads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import Response, request

from service.audit.plain import event_type
from service.audit.records import json_record
from service.domain.plan import TreatmentPlan
from service.http.context import clinic_zone, now, page, regimen, zone_label
from service.web.audit_find import names_of, user_names
from service.web.audit_words import in_zone, long_time, plain_line, type_words, who
from service.web.blueprint import web
from service.web.security import audit_page, current_account


@dataclass(frozen=True)
class Entry:
    """One event of the timeline."""

    version: int
    position: int
    kind: str
    at_text: str
    at_utc: str
    who: str
    line: str


@dataclass(frozen=True)
class OpenPlan:
    """A plan an auditor's page is about: its id, as it is now, and the clinic's zone."""

    plan_id: UUID
    current: TreatmentPlan
    zone: str

    @classmethod
    def of(cls, plan_id: UUID) -> OpenPlan:
        """The plan with this id (NotFound unless it is a plan), now."""
        regimen().require_plan(plan_id)
        return cls(plan_id, regimen().plan(plan_id), clinic_zone())

    def page(self, template: str, errors: dict[str, str], **values: Any) -> tuple[str, int]:
        """One of the plan's pages, headed by its summary; 422 when a field was refused."""
        return page(
            template,
            422 if errors else 200,
            active="audit_find",
            plan_id=self.plan_id,
            summary=summary(self.current, self.zone),
            errors=errors,
            **values,
        )


def record_read(plan_id: UUID, record: str) -> None:
    """Note in the plan's access log that the auditor signed in read this, from the pages."""
    detail = urlencode(sorted(request.args.items()))
    regimen().record_views(
        [plan_id], actor=current_account().actor, record=record, detail=detail, via="web", now=now()
    )


def utc_attr(moment: datetime) -> str:
    """An instant for a `datetime` attribute and a tooltip: ISO 8601 in UTC."""
    return moment.astimezone(ZoneInfo("UTC")).isoformat(timespec="seconds").replace("+00:00", "Z")


def summary(plan: TreatmentPlan, zone: str) -> dict[str, Any]:
    """The plan as the pages' heading names it."""
    clients, therapists = names_of("client"), names_of("therapist")
    return {
        "client": clients.get(plan.client_id, "Unknown client"),
        "therapist": therapists.get(plan.therapist_id, "unknown therapist"),
        "status": plan.status.value,
        "version": plan.version,
        "zone_label": zone_label(zone),
    }


def timeline(plan_id: UUID, zone: str) -> list[Entry]:
    """Every event of the plan in order, each with who did it and a plain line."""
    users, therapists = user_names(), names_of("therapist")
    entries = []
    for logged in regimen().plan_events(plan_id):
        event = logged.event
        actor = who(getattr(event, "actor", None), users)
        entries.append(
            Entry(
                version=event.originator_version,
                position=logged.position,
                kind=type_words(event_type(event)),
                at_text=long_time(in_zone(event.timestamp, zone)),
                at_utc=utc_attr(event.timestamp),
                who=actor.label,
                line=plain_line(event, actor, therapists),
            )
        )
    return entries


@web.get("/audit/plans/<uuid:plan_id>")
@audit_page
def audit_timeline(plan_id: UUID) -> tuple[str, int]:
    """The plan's history: every event in order, who did it (name and role), when."""
    plan = OpenPlan.of(plan_id)
    entries = timeline(plan_id, plan.zone)
    record_read(plan_id, "timeline")
    return plan.page("audit_timeline.html", {}, entries=entries)


@web.get("/audit/plans/<uuid:plan_id>/history.jsonl")
@audit_page
def audit_export(plan_id: UUID) -> Response:
    """The plan's events as JSON lines, one event a line, in order (as `regimen audit export`)."""
    events = regimen().plan_events(plan_id)
    record_read(plan_id, "export")
    body = "".join(json.dumps(json_record(e), sort_keys=True) + "\n" for e in events)
    return Response(
        body,
        mimetype="application/x-ndjson",
        headers={
            "Content-Disposition": f'attachment; filename="plan-{plan_id}-history.jsonl"',
            "Cache-Control": "no-store",  # clinical records: never kept by a cache
        },
    )
