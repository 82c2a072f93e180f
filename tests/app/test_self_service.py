"""A client's own actions: confirming shows on the calendar until the session moves."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import pytest

from service.application import Regimen
from service.application.commands import Slot
from service.domain.errors import NotFound, SessionStateError
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from tests.builders import DESK, ZONE, Clinic, book_weekly
from tests.fakes import FixedClock

WEEK = ("2026-03-02T00:00:00Z", "2026-03-09T00:00:00Z")


def first_confirmed(regimen: Regimen) -> bool:
    rows = ReadModel(Projector(regimen)).fresh().sessions_between(*WEEK).items
    return bool(next(r for r in rows if r["number"] == 1)["confirmed"])


def test_a_confirmation_shows_until_the_session_moves(
    regimen: Regimen, clinic: Clinic, plan_id: UUID, clock: FixedClock
) -> None:
    book_weekly(regimen, plan_id, datetime(2026, 3, 3, 10), now=clock())
    assert not first_confirmed(regimen)

    regimen.confirm_attendance(clinic.client_id, plan_id, 1, now=clock())
    assert first_confirmed(regimen)

    later = Slot(datetime(2026, 3, 3, 15), ZONE)
    regimen.reschedule_session(plan_id, 1, later, actor=DESK, now=clock())
    assert not first_confirmed(regimen)  # a new time has not been confirmed


def test_only_the_clients_own_booked_session_to_come_is_confirmed(
    regimen: Regimen, clinic: Clinic, plan_id: UUID, clock: FixedClock
) -> None:
    book_weekly(regimen, plan_id, datetime(2026, 3, 3, 10), now=clock())
    with pytest.raises(NotFound):
        regimen.confirm_attendance(clinic.other_client_id, plan_id, 1, now=clock())
    clock.advance(days=2)  # session 1 is over
    with pytest.raises(SessionStateError):
        regimen.confirm_attendance(clinic.client_id, plan_id, 1, now=clock())


def test_revoking_raises_the_clients_link_generation(regimen: Regimen, clinic: Clinic) -> None:
    assert regimen.client_link_generation(clinic.client_id) == 0
    regimen.revoke_client_links(clinic.client_id, actor=DESK)
    assert regimen.client_link_generation(clinic.client_id) == 1
    assert regimen.client_link_generation(UUID(int=7)) is None
