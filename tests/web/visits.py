"""Visits and series booked straight through the application, for the web tests to look at."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from service.application import Regimen
from service.domain.visit import VisitBooking
from tests.builders import DESK, book_weekly
from tests.fakes import FixedClock


def book_visit(regimen: Regimen, clock: FixedClock, booking: VisitBooking) -> UUID:
    """The visit booked by the desk at the clock's time; its id."""
    return regimen.book_visit(booking, actor=DESK, now=clock()).id


def book_tuesdays(regimen: Regimen, plan_id: UUID, clock: FixedClock) -> None:
    """The plan's series booked by the desk: Tuesdays at 10:00 from 3 March."""
    book_weekly(regimen, plan_id, datetime(2026, 3, 3, 10), now=clock())
