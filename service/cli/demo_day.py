"""The demo therapist's day: whichever day the demo starts, Amira has sessions and visits
today in every state My day knows (evaluate, record, assess, upcoming), a session of last
week that ended with nothing recorded, and a plan running out of its series and its
insurance authorization. What has not started yet when the demo starts stays booked."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from uuid import UUID

from service.application.commands import Slot
from service.application.regimen import Regimen
from service.domain.errors import SlotTaken
from service.domain.proposal import PlanProposal
from service.domain.values import (
    Actor,
    Assessment,
    Authorization,
    Evaluation,
    Intention,
    Mobility,
    Performance,
    Recommendation,
    Role,
    SeriesSpec,
)
from service.domain.visit import VisitBooking, VisitKind
from service.scheduler.recurrence import session_time, to_instant, to_local

ZONE = "Europe/London"
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
AMELIAS_SHOULDERS = Assessment(
    complaint="tension in the shoulders from desk work",
    duration="a year, worse in the last month",
    onset="gradual",
    pain_description="tight, burning between the shoulder blades",
    pain_level=5,
    posture="rounded shoulders, forward head",
    tissue="trigger points in both upper trapezius",
)
AMIRA = Actor(user_id="demo-therapist-0", role=Role.THERAPIST)
DESK = Actor(user_id="demo-front-desk", role=Role.FRONT_DESK)


def todays_list(
    regimen: Regimen, now: datetime, clients: list[UUID], therapist_id: UUID, room_id: UUID
) -> None:
    """Noah's plan (session 3 today), Amelia's plan (its last session today, her
    authorization nearly used), Yusuf's first assessment and Amelia's single session."""
    noah, amelia, yusuf = clients
    today = to_local(now, ZONE).date()
    booked_at = to_instant(datetime.combine(today - timedelta(days=15), time(8)), ZONE)
    day = Day(regimen, now, booked_at, today)
    noah_plan = day.plan(noah, therapist_id, room_id, NOAHS_BACK, LOWER_BACK, 6)
    day.treated(noah_plan, -14, time(10), evaluated=True)
    day.book(noah_plan, -7, time(10))  # ended with nothing recorded
    day.treated(noah_plan, 0, time(10), evaluated=False)
    for week in (1, 2, 3):
        day.book(noah_plan, 7 * week, time(10))
    authorization = Authorization(
        payer="Northwind Health", number="NW-5200", visits=3, valid_until=today + timedelta(10)
    )
    amelia_plan = day.plan(
        amelia,
        therapist_id,
        room_id,
        AMELIAS_SHOULDERS,
        SHOULDERS,
        3,
        authorization,
    )
    day.treated(amelia_plan, -14, time(11), evaluated=True)
    day.treated(amelia_plan, -7, time(11), evaluated=True)
    day.book(amelia_plan, 0, time(11))  # left for the therapist to record once it has started
    day.visit(yusuf, therapist_id, room_id, VisitKind.ASSESSMENT, time(12), "sciatica, left leg")
    day.visit(amelia, therapist_id, room_id, VisitKind.SINGLE, time(13), "")


class Day:
    """Books and records the demo therapist's sessions around one day, as they would be."""

    def __init__(self, regimen: Regimen, now: datetime, booked_at: datetime, today: date):
        self.regimen, self.now, self.booked_at, self.today = regimen, now, booked_at, today
        self.areas: dict[UUID, tuple[str, ...]] = {}  # each plan's focus areas

    def plan(
        self,
        client_id: UUID,
        therapist_id: UUID,
        room_id: UUID,
        assessment: Assessment,
        areas: tuple[str, ...],
        sessions: int,
        authorization: Authorization | None = None,
    ) -> UUID:
        """A weekly plan Amira proposed and the client agreed to."""
        plan_id = self.regimen.propose_plan(
            PlanProposal(
                client_id=client_id,
                therapist_id=therapist_id,
                room_id=room_id,
                assessment=assessment,
                intention=Intention.CLINICAL,
                focus_areas=areas,
                modalities=("myofascial release", "swedish"),
                series=SeriesSpec(sessions=sessions, interval_days=7, session_minutes=60),
                expected_progress="bending without pain within a month",
                adjuncts=("heat before stretching", "cat-cow stretches twice a day"),
                authorization=authorization,
            ),
            actor=AMIRA,
        )
        self.regimen.agree_plan(plan_id, actor=DESK)
        self.areas[plan_id] = areas
        return plan_id

    def book(self, plan_id: UUID, days: int, at: time) -> int | None:
        """Book the plan's next session `days` after today; None on a day the clinic is
        closed (the demo may start at Christmas)."""
        local = datetime.combine(self.today + timedelta(days=days), at)
        try:
            slot = Slot(local_start=local, zone=ZONE)
            session = self.regimen.book_session(plan_id, slot, actor=DESK, now=self.booked_at)
        except SlotTaken:
            return None
        return session.number

    def treated(self, plan_id: UUID, days: int, at: time, *, evaluated: bool) -> None:
        """Book a session and, if it has started, record it (and evaluate it if asked)."""
        number = self.book(plan_id, days, at)
        start = to_instant(datetime.combine(self.today + timedelta(days=days), at), ZONE)
        if number is None or start > self.now:
            return
        self.regimen.perform_session(
            plan_id,
            number,
            actor=AMIRA,
            now=self.now,
            performance=Performance(
                techniques=("myofascial release", "effleurage"),
                areas=self.areas[plan_id],
                duration_minutes=55,
                pain_before=6 if days < -7 else 4,
                notes="tissue eased on release; client breathed through it",
            ),
        )
        if evaluated:
            self.regimen.evaluate_session(
                plan_id,
                number,
                actor=AMIRA,
                now=self.now,
                evaluation=Evaluation(
                    pain_after=3,
                    mobility=Mobility.BETTER,
                    recommendation=Recommendation.CONTINUE,
                    client_rating=8,
                    notes="moves further before the pain starts",
                ),
            )

    def visit(
        self,
        client_id: UUID,
        therapist_id: UUID,
        room_id: UUID,
        kind: VisitKind,
        at: time,
        complaint: str,
    ) -> None:
        """Book a visit today, unless the clinic is closed."""
        booking = VisitBooking(
            client_id=client_id,
            therapist_id=therapist_id,
            room_id=room_id,
            kind=kind,
            time=session_time(datetime.combine(self.today, at), ZONE, 45),
            complaint=complaint,
        )
        try:
            self.regimen.book_visit(booking, actor=DESK, now=self.booked_at)
        except SlotTaken:
            return
