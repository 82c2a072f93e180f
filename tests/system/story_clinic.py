"""The therapist's story's clinic: the demo clinic, a new therapist, the desk, and the
client's assessment visit booked on a day ahead on which every session finds the clinic open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from service.application.commands import ClientDetails, TherapistDetails
from service.bootstrap import build_regimen
from service.cli.demo import ZONE, hours, seed_demo
from service.config import Settings
from service.domain.values import Role
from service.domain.visit import VisitBooking, VisitKind
from service.scheduler.recurrence import session_time
from tests.builders import CLI, DESK

LONDON = ZoneInfo(ZONE)
THERAPIST, CLIENT = "Nadia Okonjo", "Rosa Lindqvist"
COMPLAINT = "Lower back and right hip ache after a winter of gardening"
START = time(10)  # the visit and every session begin at 10:00, London time
# The weeks from the visit with a session: weekly to session 4 (booked before the change),
# then 5 and 6 re-paced to every 14 days from it.
WEEKS = (0, 1, 2, 3, 4, 6, 8)


@dataclass(frozen=True)
class Clinic:
    """What the story starts from: the database, two tokens and the booked visit."""

    database_url: str
    therapist_token: str
    desk_token: str
    visit_id: UUID
    visit_start: datetime  # UTC


def visit_day(closed: set[date]) -> date:
    """A weekday ahead on which the visit and every session of the story find the clinic
    open (the demo closes on Christmas Day)."""
    day = datetime.now(LONDON).date() + timedelta(days=1)
    while day.weekday() >= 5 or any(day + timedelta(weeks=w) in closed for w in WEEKS):
        day += timedelta(days=1)
    return day


def arrange(database_url: str) -> Clinic:
    """The demo clinic, a new therapist with a token, the desk's token, and the client's
    assessment visit booked (at the real time) on a day ahead. The rest is the story's."""
    regimen = build_regimen(Settings(database_url=database_url))
    try:
        seed_demo(regimen, CLI)
        therapist_id = regimen.register_therapist(
            TherapistDetails(
                name=THERAPIST,
                email="nadia@clinic.example",
                modalities=("deep tissue", "myofascial release"),
            ),
            actor=CLI,
        )
        regimen.set_working_hours(therapist_id, hours(time(9), time(17, 30)), CLI)
        _, therapist_token = regimen.add_user(THERAPIST, Role.THERAPIST, CLI, therapist_id)
        _, desk_token = regimen.add_user("Fern Desk", Role.FRONT_DESK, CLI)
        client_id = regimen.register_client(
            ClientDetails(name=CLIENT, email="rosa@example.org", zone=ZONE),
            actor=CLI,
        )
        christmas = date(datetime.now(UTC).year, 12, 25)  # as seed_demo closes it
        day = visit_day({christmas})
        booking = VisitBooking(
            client_id=client_id,
            therapist_id=therapist_id,
            room_id=None,
            kind=VisitKind.ASSESSMENT,
            time=session_time(datetime.combine(day, START), ZONE, 60),
            complaint=COMPLAINT,
        )
        visit = regimen.book_visit(booking, actor=DESK, now=datetime.now(UTC))
    finally:
        regimen.close()
    return Clinic(database_url, therapist_token, desk_token, visit.id, visit.session.time.start)
