"""The demo clinic itself: its people (real staff accounts the demo acts as), its rooms and
clients, and the clock its story runs on, so every event reads who did it, and when."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID

from service.application.commands import ClientDetails, Slot, TherapistDetails
from service.application.regimen import Regimen
from service.domain.clinic import ClinicSettings
from service.domain.clinic_contact import ClinicContact
from service.domain.errors import SlotTaken
from service.domain.events import recorded_at
from service.domain.proposal import PlanProposal
from service.domain.values import (
    Actor,
    Assessment,
    Closure,
    DayHours,
    Intention,
    Role,
    SeriesSpec,
    Session,
    WeeklyHours,
)
from service.scheduler.recurrence import to_instant, to_local

ZONE = "Europe/London"
WEEKDAYS = range(5)
SATURDAY, SUNDAY = range(5, 6), range(6, 7)
OPENED_AGO = timedelta(weeks=10)  # before the oldest demo plan's first session
ADMIN_NAME = "Ruth Adler"
DESK_NAME = "Maria Lopez"
THERAPISTS = (
    ("Amira Haddad", "amira@clinic.example", ("swedish", "myofascial release")),
    ("Tom Becker", "tom@clinic.example", ("trigger point", "PNF", "sports massage")),
    ("Lena Sørensen", "lena@clinic.example", ("lymphatic drainage", "craniosacral")),
)
ROOMS = ("Room 1 (garden)", "Room 2", "Room 3 (accessible)")
CLIENTS = (
    ("Grace Okafor", "grace.okafor@example.org", "+44 7700 900101"),
    ("Daniel Price", "daniel.price@example.org", "+44 7700 900102"),
    ("Sofia Marin", "sofia.marin@example.org", "+44 7700 900103"),
    ("Henry Walsh", "henry.walsh@example.org", "+44 7700 900104"),
    ("Priya Nair", "priya.nair@example.org", "+44 7700 900105"),
    ("Oliver Grant", "oliver.grant@example.org", "+44 7700 900106"),
    ("Mei Chen", "mei.chen@example.org", "+44 7700 900107"),
    ("Lucas Romero", "lucas.romero@example.org", "+44 7700 900108"),
    ("Hannah Fischer", "hannah.fischer@example.org", "+44 7700 900109"),
    ("Samuel Adeyemi", "samuel.adeyemi@example.org", "+44 7700 900110"),
    ("Noah Fitzgerald", "noah.fitzgerald@example.org", "+44 7700 900111"),
    ("Amelia Brooks", "amelia.brooks@example.org", "+44 7700 900112"),
    ("Yusuf Demir", "yusuf.demir@example.org", "+44 7700 900113"),
)


def hours(start: time, end: time, days: range = WEEKDAYS) -> WeeklyHours:
    """The same hours on each of these weekdays."""
    return WeeklyHours(tuple(DayHours(weekday=d, start=start, end=end) for d in days))


OPENING_HOURS = WeeklyHours(
    hours(time(8), time(20)).intervals
    + hours(time(9), time(14), SATURDAY).intervals
    + hours(time(10), time(14), SUNDAY).intervals
)
AMIRAS_HOURS = WeeklyHours(
    hours(time(9), time(17, 30)).intervals
    + hours(time(9), time(14), SATURDAY).intervals
    + hours(time(10), time(14), SUNDAY).intervals
)


class Story:
    """The demo's clock: each step is stamped when it would have happened, never after now."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.today = to_local(now, ZONE).date()

    def local(self, day: date, at: time) -> datetime:
        """The instant of this wall-clock time of a day at the clinic."""
        return to_instant(datetime.combine(day, at), ZONE)

    @contextmanager
    def at(self, moment: datetime) -> Iterator[datetime]:
        """Record what is done inside at this moment (now, if it lies ahead); yields it."""
        with recorded_at(min(moment, self.now)) as stamp:
            yield stamp


@dataclass(frozen=True)
class DemoClinic:
    """Who works at the demo clinic, and where, and who comes: the demo acts as these staff."""

    admin: Actor
    desk: Actor
    therapist_actors: tuple[Actor, ...]
    therapists: tuple[UUID, ...]
    rooms: tuple[UUID, ...]
    clients: tuple[UUID, ...]


