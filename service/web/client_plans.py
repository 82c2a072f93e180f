"""The plans a client may book the next sessions of from their own page (when the clinic
allows self-booking): what the page's "Book your next session" section lists."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import url_for

from service.application.self_booking import self_booking_allowed
from service.domain.plan import TreatmentPlan
from service.http.context import reads, regimen

MOST_PLANS = 20


def plans_to_book(client_id: UUID, token: str) -> list[dict[str, Any]] | None:
    """The client's agreed plans with sessions still to book, or None when the clinic does
    not let clients book (the section is then left out). Nothing clinical: the therapist and
    how many sessions are left."""
    if not self_booking_allowed(regimen()):
        return None
    rows = reads().plans(client_id=str(client_id), status="agreed", limit=MOST_PLANS).items
    names = {UUID(r["plan_id"]): r.get("therapist_name") or "" for r in rows}
    plans = regimen().current(names)
    return [
        {
            "therapist": names[plan.id],
            "left": plan.sessions_to_book,
            "url": url_for("client.book", token=token, plan=str(plan.id)),
        }
        for plan in plans.values()
        if isinstance(plan, TreatmentPlan) and plan.sessions_to_book > 0
    ]
