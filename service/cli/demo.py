"""A realistic demo clinic: hours, therapists, rooms, clients and plans at every stage.

The demo acts as real staff accounts (Ruth Adler the admin, Maria Lopez at the front desk,
each therapist) and stamps each event when it would have happened: a plan proposed six
weeks ago reads as proposed then, so replaying it as of any day in between makes sense.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from uuid import UUID

from service.application.regimen import Regimen, utc_now
from service.cli.demo_clinic import (
    CLIENTS,
    THERAPISTS,
    ZONE,
    DemoClinic,
    Story,
    book_on_an_open_day,
    hours,
    open_clinic,
    weekly_plan,
)
from service.cli.demo_day import todays_list
from service.domain.billing_units import ProcedureMinutes
from service.domain.clinic import CLINIC_ID, Clinic
from service.domain.errors import SlotTaken
from service.domain.proposal import PlanProposal
from service.domain.values import (
    Actor,
    Assessment,
    Authorization,
    Evaluation,
    Mobility,
    Performance,
    RangeOfMotion,
    Recommendation,
    Role,
    Session,
)

__all__ = ["CLIENTS", "DEMO_ROLES", "THERAPISTS", "ZONE", "hours", "seed_demo"]

DEMO_ROLES = (Role.ADMIN, Role.FRONT_DESK, Role.THERAPIST, Role.AUDITOR)
COMPLAINTS = (
    ("neck and shoulder stiffness from desk work", ("shoulders", "neck"), 6),
    ("lower back pain after lifting", ("lower back",), 7),
    ("right hip tightness from running", ("right hip", "glutes"), 5),
    ("tension headaches", ("neck", "upper back"), 4),
    ("post-operative swelling, left knee", ("left knee",), 5),
)
SERIES_WEEKS = 6


def seed_demo(regimen: Regimen, actor: Actor, now: datetime | None = None) -> bool:
    """Add the demo clinic unless one exists; returns whether it was added.

    `actor` is whoever runs it (the command line's operator): it adds the demo's admin
    account, and the demo's people do everything else.
    """
    if regimen.find(Clinic, CLINIC_ID) is not None:
        return False
    story = Story(now or utc_now())
    clinic = open_clinic(regimen, actor, story)
    for index, client_id in enumerate(clinic.clients[:8]):
        _demo_plan(regimen, clinic, story, index, client_id)
    _ready_to_book(regimen, clinic, story)
    todays_list(regimen, clinic, story)
    return True


def _ready_to_book(regimen: Regimen, clinic: DemoClinic, story: Story) -> None:
    """An agreed plan with nothing booked, and one booking in the way of its obvious slot.

    Hannah Fischer agreed to six weekly sessions with Amira Haddad. Weekly at 10:00 from
    the next weekday (the first slot the booking page suggests), the third one runs into
    Samuel Adeyemi's single session with Amira: the preview shows exactly one clash.
    """
    plans = []
    agreed = story.local(story.today - timedelta(days=1), time(10, 15))
    for client_id, room_id, sessions, complaint in (
        (clinic.clients[8], clinic.rooms[0], 6, "upper back tension from caring for a newborn"),
        (clinic.clients[9], clinic.rooms[2], 1, "relaxation before a marathon"),
    ):
        assessment = Assessment(
            complaint=complaint,
            duration="a few weeks",
            onset="gradual",
            pain_description="tight, aching",
            pain_level=4,
        )
        proposal = weekly_plan(
            client_id,
            clinic.therapists[0],
            room_id,
            assessment,
            ("upper back", "shoulders"),
            sessions,
        )
        with story.at(story.local(story.today - timedelta(days=2), time(15, 30))):
            plan_id = regimen.propose_plan(proposal, actor=clinic.therapist_actors[0])
        with story.at(agreed):
            regimen.agree_plan(plan_id, actor=clinic.desk)
        plans.append(plan_id)
    first = _weekday_from(story.today + timedelta(days=1))
    with story.at(agreed + timedelta(minutes=10)) as booked_at:
        third_week = datetime.combine(first + timedelta(weeks=2), time(10))
        _book(regimen, plans[1], third_week, clinic.desk, booked_at)


def _demo_plan(
    regimen: Regimen, clinic: DemoClinic, story: Story, index: int, client_id: UUID
) -> None:
    """One plan; its stage depends on index: proposed, agreed, mid-series, completed.

    Proposed three days before its first session, agreed at the desk straight after,
    the whole series booked the day after that; each session performed and evaluated
    as it ends; a completed plan closed after its last session.
    """
    _, areas, pain = COMPLAINTS[index % len(COMPLAINTS)]
    stage = index % 4
    weeks_done = {0: 0, 1: 0, 2: 3, 3: SERIES_WEEKS}[stage]
    first_day = _weekday_from(story.now.date() - timedelta(weeks=weeks_done) + timedelta(days=1))
    hour = time(9 + index % 7)
    first_start = datetime.combine(first_day, hour)
    proposed = story.local(first_day - timedelta(days=3), hour)
    therapist = clinic.therapist_actors[index % len(clinic.therapists)]
    with story.at(proposed):
        plan_id = regimen.propose_plan(
            _demo_proposal(index, story.now, clinic, client_id), actor=therapist
        )
    if stage == 0:
        return
    with story.at(proposed + timedelta(minutes=20)):
        regimen.agree_plan(plan_id, actor=clinic.desk)
    with story.at(proposed + timedelta(days=1)) as booked_at:
        sessions = [
            _book(regimen, plan_id, first_start + timedelta(weeks=week), clinic.desk, booked_at)
            for week in range(SERIES_WEEKS)
        ]
    for week, session in enumerate(sessions[:weeks_done]):
        _treat(regimen, story, plan_id, session, week, areas, pain, therapist)
    if stage == 3:
        with story.at(sessions[-1].time.end + timedelta(minutes=30)):
            regimen.complete_plan(plan_id, note="goals met; home care continues", actor=therapist)


def _demo_proposal(index: int, now: datetime, clinic: DemoClinic, client_id: UUID) -> PlanProposal:
    """The index-th demo plan's proposal; every third one is authorized by an insurer."""
    complaint, areas, pain = COMPLAINTS[index % len(COMPLAINTS)]
    assessment = Assessment(
        complaint=complaint,
        duration="about three months",
        onset="gradual",
        pain_description="dull ache, sharp on movement",
        pain_level=pain,
        range_of_motion=(RangeOfMotion(joint="cervical spine", movement="rotation", degrees=60),),
        posture="forward head posture",
        tissue="hypertonic, fibrous",
    )
    therapist_id = clinic.therapists[index % len(clinic.therapists)]
    room_id = clinic.rooms[index % len(clinic.rooms)]
    authorization = Authorization(
        payer="Northwind Health",
        number=f"NW-{4100 + index}",
        visits=8,
        valid_until=now.date() + timedelta(days=120),
    )
    return replace(
        weekly_plan(client_id, therapist_id, room_id, assessment, areas, SERIES_WEEKS),
        expected_progress="pain down to 2/10 and full rotation within six weeks",
        adjuncts=("heat before stretching", "daily chin tucks"),
        authorization=authorization if index % 3 == 0 else None,
    )


def _treat(
    regimen: Regimen,
    story: Story,
    plan_id: UUID,
    session: Session,
    week: int,
    areas: tuple[str, ...],
    pain: int,
    actor: Actor,
) -> None:
    """Perform a demo session as it ends and evaluate it just after, the pain easing."""
    performance = Performance(
        techniques=("effleurage", "trigger point release"),
        areas=areas,
        duration_minutes=55,
        pain_before=max(pain - week, 1),
        notes="client tolerated pressure well",
        procedures=(ProcedureMinutes("97124", 40), ProcedureMinutes("97140", 15)),
    )
    with story.at(session.time.start + timedelta(minutes=55)) as performed:
        regimen.perform_session(
            plan_id, session.number, actor=actor, now=performed, performance=performance
        )
    evaluation = Evaluation(
        pain_after=max(pain - week - 2, 0),
        mobility=Mobility.BETTER,
        recommendation=Recommendation.CONTINUE,
        client_rating=8,
    )
    with story.at(session.time.end + timedelta(minutes=5)) as evaluated:
        regimen.evaluate_session(
            plan_id, session.number, now=evaluated, actor=actor, evaluation=evaluation
        )


def _weekday_from(day: date) -> date:
    """The day itself, or the Monday after it if it falls on a weekend."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _book(regimen: Regimen, plan_id: UUID, local: datetime, actor: Actor, now: datetime) -> Session:
    """Book at this local time, or on the next day the clinic is open (demo weeks may hit
    holidays)."""
    session = book_on_an_open_day(regimen, plan_id, local, actor, now)
    if session is None:
        raise SlotTaken(f"no open day for the demo in the week of {local.date()}")
    return session
