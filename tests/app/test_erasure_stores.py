"""Erasure on both stores: placeholders on replay, seals intact, snapshots gone, freed
calendar, and no row of the client in any view, even after a rebuild."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time
from uuid import UUID

import pytest
from eventsourcing.cipher import AESCipher

from service.application import Regimen
from service.bootstrap import build_regimen
from service.config import Settings
from service.domain.calendar import CalendarDay, Resource
from service.domain.client import Client
from service.domain.errors import ClientErasedError, RetentionHold
from service.domain.plan import TreatmentPlan
from service.domain.proposal import PlanProposal
from service.domain.values import PlanStatus, SessionStatus
from service.domain.waitlist_values import WaitlistRequest, Window
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from tests.api.helpers import book, perform
from tests.builders import (
    ADMIN,
    DESK,
    THERAPIST,
    agreed_plan,
    proposal,
    small_clinic,
    visit_booking,
    waitlist_view,
)

KEY = AESCipher.create_key(32)
PHRASE = "Narwhal-origami drifts along the lumbar fascia"
BOOKED_AT = datetime(2026, 3, 2, 8, tzinfo=UTC)
ERASED_AT = datetime(2026, 3, 10, 9, tzinfo=UTC)
VIEW_TABLES = (
    "rv_directory",
    "rv_sessions",
    "rv_plans",
    "rv_measures",
    "rv_reminder_sessions",
    "rv_client_notices",
    "rv_waitlist_entries",
)
MORNINGS = (Window(weekdays=(0, 1, 2, 3, 4), start=time(9), end=time(12)),)


@pytest.fixture
def keyed(shared_database_url: str) -> Iterator[Regimen]:
    regimen = build_regimen(Settings(database_url=shared_database_url, cipher_key=KEY))
    yield regimen
    regimen.close()


def rows_naming(reads: ReadModel, client_id: UUID, plan_id: UUID) -> list[str]:
    """The view tables that still hold a row of the client or their plan."""
    found = []
    for table in VIEW_TABLES:
        rows = reads.recorder.query(f"SELECT * FROM {table}")
        if any(
            str(client_id) in map(str, r.values()) or str(plan_id) in map(str, r.values())
            for r in rows
        ):
            found.append(table)
    return found


def test_erasing_mid_plan_on_each_store(keyed: Regimen) -> None:
    clinic = small_clinic(keyed)
    plan_id = agreed_plan(keyed, clinic)
    for day in ("2026-03-09", "2026-03-16"):
        book(keyed, plan_id, f"{day}T10:00", BOOKED_AT)
    perform(keyed, plan_id, 1, notes=PHRASE)
    keyed.take_snapshot(plan_id)
    waiting = WaitlistRequest(clinic.client_id, None, MORNINGS, plan_id=plan_id)
    keyed.join_waitlist(waiting, actor=DESK, now=BOOKED_AT, listed=waitlist_view(keyed))
    reads = ReadModel(Projector(keyed)).fresh()
    assert rows_naming(reads, clinic.client_id, plan_id)  # the views did list her

    with pytest.raises(RetentionHold):
        keyed.erase_client(clinic.client_id, actor=ADMIN, now=ERASED_AT)
    keyed.erase_client(clinic.client_id, actor=ADMIN, now=ERASED_AT, override_reason="order")

    plan = keyed.repository.get(plan_id)
    assert isinstance(plan, TreatmentPlan) and plan.status is PlanStatus.CANCELLED
    assert plan.sessions[0].performance is not None
    assert plan.sessions[0].performance.notes == "erased"
    assert plan.sessions[1].status is SessionStatus.CANCELLED
    assert keyed.snapshots is not None and keyed.snapshots.recorder.select_events(plan_id) == []
    day = keyed.repository.get(
        CalendarDay.create_id(Resource.THERAPIST, clinic.therapist_id, datetime(2026, 3, 16).date())
    )
    assert [r.number for r in day.reservations] == []  # the 16 March slot is free again
    assert keyed.verify_log().ok
    reads.fresh()
    assert rows_naming(reads, clinic.client_id, plan_id) == []
    Projector(keyed).rebuild()
    assert rows_naming(reads, clinic.client_id, plan_id) == []
    assert [r["name"] for r in reads.directory("client").items] == ["Dan Client"]


def test_nothing_more_is_recorded_of_an_erased_client(keyed: Regimen) -> None:
    clinic = small_clinic(keyed)
    keyed.erase_client(clinic.client_id, actor=ADMIN, now=ERASED_AT)  # never treated: no hold
    before = keyed.recorder.max_notification_id()
    assert keyed.load(Client, clinic.client_id).link_generation == 1  # links sent are revoked

    with pytest.raises(ClientErasedError):
        keyed.update_client(clinic.client_id, {"name": "Cora Again"}, ADMIN)
    with pytest.raises(ClientErasedError):
        keyed.propose_plan(PlanProposal(**proposal(clinic)), actor=THERAPIST)
    with pytest.raises(ClientErasedError):
        keyed.book_visit(visit_booking(clinic, "2026-03-16T10:00"), actor=DESK, now=BOOKED_AT)
    with pytest.raises(ClientErasedError):
        waiting = WaitlistRequest(clinic.client_id, None, MORNINGS)
        keyed.join_waitlist(waiting, actor=DESK, now=BOOKED_AT, listed=waitlist_view(keyed))
    assert keyed.recorder.max_notification_id() == before


def test_another_process_forgets_the_client_once_its_views_read_the_erasure(
    keyed: Regimen, shared_database_url: str
) -> None:
    clinic = small_clinic(keyed)
    plan_id = agreed_plan(keyed, clinic)
    book(keyed, plan_id, "2026-03-09T10:00", BOOKED_AT)
    perform(keyed, plan_id, 1, notes=PHRASE)
    other = build_regimen(Settings(database_url=shared_database_url, cipher_key=KEY))
    try:
        record = other.plan(plan_id).sessions[0].performance
        assert record is not None and record.notes == PHRASE  # kept, with the key cached

        keyed.erase_client(clinic.client_id, actor=ADMIN, now=ERASED_AT, override_reason="x")
        ReadModel(Projector(other)).fresh()  # its views read ClientErased

        record = other.plan(plan_id).sessions[0].performance
        assert record is not None and record.notes == "erased"
    finally:
        other.close()
