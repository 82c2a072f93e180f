"""Where the therapist's pages are: one place builds their addresses, so that the day list
and the chart link to them the same way."""

from __future__ import annotations

from flask import url_for


def record_path(plan_id: str, number: int) -> str:
    """The page recording and evaluating a session (a visit is its own session 0)."""
    return url_for("web.record_session", plan_id=plan_id, number=number)


def assess_path(visit_id: str) -> str:
    """The page recording an assessment visit and proposing a plan from it."""
    return url_for("web.assess_visit", visit_id=visit_id)


def progress_path(plan_id: str) -> str:
    """The plan's progress graph."""
    return url_for("web.plan_progress", plan_id=plan_id)


def chart_path(client_id: str) -> str:
    """The client's chart."""
    return url_for("web.client_chart", client_id=client_id)
