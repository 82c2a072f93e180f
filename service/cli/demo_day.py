"""The demo therapist's day: whichever day the demo starts, Amira has sessions and visits
today in every state My day knows (evaluate, record, assess, upcoming), a session of last
week that ended with nothing recorded, and a plan running out of its series and its
insurance authorization. What has not started yet when the demo starts stays booked."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from uuid import UUID

from service.application.regimen import Regimen
from service.cli.demo_clinic import ZONE, DemoClinic, Story, book_on_an_open_day, weekly_plan
from service.domain.errors import SlotTaken
from service.domain.values import (
    Assessment,
    Authorization,
    Evaluation,
    Mobility,
    Performance,
    Recommendation,
)
from service.domain.visit import VisitBooking, VisitKind
from service.scheduler.recurrence import session_time

LOWER_BACK = ("lower back", "left hip")
SHOULDERS = ("shoulders", "upper back")
NOAHS_BACK = Assessment(
    complaint="lower back pain after a long drive",
    duration="about six weeks",
    onset="sudden",
    pain_description="sharp on bending, aching at rest",
    pain_level=6,
    posture="guarded, weight on the right leg",
    tissue="hypertonic paraspinals",
)
AMELIAS_SHOULDERS = replace(
    NOAHS_BACK,
    complaint="tension in the shoulders from desk work",
    duration="a year, worse in the last month",
    onset="gradual",
    pain_description="tight, burning between the shoulder blades",
    pain_level=5,
    posture="rounded shoulders, forward head",
    tissue="trigger points in both upper trapezius",
)


def todays_list(regimen: Regimen, clinic: DemoClinic, story: Story) -> None:
    """Noah's plan (session 3 today), Amelia's plan (its last session today, her
    authorization nearly used), Yusuf's first assessment and Amelia's single session.

    Everything was booked a fortnight ago; what has happened since is recorded as it
    happened, each session as it ends."""
    noah, amelia, yusuf = clinic.clients[10:13]
    today = story.today
    day = Day(regimen, clinic, story, today)
    noah_plan = day.plan(noah, NOAHS_BACK, LOWER_BACK, 6)
    day.book(noah_plan, (-14, -7, 0, 7, 14, 21), time(10))
    authorization = Authorization(
        payer="Northwind Health", number="NW-5200", visits=3, valid_until=today + timedelta(10)
    )
    amelia_plan = day.plan(amelia, AMELIAS_SHOULDERS, SHOULDERS, 3, authorization)
    day.book(amelia_plan, (-14, -7, 0), time(11))
    day.visit(yusuf, VisitKind.ASSESSMENT, time(12), "sciatica, left leg")
    day.visit(amelia, VisitKind.SINGLE, time(13), "")
    day.treated(amelia_plan, -14, evaluated=True)
    day.treated(noah_plan, -14, evaluated=True)
    # Noah's session of a week ago ended with nothing recorded.
    day.treated(amelia_plan, -7, evaluated=True)
    day.treated(noah_plan, 0, evaluated=False)
    # Amelia's session today is left for the therapist to record once it has started.


class Day:
    """Books and records the demo therapist's sessions around one day, as they would be."""

    def __init__(self, regimen: Regimen, clinic: DemoClinic, story: Story, today: date):
        self.regimen, self.clinic, self.story, self.today = regimen, clinic, story, today
        self.booked_at = story.local(today - timedelta(days=15), time(8))
        self.amira = clinic.therapist_actors[0]
        self.areas: dict[UUID, tuple[str, ...]] = {}  # each plan's focus areas
        self.numbers: dict[tuple[UUID, int], int] = {}  # (plan, days from today): its session

    def plan(
        self,
        client_id: UUID,
        assessment: Assessment,
        areas: tuple[str, ...],
        sessions: int,
        authorization: Authorization | None = None,
    ) -> UUID:
        """A weekly plan Amira proposed and the client agreed to, the morning of booking."""
        proposal = replace(
            weekly_plan(
                client_id,
                self.clinic.therapists[0],
                self.clinic.rooms[0],
                assessment,
                areas,
                sessions,
            ),
            expected_progress="bending without pain within a month",
            adjuncts=("heat before stretching", "cat-cow stretches twice a day"),
            authorization=authorization,
        )
        with self.story.at(self.booked_at - timedelta(minutes=30)):
            plan_id = self.regimen.propose_plan(proposal, actor=self.amira)
        with self.story.at(self.booked_at - timedelta(minutes=10)):
            self.regimen.agree_plan(plan_id, actor=self.clinic.desk)
        self.areas[plan_id] = areas
        return plan_id

    def book(self, plan_id: UUID, days: tuple[int, ...], at: time) -> None:
        """Book the plan's sessions these many days after today; a day the clinic is closed
        (the demo may start at Christmas) is left out."""
        with self.story.at(self.booked_at) as now:
            for offset in days:
                local = datetime.combine(self.today + timedelta(days=offset), at)
                session = book_on_an_open_day(
                    self.regimen, plan_id, local, self.clinic.desk, now, days_to_try=1
                )
                if session is not None:
                    self.numbers[plan_id, offset] = session.number

    def treated(self, plan_id: UUID, days: int, *, evaluated: bool) -> None:
        """If this session was booked and has started, record it as it ends (and evaluate
        it if asked)."""
        number = self.numbers.get((plan_id, days))
        if number is None:
            return
        session = self.regimen.plan(plan_id).session(number)
        if session.time.start > self.story.now:
            return
        performance = Performance(
            techniques=("myofascial release", "effleurage"),
            areas=self.areas[plan_id],
            duration_minutes=55,
            pain_before=6 if days < -7 else 4,
            notes="tissue eased on release; client breathed through it",
        )
        with self.story.at(session.time.start + timedelta(minutes=55)) as performed:
            self.regimen.perform_session(
                plan_id, number, actor=self.amira, now=performed, performance=performance
            )
        if not evaluated:
            return
        evaluation = Evaluation(
            pain_after=3,
            mobility=Mobility.BETTER,
            recommendation=Recommendation.CONTINUE,
            client_rating=8,
            notes="moves further before the pain starts",
        )
        with self.story.at(session.time.end + timedelta(minutes=5)) as evaluated_at:
            self.regimen.evaluate_session(
                plan_id, number, actor=self.amira, now=evaluated_at, evaluation=evaluation
            )

    def visit(self, client_id: UUID, kind: VisitKind, at: time, complaint: str) -> None:
        """Book a visit today, unless the clinic is closed."""
        booking = VisitBooking(
            client_id=client_id,
            therapist_id=self.clinic.therapists[0],
            room_id=self.clinic.rooms[0],
            kind=kind,
            time=session_time(datetime.combine(self.today, at), ZONE, 45),
            complaint=complaint,
        )
        with self.story.at(self.booked_at) as now:
            try:
                self.regimen.book_visit(booking, actor=self.clinic.desk, now=now)
            except SlotTaken:
                return
