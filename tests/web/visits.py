"""Visits booked straight through the application, for the web tests to look at."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from service.application import Regimen
from service.domain.visit import VisitBooking, VisitKind
from service.scheduler.recurrence import session_time
from tests.builders import DESK, ZONE, Clinic
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
    booking = VisitBooking(
        client_id=client_id or clinic.client_id,
        therapist_id=clinic.therapist_id,
        room_id=clinic.room_id,
        kind=kind,
        time=session_time(datetime.fromisoformat(local), ZONE, 60),
        complaint=complaint,
    )
    return regimen.book_visit(booking, actor=DESK, now=clock()).id
