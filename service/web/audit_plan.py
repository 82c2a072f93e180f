"""One plan in the auditor's workspace: its timeline, the plan as it stood at a version or an
instant, two versions side by side, and the proof (seal checks, head hash, access log).

Reading the timeline, a past version, a comparison or the export is itself recorded in
the plan's access log (via "web"), as the API records an auditor's reads.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import Response, request

from service.audit.access_log import MAX_DAYS
from service.audit.diff import Change, differences
from service.audit.plain import event_type, plain
from service.audit.records import json_record, plan_document
from service.audit.replay import MAX_VERSION
from service.audit.report import Report
from service.domain.errors import DomainError
from service.domain.plan import TreatmentPlan
from service.domain.values import Session
from service.http.context import clinic_zone, now, page, regimen, zone_label
from service.web.audit_find import names_of, user_names
from service.web.audit_words import (
    field_label,
    in_zone,
    long_time,
    plain_line,
    series_text,
    short_time,
    type_words,
    value_text,
    who,
)
from service.web.blueprint import web
from service.web.forms import problem_text
from service.web.security import audit_page, current_account

ACCESS_LOG_DAYS = 31
# What the plan document holds that the summary and the sessions table show already.
SHOWN = ("id", "version", "created_on", "modified_on", "sessions", "status", "series")


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
class SessionRow:
    """One session of a plan as it stood."""

    number: int
    when: str
    status: str
    therapist: str
    notes: str


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


def session_rows(sessions: list[Session], therapists: Mapping[UUID, str]) -> list[SessionRow]:
    """A plan's sessions as a table shows them."""
    rows = []
    for session in sessions:
        notes = [
            "late cancel" if session.late_cancel else "",
            "left unrecorded" if session.unrecorded else "",
            "evaluated" if session.evaluation else "",
            f"amended {len(session.amendments)}×" if session.amendments else "",
        ]
        rows.append(
            SessionRow(
                number=session.number,
                when=short_time(session.time.local_start) + f" {session.time.local_start.year}",
                status=session.status.value,
                therapist=therapists.get(session.therapist_id, "unknown therapist"),
                notes=", ".join(n for n in notes if n),
            )
        )
    return rows


def plan_view(plan: TreatmentPlan) -> dict[str, Any]:
    """The plan at one version, as the page renders it: summary, sessions, everything else."""
    therapists = names_of("therapist")
    document = plan_document(plan)
    return {
        "version": plan.version,
        "status": plan.status.value,
        "series": series_text(plan.series),
        "therapist": therapists.get(plan.therapist_id, "unknown therapist"),
        "sessions": session_rows(list(plan.sessions), therapists),
        "assessment": document.get("assessment"),
        "rest": {k: v for k, v in document.items() if k not in (*SHOWN, "assessment")},
    }


def version_options(entries: list[Entry]) -> list[tuple[str, str]]:
    """Each version with the event that made it, for a version picker."""
    return [(str(e.version), f"{e.version} — {e.kind}, {e.at_text}") for e in entries]


def _plan(plan_id: UUID) -> TreatmentPlan:
    regimen().require_plan(plan_id)
    return regimen().plan(plan_id)


@web.get("/audit/plans/<uuid:plan_id>")
@audit_page
def audit_timeline(plan_id: UUID) -> tuple[str, int]:
    """The plan's history: every event in order, who did it (name and role), when."""
    zone = clinic_zone()
    plan = _plan(plan_id)
    entries = timeline(plan_id, zone)
    record_read(plan_id, "timeline")
    return page(
        "audit_timeline.html",
        active="audit_find",
        plan_id=plan_id,
        summary=summary(plan, zone),
        entries=entries,
    )


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


@web.get("/audit/plans/<uuid:plan_id>/as-it-stood")
@audit_page
def audit_as_it_stood(plan_id: UUID) -> tuple[str, int]:
    """The whole plan as it stood at a version, or at an instant of the clinic's time."""
    zone = clinic_zone()
    current = _plan(plan_id)
    entries = timeline(plan_id, zone)
    raw_version = request.args.get("version", "").strip()
    raw_at = request.args.get("at", "").strip()
    errors: dict[str, str] = {}
    past = None
    try:
        if raw_at:
            past = regimen().plan_at(plan_id, as_of=_local_instant(raw_at, zone))
        elif raw_version:
            past = regimen().plan_at(plan_id, version=_version(raw_version, current.version))
    except DomainError as error:
        errors["at" if raw_at else "version"] = problem_text(error)
    shown = past or current
    if not errors:
        record_read(plan_id, "plan")
    return page(
        "audit_as_it_stood.html",
        422 if errors else 200,
        active="audit_find",
        plan_id=plan_id,
        summary=summary(current, zone),
        versions=version_options(entries),
        chosen=str(shown.version),
        at=raw_at[:19],
        errors=errors,
        asked_at=raw_at and not errors,
        view=plan_view(shown),
        made_by=entries[shown.version - 1] if shown.version <= len(entries) else None,
        is_current=shown.version == current.version,
        tree_rest=True,
    )


