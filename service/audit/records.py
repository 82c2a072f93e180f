"""Plans, logged events and verification reports as JSON-ready data, for the API and the CLI."""

from __future__ import annotations

from typing import Any

from service.audit.plain import event_record, plain
from service.audit.replay import LoggedEvent
from service.audit.report import Problem, Report
from service.domain.plan import TreatmentPlan

SECRET_FIELDS = ("token_hash",)  # how a token is looked up: never in a feed or export


def plan_document(plan: TreatmentPlan) -> dict[str, Any]:
    """Everything the plan holds, as JSON-ready data: for replay and for diffs."""
    state = {
        name.lstrip("_"): value for name, value in vars(plan).items() if name != "_pending_events"
    }
    return plain(state)


def logged_record(logged: LoggedEvent) -> dict[str, Any]:
    """An event of the global log: position, aggregate, version, type, time, actor, data."""
    record = event_record(logged.event)
    for name in SECRET_FIELDS:
        record["data"].pop(name, None)
    return {
        "position": logged.position,
        "aggregate_id": logged.event.originator_id,
        "aggregate_type": type(logged.event).__qualname__.split(".")[0],
        **record,
    }


def json_record(logged: LoggedEvent) -> dict[str, Any]:
    """A logged event as plain JSON (for JSON lines)."""
    return plain(logged_record(logged))


def problem_record(problem: Problem) -> dict[str, Any]:
    """A problem found by verification."""
    return {
        "position": problem.position,
        "kind": problem.kind,
        "detail": problem.detail,
        "aggregate_id": problem.aggregate_id,
        "version": problem.version,
    }


def report_record(report: Report) -> dict[str, Any]:
    """A verification report."""
    return {
        "ok": report.ok,
        "events_checked": report.events_checked,
        "seals_checked": report.seals_checked,
        "head_position": report.head.position if report.head else None,
        "head_hash": report.head.log_hash.hex() if report.head else None,
        "problem_count": report.problem_count,
        "counts": dict(report.counts),
        "first_problem": problem_record(report.problems[0]) if report.problems else None,
        "problems": [problem_record(p) for p in report.problems],
    }
