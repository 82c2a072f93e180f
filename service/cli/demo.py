"""A realistic demo clinic: hours, therapists, rooms, clients and plans at every stage."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from uuid import UUID

from service.application.commands import Slot
from service.application.regimen import Regimen, utc_now
from service.cli.demo_day import AMIRA, DESK, todays_list
from service.domain.billing_units import ProcedureMinutes
from service.domain.clinic import CLINIC_ID, Clinic, ClinicSettings
from service.domain.errors import SlotTaken
from service.domain.proposal import PlanProposal
from service.domain.values import (
    Actor,
    Assessment,
    Authorization,
    Closure,
    DayHours,
    Evaluation,
    Intention,
    Mobility,
    Performance,
    RangeOfMotion,
    Recommendation,
    Role,
    SeriesSpec,
    Session,
    WeeklyHours,
)
from service.scheduler.recurrence import to_instant, to_local

DEMO_ROLES = (Role.ADMIN, Role.FRONT_DESK, Role.THERAPIST, Role.AUDITOR)
ZONE = "Europe/London"
WEEKDAYS = range(5)
SATURDAY, SUNDAY = range(5, 6), range(6, 7)

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
COMPLAINTS = (
    ("neck and shoulder stiffness from desk work", ("shoulders", "neck"), 6),
    ("lower back pain after lifting", ("lower back",), 7),
    ("right hip tightness from running", ("right hip", "glutes"), 5),
    ("tension headaches", ("neck", "upper back"), 4),
    ("post-operative swelling, left knee", ("left knee",), 5),
)


def hours(start: time, end: time, days: range = WEEKDAYS) -> WeeklyHours:
    """The same hours on each of these weekdays."""
    return WeeklyHours(tuple(DayHours(weekday=d, start=start, end=end) for d in days))


AMIRAS_HOURS = WeeklyHours(
    hours(time(9), time(17, 30)).intervals
    + hours(time(9), time(14), SATURDAY).intervals
    + hours(time(10), time(14), SUNDAY).intervals
)


def seed_demo(regimen: Regimen, actor: Actor, now: datetime | None = None) -> bool:
    """Add the demo clinic unless one exists; returns whether it was added."""
    if regimen.find(Clinic, CLINIC_ID) is not None:
        return False
    now = now or utc_now()
    regimen.configure_clinic(
        ClinicSettings(
            name="Harbour Street Massage & Manual Therapy",
            zone=ZONE,
            opening_hours=WeeklyHours(
                hours(time(8), time(20)).intervals
                + hours(time(9), time(14), SATURDAY).intervals
                + hours(time(10), time(14), SUNDAY).intervals
            ),
            cancellation_window_hours=24,
            late_cancel_counts=True,
            npi="1234567893",  # the example NPI CMS publishes (its check digit is right)
            tax_id="12-3456789",
        ),
        actor=actor,
    )
    today = now.date()
    christmas = date(today.year, 12, 25)
    regimen.add_closure(Closure(christmas, christmas + timedelta(days=1), "Christmas"), actor=actor)
    therapists = []
    for name, email, modalities in THERAPISTS:
        therapist_id = regimen.register_therapist(
            actor=actor, name=name, email=email, modalities=modalities
        )
        regimen.set_working_hours(therapist_id, hours(time(9), time(17, 30)), actor)
        therapists.append(therapist_id)
    # The demo's therapist token is Amira's: she covers the weekend mornings too, so that
    # her day is never empty whichever day the demo starts on.
    regimen.set_working_hours(therapists[0], AMIRAS_HOURS, actor)
    rooms = [regimen.add_room(name=name, actor=actor) for name in ROOMS]
    clients = [
        regimen.register_client(
            actor=actor, name=name, email=email, phone=phone, zone=ZONE, notes=""
        )
        for name, email, phone in CLIENTS
    ]
    for index, client_id in enumerate(clients[:8]):
        _demo_plan(regimen, actor, now, index, client_id, therapists, rooms)
    _ready_to_book(regimen, now, clients[8:10], therapists[0], rooms)
    todays_list(regimen, now, clients[10:], therapists[0], rooms[0])
    return True


def _ready_to_book(
    regimen: Regimen, now: datetime, clients: list[UUID], therapist_id: UUID, rooms: list[UUID]
) -> None:
    """An agreed plan with nothing booked, and one booking in the way of its obvious slot.

    Hannah Fischer agreed to six weekly sessions with Amira Haddad. Weekly at 10:00 from
    the next weekday (the first slot the booking page suggests), the third one runs into
    Samuel Adeyemi's single session with Amira: the preview shows exactly one clash.
    """
    plans = []
    for client_id, room_id, sessions, complaint in (
        (clients[0], rooms[0], 6, "upper back tension from caring for a newborn"),
        (clients[1], rooms[2], 1, "relaxation before a marathon"),
    ):
        plan_id = regimen.propose_plan(
            PlanProposal(
                client_id=client_id,
                therapist_id=therapist_id,
                room_id=room_id,
                assessment=Assessment(
                    complaint=complaint,
                    duration="a few weeks",
                    onset="gradual",
                    pain_description="tight, aching",
                    pain_level=4,
                ),
                intention=Intention.CLINICAL if sessions > 1 else Intention.RELAXATION,
                focus_areas=("upper back", "shoulders"),
                modalities=("swedish",),
                series=SeriesSpec(sessions=sessions, interval_days=7, session_minutes=60),
            ),
            actor=AMIRA,
        )
        regimen.agree_plan(plan_id, actor=DESK)
        plans.append(plan_id)
    first = _weekday_from(to_local(now, ZONE).date() + timedelta(days=1))
    _book_on_an_open_day(regimen, plans[1], first + timedelta(weeks=2), time(10), DESK, now)


def _demo_plan(
    regimen: Regimen,
    actor: Actor,
    now: datetime,
    index: int,
    client_id: UUID,
    therapists: list[UUID],
    rooms: list[UUID],
) -> None:
    """One plan; its stage depends on index: proposed, agreed, mid-series, completed."""
    complaint, areas, pain = COMPLAINTS[index % len(COMPLAINTS)]
    therapist_actor = Actor(
        user_id=f"demo-therapist-{index % len(therapists)}", role=Role.THERAPIST
    )
    proposal = _demo_proposal(
        index, now, client_id, therapists[index % len(therapists)], rooms[index % len(rooms)]
    )
    plan_id = regimen.propose_plan(proposal, actor=therapist_actor)
    stage = index % 4
    if stage == 0:
        return
    regimen.agree_plan(plan_id, actor=DESK)
    weeks_done = {1: 0, 2: 3, 3: 6}[stage]
    first_day = _weekday_from(now.date() - timedelta(weeks=weeks_done) + timedelta(days=1))
    start_hour = 9 + index % 7
    booked_at = to_instant(datetime.combine(first_day, time(start_hour)), ZONE) - timedelta(days=2)
    for week in range(6):
        session = _book_on_an_open_day(
            regimen, plan_id, first_day + timedelta(weeks=week), time(start_hour), DESK, booked_at
        )
        if week < weeks_done:
            _treat(regimen, plan_id, session.number, week, areas, pain, therapist_actor, now)
    if stage == 3:
        regimen.complete_plan(plan_id, note="goals met; home care continues", actor=therapist_actor)


def _demo_proposal(
    index: int, now: datetime, client_id: UUID, therapist_id: UUID, room_id: UUID
) -> PlanProposal:
    """The index-th demo plan's proposal; every third one is authorized by an insurer."""
    complaint, areas, pain = COMPLAINTS[index % len(COMPLAINTS)]
    return PlanProposal(
        client_id=client_id,
        therapist_id=therapist_id,
        room_id=room_id,
        assessment=Assessment(
            complaint=complaint,
            duration="about three months",
            onset="gradual",
            pain_description="dull ache, sharp on movement",
            pain_level=pain,
            range_of_motion=(
                RangeOfMotion(joint="cervical spine", movement="rotation", degrees=60),
            ),
            posture="forward head posture",
            tissue="hypertonic, fibrous",
        ),
        intention=Intention.CLINICAL,
        focus_areas=areas,
        modalities=("swedish", "myofascial release"),
        series=SeriesSpec(sessions=6, interval_days=7, session_minutes=60),
        expected_progress="pain down to 2/10 and full rotation within six weeks",
        adjuncts=("heat before stretching", "daily chin tucks"),
        authorization=Authorization(
            payer="Northwind Health",
            number=f"NW-{4100 + index}",
            visits=8,
            valid_until=now.date() + timedelta(days=120),
        )
        if index % 3 == 0
        else None,
    )