def staff_account(
    regimen: Regimen, name: str, role: Role, actor: Actor, therapist_id: UUID | None = None
) -> Actor:
    """The active account of this name and role, added if there is none.

    Its token is not kept: the demo acts as these people, and `regimen dev` prints tokens
    of its own (the therapist's is Amira's record's too).
    """
    for account in regimen.list_users():
        if account.name == name and account.role is role and not account.revoked:
            if therapist_id is not None and account.therapist_id != therapist_id:
                regimen.link_user(str(account.user_id), therapist_id, actor)
            return account.actor
    account, _token = regimen.add_user(name, role, actor, therapist_id)
    return account.actor


CONTACT = ClinicContact(
    address="14 Harbour Street, London SE1 9PX",
    phone="+44 20 7946 0142",
    email="desk@harbourstreet.example",
    website="https://harbourstreet.example",
    late_cancel_rule="Cancellations within 24 hours are charged in full.",
)


def open_clinic(regimen: Regimen, operator: Actor, story: Story) -> DemoClinic:
    """Open the clinic some weeks before today: its admin sets it up and adds the staff,
    and the front desk registers the clients the next day."""
    opened = story.local(story.today - OPENED_AGO, time(8))
    with story.at(opened):
        admin = staff_account(regimen, ADMIN_NAME, Role.ADMIN, operator)
        settings = ClinicSettings(
            name="Harbour Street Massage & Manual Therapy",
            zone=ZONE,
            opening_hours=OPENING_HOURS,
            cancellation_window_hours=24,
            late_cancel_counts=True,
            npi="1234567893",  # the example NPI CMS publishes (its check digit is right)
            tax_id="12-3456789",
        )
        regimen.configure_clinic(settings, actor=admin)
        regimen.set_clinic_contact(CONTACT, actor=admin)
        christmas = date(story.now.year, 12, 25)
        closure = Closure(christmas, christmas + timedelta(days=1), "Christmas")
        regimen.add_closure(closure, actor=admin)
        therapists = [
            regimen.register_therapist(
                TherapistDetails(name=name, email=email, modalities=modalities), actor=admin
            )
            for name, email, modalities in THERAPISTS
        ]
        for therapist_id in therapists:
            regimen.set_working_hours(therapist_id, hours(time(9), time(17, 30)), admin)
        # Amira's is the demo's therapist token: she covers the weekend mornings too, so
        # that her day is never empty whichever day the demo starts on.
        regimen.set_working_hours(therapists[0], AMIRAS_HOURS, admin)
        rooms = [regimen.add_room(name=name, actor=admin) for name in ROOMS]
        actors = tuple(
            staff_account(regimen, name, Role.THERAPIST, admin, therapist_id)
            for (name, _, _), therapist_id in zip(THERAPISTS, therapists, strict=True)
        )
        desk = staff_account(regimen, DESK_NAME, Role.FRONT_DESK, admin)
    with story.at(opened + timedelta(days=1, hours=1)):
        clients = [
            regimen.register_client(
                ClientDetails(name=name, email=email, phone=phone, zone=ZONE), actor=desk
            )
            for name, email, phone in CLIENTS
        ]
    return DemoClinic(admin, desk, actors, tuple(therapists), tuple(rooms), tuple(clients))


def weekly_plan(
    client_id: UUID,
    therapist_id: UUID,
    room_id: UUID,
    assessment: Assessment,
    areas: tuple[str, ...],
    sessions: int,
) -> PlanProposal:
    """A weekly series of hour-long sessions (add progress, adjuncts, insurance as needed)."""
    return PlanProposal(
        client_id=client_id,
        therapist_id=therapist_id,
        room_id=room_id,
        assessment=assessment,
        intention=Intention.CLINICAL if sessions > 1 else Intention.RELAXATION,
        focus_areas=areas,
        modalities=("swedish", "myofascial release"),
        series=SeriesSpec(sessions=sessions, interval_days=7, session_minutes=60),
    )


def book_on_an_open_day(
    regimen: Regimen,
    plan_id: UUID,
    local: datetime,
    actor: Actor,
    now: datetime,
    days_to_try: int = 7,
) -> Session | None:
    """Book at this local time, or on the next day the clinic is open (demo weeks may hit
    holidays); None if none of the days tried is."""
    for offset in range(days_to_try):
        slot = Slot(local_start=local + timedelta(days=offset), zone=ZONE)
        try:
            return regimen.book_session(plan_id, slot, actor=actor, now=now)
        except SlotTaken:
            continue
    return None