@web.get("/audit/plans/<uuid:plan_id>/compare")
@audit_page
def audit_compare(plan_id: UUID) -> tuple[str, int]:
    """Two versions side by side, the fields that changed highlighted, the events between."""
    zone = clinic_zone()
    current = _plan(plan_id)
    entries = timeline(plan_id, zone)
    errors: dict[str, str] = {}
    last = current.version
    to_version = _version_arg("to", last, last, errors)
    from_version = _version_arg("from", max(to_version - 1, 1), last, errors)
    if not errors and from_version > to_version:
        errors["from"] = "The first version must not come after the second."
    if errors:
        from_version, to_version = max(last - 1, 1), last
    before, after, _events = regimen().plan_changes(plan_id, from_version, to_version)
    changes = differences(plan_document(before), plan_document(after))
    before_view, after_view = plan_view(before), plan_view(after)
    record_read(plan_id, "changes")
    return page(
        "audit_compare.html",
        422 if errors else 200,
        active="audit_find",
        plan_id=plan_id,
        summary=summary(current, zone),
        versions=version_options(entries),
        errors=errors,
        from_version=from_version,
        to_version=to_version,
        between=[e for e in entries if from_version < e.version <= to_version],
        changes=[_change_row(c) for c in changes],
        pairs=_session_pairs(before_view, after_view),
        before=before_view,
        after=after_view,
    )


@web.get("/audit/plans/<uuid:plan_id>/proof")
@audit_page
def audit_proof(plan_id: UUID) -> tuple[str, int]:
    """The plan's seal check, the whole store's on request, the head hash, the access log."""
    zone = clinic_zone()
    current = _plan(plan_id)
    app = regimen()
    plan_report = app.verify_history(plan_id)
    store_report = app.verify_log() if request.args.get("check") == "store" else None
    head = app.chain.head()
    errors: dict[str, str] = {}
    last = _day_arg("to_day", errors) or now().date()
    first = _day_arg("from_day", errors) or last - timedelta(days=ACCESS_LOG_DAYS - 1)
    if last < first:
        errors["to_day"] = "The last day comes before the first."
    elif (last - first).days >= MAX_DAYS:
        errors["from_day"] = f"Ask for at most {MAX_DAYS} days at a time."
    if errors:
        last = now().date()
        first = last - timedelta(days=ACCESS_LOG_DAYS - 1)
    users = user_names()
    views = [
        {
            "at_text": long_time(in_zone(v.at, zone)),
            "at_utc": utc_attr(v.at),
            "who": who(v.actor, users).label,
            "record": v.record,
            "via": v.via,
            "reason": v.reason,
            "detail": v.detail,
        }
        for v in reversed(app.access_log(plan_id, first, last))
    ]
    return page(
        "audit_proof.html",
        422 if errors else 200,
        active="audit_find",
        plan_id=plan_id,
        summary=summary(current, zone),
        plan_report=_report(plan_report, plan_id),
        store_report=_report(store_report, None) if store_report else None,
        head=head,
        head_hash=head.log_hash.hex() if head else "",
        views=views,
        first=first.isoformat(),
        last=last.isoformat(),
        errors=errors,
    )


def _report(report: Report, plan_id: UUID | None) -> dict[str, Any]:
    problems = [
        {
            "position": p.position,
            "kind": p.kind.replace("-", " "),
            "detail": p.detail,
            "version": p.version,
            "theirs": plan_id is None or p.aggregate_id == plan_id,
        }
        for p in report.problems
    ]
    return {
        "ok": report.ok,
        "events": report.events_checked,
        "seals": report.seals_checked,
        "problem_count": report.problem_count,
        "problems": problems,
        "first": problems[0] if problems else None,
    }


def _change_row(change: Change) -> dict[str, Any]:
    return {
        "path": change.path,
        "label": field_label(change.path),
        "change": change.change,
        "before": value_text(plain(change.before)),
        "after": value_text(plain(change.after)),
    }


def _session_pairs(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """The sessions of two versions side by side, by number; which parts differ."""
    old = {s.number: s for s in before["sessions"]}
    new = {s.number: s for s in after["sessions"]}
    pairs = []
    for number in sorted(set(old) | set(new)):
        a, b = old.get(number), new.get(number)
        changed = {
            part
            for part in ("when", "status", "therapist", "notes")
            if (getattr(a, part) if a else None) != (getattr(b, part) if b else None)
        }
        pairs.append({"number": number, "before": a, "after": b, "changed": changed})
    return pairs


def _version(raw: str, last: int) -> int:
    if not raw.isdigit() or not 1 <= int(raw) <= min(last, MAX_VERSION):
        raise _BadVersion(f"Choose a version from 1 to {last}.")
    return int(raw)


def _version_arg(name: str, default: int, last: int, errors: dict[str, str]) -> int:
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    try:
        return _version(raw, last)
    except _BadVersion as error:
        errors[name] = str(error)
        return default


def _local_instant(raw: str, zone: str) -> datetime:
    try:
        moment = datetime.fromisoformat(raw[:40])
    except ValueError:
        raise _BadInstant(
            f"Give a date and time like 2026-03-02T09:30, not {raw[:40]!r}."
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    return moment


def _day_arg(name: str, errors: dict[str, str]) -> date | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = f"Give a date like 2026-03-02, not {raw[:40]!r}."
        return None


class _BadVersion(DomainError):
    """A version that the plan does not have."""


class _BadInstant(DomainError):
    """An instant that is not one."""
