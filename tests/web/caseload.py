"""A therapist's Monday, built through the application, for My day and the client chart.

Ada (the therapist token's record) on Monday 2 March 2026, looked at at 12:30 London time:
  09:00 Cora, plan A session 2 of 6: performed, not evaluated      -> evaluate
  10:00 Dan, plan B session 1 of 6 (authorized for 2 visits)       -> record
  12:00 Cora, assessment visit, nothing recorded                   -> assess
  15:00 Dan, single-session visit                                  -> nothing yet
Plan A's session 1 (Monday 23 February) ended with nothing recorded. Ben has a session
with Dan at 11:00 that is not Ada's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from service.application import Regimen
from service.application.commands import Slot
from service.domain.visit import VisitKind
from tests.builders import DESK, THERAPIST, ZONE, Clinic, agreed_plan, visit_booking
from tests.fakes import FixedClock
from tests.plans import authorization, evaluation, performance, utc
from tests.web.visits import book_visit

SECRET_NOTE = "client mentioned the quokka tattoo ache"  # a phrase only a therapist writes
LOOKED_AT = utc(2026, 3, 2, 12, 30)


@dataclass(frozen=True)
class Monday:
    """The ids of Ada's Monday."""

    plan_a: UUID
    plan_b: UUID
    ben_plan: UUID
    assessment_visit: UUID
    single_visit: UUID


def book(regimen: Regimen, plan_id: UUID, local: str, now: datetime, **slot: UUID) -> int:
    """Book the plan's next session at a London wall time; returns its number."""
    wall = datetime.fromisoformat(local)
    return regimen.book_session(
        plan_id, Slot(local_start=wall, zone=ZONE, **slot), actor=DESK, now=now
    ).number


def adas_monday(regimen: Regimen, clinic: Clinic, clock: FixedClock) -> Monday:
    """Build the day above and set the clock to 12:30 on it."""
    before = utc(2026, 2, 20, 8)
    plan_a = agreed_plan(regimen, clinic, focus_areas=("lower back", "right hip"))
    book(regimen, plan_a, "2026-02-23T09:00", before)
    book(regimen, plan_a, "2026-03-02T09:00", before)
    regimen.perform_session(
        plan_a,
        1 + 1,
        performance=performance(notes=SECRET_NOTE),
        actor=THERAPIST,
        now=utc(2026, 3, 2, 10, 5),
    )
    plan_b = agreed_plan(
        regimen,
        clinic,
        client_id=clinic.other_client_id,
        authorization=authorization(visits=2, valid_until=datetime(2026, 6, 30).date()),
    )
    book(regimen, plan_b, "2026-03-02T10:00", before)
    ben_plan = agreed_plan(
        regimen,
        clinic,
        client_id=clinic.other_client_id,
        therapist_id=clinic.other_therapist_id,
        room_id=clinic.other_room_id,
        authorization=authorization(visits=1, valid_until=datetime(2026, 3, 10).date()),
    )
    book(regimen, ben_plan, "2026-03-02T11:00", before)
    clock.now = before
    assessment_visit = book_visit(
        regimen,
        clock,
        visit_booking(clinic, "2026-03-02T12:00", complaint="stiff neck after a fall"),
    )
    single_visit = book_visit(
        regimen,
        clock,
        visit_booking(
            clinic, "2026-03-02T15:00", VisitKind.SINGLE, client_id=clinic.other_client_id
        ),
    )
    clock.now = LOOKED_AT
    return Monday(plan_a, plan_b, ben_plan, assessment_visit, single_visit)


def evaluate_plan_a(regimen: Regimen, monday: Monday) -> None:
    """Ada evaluates plan A's session 2, with a note."""
    regimen.evaluate_session(
        monday.plan_a,
        2,
        evaluation=evaluation(notes="quokka evaluation"),
        actor=THERAPIST,
        now=LOOKED_AT,
    )