def _treat(
    regimen: Regimen,
    plan_id: UUID,
    number: int,
    week: int,
    areas: tuple[str, ...],
    pain: int,
    actor: Actor,
    now: datetime,
) -> None:
    """Perform and evaluate a demo session, the pain easing week by week."""
    regimen.perform_session(
        plan_id,
        number,
        actor=actor,
        now=now,
        performance=Performance(
            techniques=("effleurage", "trigger point release"),
            areas=areas,
            duration_minutes=55,
            pain_before=max(pain - week, 1),
            notes="client tolerated pressure well",
            procedures=(ProcedureMinutes("97124", 40), ProcedureMinutes("97140", 15)),
        ),
    )
    regimen.evaluate_session(
        plan_id,
        number,
        now=now,
        actor=actor,
        evaluation=Evaluation(
            pain_after=max(pain - week - 2, 0),
            mobility=Mobility.BETTER,
            recommendation=Recommendation.CONTINUE,
            client_rating=8,
        ),
    )


def _weekday_from(day: date) -> date:
    """The day itself, or the Monday after it if it falls on a weekend."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _book_on_an_open_day(
    regimen: Regimen, plan_id: UUID, day: date, at: time, actor: Actor, now: datetime
) -> Session:
    """Book on this day, or the next one the clinic is open (demo weeks may hit holidays)."""
    for offset in range(7):
        local = datetime.combine(day + timedelta(days=offset), at)
        try:
            return regimen.book_session(
                plan_id, Slot(local_start=local, zone=ZONE), actor=actor, now=now
            )
        except SlotTaken:
            continue
    raise SlotTaken(f"no open day for the demo in the week of {day}")
