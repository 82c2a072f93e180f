"""Builders for the tests: a small clinic and plans in a known state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from service.application import Regimen
from service.application.commands import ClientDetails, SeriesBooking, Slot, TherapistDetails
from service.domain.billing_units import UnitRule
from service.domain.clinic import ClinicSettings
from service.domain.payer import AuthorizationCount, PayerTerms
from service.domain.plan import TreatmentPlan
from service.domain.proposal import PlanProposal
from service.domain.values import Actor, DayHours, Role, WeeklyHours
from service.domain.visit import VisitBooking, VisitKind
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from service.projections.waitlist_queries import WaitlistQueries
from service.scheduler.booking_policy import ConflictPolicy
from service.scheduler.recurrence import session_time
from tests.plans import proposal_values

ZONE = "Europe/London"
ADMIN = Actor(user_id="test-admin", role=Role.ADMIN)
THERAPIST = Actor(user_id="test-therapist", role=Role.THERAPIST)
DESK = Actor(user_id="test-desk", role=Role.FRONT_DESK)
CLI = Actor(user_id="cli", role=Role.ADMIN)  # the admin, as the `regimen` command acts
WEEKDAYS_8_TO_20 = WeeklyHours(
    tuple(DayHours(weekday=d, start=time(8), end=time(20)) for d in range(6))
)


@dataclass(frozen=True)
class Clinic:
    """Ids of a small clinic: two therapists, two rooms, two clients."""

    therapist_id: UUID
    other_therapist_id: UUID
    room_id: UUID
    other_room_id: UUID
    client_id: UUID
    other_client_id: UUID


def configure_clinic(regimen: Regimen, **changes: Any) -> None:
    """Set the test clinic up: London, open Mon-Sat 08:00-20:00, late cancels counted,
    with any setting changed as asked."""
    settings: dict[str, Any] = {
        "name": "Test Clinic",
        "zone": ZONE,
        "opening_hours": WEEKDAYS_8_TO_20,
        "cancellation_window_hours": 24,
        "late_cancel_counts": True,
    }
    regimen.configure_clinic(ClinicSettings(**{**settings, **changes}), actor=ADMIN)


def small_clinic(regimen: Regimen) -> Clinic:
    """A London clinic open Mon-Sat 08:00-20:00, late cancels counted."""
    configure_clinic(regimen)
    therapists = []
    for name in ("Ada Therapist", "Ben Therapist"):
        therapist_id = regimen.register_therapist(
            TherapistDetails(name=name, modalities=("swedish",)), actor=ADMIN
        )
        regimen.set_working_hours(therapist_id, WEEKDAYS_8_TO_20, ADMIN)
        therapists.append(therapist_id)
    rooms = [regimen.add_room(name=name, actor=ADMIN) for name in ("Room A", "Room B")]
    clients = [
        regimen.register_client(
            ClientDetails(
                name=name,
                email=f"{name.split()[0].lower()}@example.org",
                zone=ZONE,
            ),
            actor=DESK,
        )
        for name in ("Cora Client", "Dan Client")
    ]
    return Clinic(therapists[0], therapists[1], rooms[0], rooms[1], clients[0], clients[1])


def visit_booking(
    clinic: Clinic,
    local: str,
    kind: VisitKind = VisitKind.ASSESSMENT,
    complaint: str = "",
    client_id: UUID | None = None,
) -> VisitBooking:
    """A visit of Cora's (or the client given) with Ada in Room A, 60 minutes from `local`."""
    return VisitBooking(
        client_id=client_id or clinic.client_id,
        therapist_id=clinic.therapist_id,
        room_id=clinic.room_id,
        kind=kind,
        time=session_time(datetime.fromisoformat(local), ZONE, 60),
        complaint=complaint,
    )


# A clinic's contact with every field given, as the admin sends it (and a ClinicContact takes it).
RIVERSIDE_CONTACT = {
    "address": "12 River Street, Bristol BS1 4DJ",
    "phone": "+44 117 496 0123",
    "email": "desk@riverside.example.org",
    "website": "https://riverside.example.org",
    "late_cancel_rule": "A late cancellation is charged at half the session's fee.",
}

# A payer counting units (and visits) under Medicare's rule; late cancels and no-shows count.
ACME_TERMS = PayerTerms(
    "Acme Health",
    UnitRule.CMS_8_MINUTE,
    AuthorizationCount.BOTH,
    late_cancel_counts=True,
    no_show_counts=True,
)


def people_of(clinic: Clinic) -> dict[str, str]:
    """Cora, Ada and Room A, as the ids a request or a form names them by."""
    return {
        "client_id": str(clinic.client_id),
        "therapist_id": str(clinic.therapist_id),
        "room_id": str(clinic.room_id),
    }


def proposal(clinic: Clinic, **overrides: Any) -> dict[str, Any]:
    """The arguments of a typical plan proposal: 6 weekly sessions of 60 minutes."""
    return proposal_values(clinic.client_id, clinic.therapist_id, clinic.room_id, **overrides)


def agreed_plan(regimen: Regimen, clinic: Clinic, **overrides: Any) -> UUID:
    """A proposed and agreed plan, ready for booking."""
    plan_id = regimen.propose_plan(PlanProposal(**proposal(clinic, **overrides)), actor=THERAPIST)
    regimen.agree_plan(plan_id, actor=DESK)
    return plan_id


def book_weekly(
    regimen: Regimen, plan_id: UUID, first: datetime, now: datetime, actor: Actor = DESK
) -> None:
    """The plan's whole series booked weekly from `first` (London wall time), refused on a clash."""
    booking = SeriesBooking(Slot(first, ZONE), ConflictPolicy.FAIL)
    regimen.book_series(plan_id, booking, actor=actor, now=now)


def all_plans(regimen: Regimen) -> list[TreatmentPlan]:
    """Every plan, found by scanning the whole log: an oracle independent of the views."""
    topic = get_topic(TreatmentPlan) + ".PlanProposed"
    notifications = regimen.recorder.select_notifications(
        start=None, limit=1_000_000, topics=[topic]
    )
    return [regimen.plan(n.originator_id) for n in notifications]  # type: ignore[arg-type]


def waitlist_view(regimen: Regimen) -> WaitlistQueries:
    """The application's waitlist view, caught up: what a join reads."""
    return WaitlistQueries.of(ReadModel(Projector(regimen)).fresh())
