"""Visits and series booked straight through the application, for the web tests to look at."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from service.application import Regimen
from service.domain.visit import VisitKind
from tests.builders import DESK, Clinic, book_weekly, visit_booking
from tests.fakes import FixedClock


def book_visit(
    regimen: Regimen,
    clinic: Clinic,
    clock: FixedClock,
    local: str,
    kind: VisitKind = VisitKind.ASSESSMENT,
    complaint: str = "",
    client_id: UUID | None = None,
) -> UUID:
    """A visit of Cora's (or the client given) with Ada in Room A, 60 minutes from `local`."""
    booking = visit_booking(clinic, local, kind, complaint, client_id)
    return regimen.book_visit(booking, actor=DESK, now=clock()).id


def book_tuesdays(regimen: Regimen, plan_id: UUID, clock: FixedClock) -> None:
    """The plan's series booked by the desk: Tuesdays at 10:00 from 3 March."""
    book_weekly(regimen, plan_id, datetime(2026, 3, 3, 10), now=clock())
