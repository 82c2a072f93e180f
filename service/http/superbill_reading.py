"""A client's superbill as billing reads it: made at the clinic's local time, its reading
written to the access log of each plan whose coverage it bills and of each visit it bills.
The API and the desk's billing page share it."""

from __future__ import annotations

from datetime import date
from uuid import UUID
from zoneinfo import ZoneInfo

from service.domain.values import Actor
from service.http.context import clinic_zone, now, reads, regimen
from service.reports.superbill import Superbill, superbill


def read_superbill(
    client_id: UUID, period: tuple[date, date], form: str, *, actor: Actor, via: str
) -> Superbill:
    """The client's superbill for the period (clinic-local days, inclusive), read in `form`
    and logged as read by `actor`; InvalidValue for a period it cannot cover."""
    app, moment = regimen(), now()
    bill = superbill(app, reads(), client_id, period, moment.astimezone(ZoneInfo(clinic_zone())))
    app.record_views(
        [*(c.plan_id for c in bill.coverages), *bill.visit_ids],
        actor=actor,
        record="superbill",
        detail=f"format={form}",
        via=via,
        now=moment,
    )
    return bill
