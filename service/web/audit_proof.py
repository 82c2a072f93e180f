"""The proof of one plan's record in the auditor's workspace: its seal check, the whole
store's on request, the head hash to copy for anchoring, and who read its clinical record."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from flask import request

from service.audit.access_log import MAX_DAYS
from service.audit.report import Report
from service.http.context import now, regimen
from service.web.audit_find import day_arg, user_names
from service.web.audit_plan import OpenPlan, utc_attr
from service.web.audit_words import in_zone, long_time, who
from service.web.blueprint import web
from service.web.security import audit_page

ACCESS_LOG_DAYS = 31


@web.get("/audit/plans/<uuid:plan_id>/proof")
@audit_page
def audit_proof(plan_id: UUID) -> tuple[str, int]:
    """The plan's seal check, the whole store's on request, the head hash, the access log."""
    plan = OpenPlan.of(plan_id)
    app = regimen()
    plan_report = app.verify_history(plan_id)
    store_report = app.verify_log() if request.args.get("check") == "store" else None
    head = app.chain.head()
    errors: dict[str, str] = {}
    first, last = _days(errors)
    users = user_names()
    views = [
        {
            "at_text": long_time(in_zone(v.at, plan.zone)),
            "at_utc": utc_attr(v.at),
            "who": who(v.actor, users).label,
            "record": v.record,
            "via": v.via,
            "reason": v.reason,
            "detail": v.detail,
        }
        for v in reversed(app.access_log(plan_id, first, last))
    ]
    return plan.page(
        "audit_proof.html",
        errors,
        plan_report=_report(plan_report, plan_id),
        store_report=_report(store_report, None) if store_report else None,
        head=head,
        head_hash=head.log_hash.hex() if head else "",
        views=views,
        first=first.isoformat(),
        last=last.isoformat(),
    )


def _days(errors: dict[str, str]) -> tuple[date, date]:
    """The access log's days asked for: the last month unless others were, and are valid."""
    last = day_arg("to_day", "The last day", errors) or now().date()
    first = day_arg("from_day", "The first day", errors) or last - timedelta(
        days=ACCESS_LOG_DAYS - 1
    )
    if last < first:
        errors["to_day"] = "The last day comes before the first."
    elif (last - first).days >= MAX_DAYS:
        errors["from_day"] = f"Ask for at most {MAX_DAYS} days at a time."
    if errors:
        last = now().date()
        first = last - timedelta(days=ACCESS_LOG_DAYS - 1)
    return first, last


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
