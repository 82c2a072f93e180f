"""A plan as it stood at a version or an instant of the clinic's time, and two versions of
it side by side with the changed fields highlighted (the auditor's workspace)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import request

from service.audit.diff import Change, differences
from service.audit.plain import plain
from service.audit.records import plan_document
from service.audit.replay import MAX_VERSION
from service.domain.errors import DomainError
from service.domain.plan import TreatmentPlan
from service.domain.values import Session
from service.http.context import regimen
from service.web.audit_find import names_of
from service.web.audit_plan import Entry, OpenPlan, record_read, timeline
from service.web.audit_words import field_label, series_text, short_time, value_text
from service.web.blueprint import web
from service.web.forms import problem_text
from service.web.security import audit_page

# What the plan document holds that the summary and the sessions table show already.
SHOWN = ("id", "version", "created_on", "modified_on", "sessions", "status", "series")


@dataclass(frozen=True)
class SessionRow:
    """One session of a plan as it stood."""

    number: int
    when: str
    status: str
    therapist: str
    notes: str


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


@web.get("/audit/plans/<uuid:plan_id>/as-it-stood")
@audit_page
def audit_as_it_stood(plan_id: UUID) -> tuple[str, int]:
    """The whole plan as it stood at a version, or at an instant of the clinic's time."""
    plan = OpenPlan.of(plan_id)
    entries = timeline(plan_id, plan.zone)
    raw_version = request.args.get("version", "").strip()
    raw_at = request.args.get("at", "").strip()
    errors: dict[str, str] = {}
    past = None
    try:
        if raw_at:
            past = regimen().plan_at(plan_id, as_of=_local_instant(raw_at, plan.zone))
        elif raw_version:
            past = regimen().plan_at(plan_id, version=_version(raw_version, plan.current.version))
    except DomainError as error:
        errors["at" if raw_at else "version"] = problem_text(error)
    shown = past or plan.current
    if not errors:
        record_read(plan_id, "plan")
    return plan.page(
        "audit_as_it_stood.html",
        errors,
        versions=version_options(entries),
        chosen=str(shown.version),
        at=raw_at[:19],
        asked_at=raw_at and not errors,
        view=plan_view(shown),
        made_by=entries[shown.version - 1] if shown.version <= len(entries) else None,
        is_current=shown.version == plan.current.version,
        tree_rest=True,
    )


@web.get("/audit/plans/<uuid:plan_id>/compare")
@audit_page
def audit_compare(plan_id: UUID) -> tuple[str, int]:
    """Two versions side by side, the fields that changed highlighted, the events between."""
    plan = OpenPlan.of(plan_id)
    entries = timeline(plan_id, plan.zone)
    errors: dict[str, str] = {}
    last = plan.current.version
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
    return plan.page(
        "audit_compare.html",
        errors,
        versions=version_options(entries),
        from_version=from_version,
        to_version=to_version,
        between=[e for e in entries if from_version < e.version <= to_version],
        changes=[_change_row(c) for c in changes],
        pairs=_session_pairs(before_view, after_view),
        before=before_view,
        after=after_view,
    )


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


class _BadVersion(DomainError):
    """A version that the plan does not have."""


class _BadInstant(DomainError):
    """An instant that is not one."""
