"""Visits booked straight through the application, for the web tests to look at."""

from __future__ import annotations

from uuid import UUID

from service.application import Regimen
from service.domain.visit import VisitKind
from tests.builders import DESK, Clinic, visit_booking
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
