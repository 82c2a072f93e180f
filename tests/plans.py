"""Plans in a known state, shared by the tests and the bench: the values a therapist
proposes and records, and aggregate-level plans built from them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from service.domain.plan import TreatmentPlan
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
    SeriesRule,
    SeriesSpec,
    Session,
    SessionTime,
)
from service.scheduler.recurrence import session_time

ZONE = "Europe/London"
THERAPIST = Actor(user_id="t", role=Role.THERAPIST)
DESK = Actor(user_id="d", role=Role.FRONT_DESK)
SYSTEM = Actor(user_id="scheduler", role=Role.SYSTEM)
THERAPIST_ID = UUID("00000000-0000-4000-8000-000000000001")
ROOM_ID = UUID("00000000-0000-4000-8000-000000000002")
WINDOW = timedelta(hours=24)  # the cancellation window the plan tests use
LATER = datetime(2027, 1, 1, tzinfo=UTC)  # after every session the tests book: records allowed
WEEKLY_AT_TEN = SeriesRule(
    first_local_start=datetime(2026, 3, 9, 10),
    zone="Europe/London",
    interval_days=7,
    conflict_policy="shift",
    shift_window_days=2,
    therapist_id=THERAPIST_ID,
    room_id=ROOM_ID,
)


def utc(*parts: int) -> datetime:
    """An aware UTC instant."""
    return datetime(*parts, tzinfo=UTC)


def at(*parts: int, minutes: int = 60) -> SessionTime:
    """A session at a London wall time (March 2026 is GMT, so local equals UTC)."""
    return session_time(datetime(*parts), ZONE, minutes)


def assessment(**overrides: Any) -> Assessment:
    """A typical assessment: a stiff neck, pain 6."""
    values: dict[str, Any] = {
        "complaint": "stiff neck",
        "duration": "3 months",
        "onset": "gradual",
        "pain_description": "dull ache",
        "pain_level": 6,
    }
    values.update(overrides)
    return Assessment(**values)


def weekly(sessions: int, minutes: int = 60) -> SeriesSpec:
    """A series of weekly sessions."""
    return SeriesSpec(sessions=sessions, interval_days=7, session_minutes=minutes)


def proposal_values(
    client_id: UUID, therapist_id: UUID, room_id: UUID | None, /, **overrides: Any
) -> dict[str, Any]:
    """The fields of a typical plan proposal for these people: 6 weekly sessions of 60 minutes."""
    values: dict[str, Any] = {
        "client_id": client_id,
        "therapist_id": therapist_id,
        "room_id": room_id,
        "assessment": assessment(),
        "intention": Intention.CLINICAL,
        "focus_areas": ("neck", "shoulders"),
        "modalities": ("swedish",),
        "series": weekly(6),
    }
    values.update(overrides)
    return values


def proposal(**overrides: Any) -> dict[str, Any]:
    """The arguments of a typical proposal: 3 weekly sessions of 60 minutes."""
    defaults: dict[str, Any] = {"series": weekly(3), "actor": THERAPIST}
    return proposal_values(uuid4(), THERAPIST_ID, ROOM_ID, **{**defaults, **overrides})


def proposed_plan(**overrides: Any) -> TreatmentPlan:
    """A plan the therapist proposed, not yet agreed."""
    values = proposal(**overrides)
    actor = values.pop("actor")
    return TreatmentPlan.propose(PlanProposal(**values), actor)


def agreed_plan(**overrides: Any) -> TreatmentPlan:
    """A proposed plan the client agreed to, with no session booked."""
    plan = proposed_plan(**overrides)
    plan.agree(DESK)
    return plan


def authorization(visits: int = 2, valid_until: date = date(2026, 3, 31)) -> Authorization:
    """An insurer's authorization."""
    return Authorization(
        payer="Acme Health", number="AUTH-1", visits=visits, valid_until=valid_until
    )


def units_only(units: int, payer_id: UUID | None = None) -> Authorization:
    """An authorization of 15-minute units and no visits, as a payer counting units only
    gives, valid until the end of 2026."""
    return Authorization("Acme Units", "AUTH-U", None, date(2026, 12, 31), payer_id, units)


def book(plan: TreatmentPlan, time: SessionTime, override: str = "") -> int:
    """Book the plan's next session at this time; returns its number."""
    session = plan.book_session(
        time=time,
        therapist_id=THERAPIST_ID,
        room_id=ROOM_ID,
        actor=DESK,
        authorization_override=override,
    )
    return session.number


def reschedule(plan: TreatmentPlan, number: int, time: SessionTime, override: str = "") -> Session:
    """Move a session, keeping its therapist and room."""
    return plan.reschedule_session(
        number,
        time=time,
        therapist_id=THERAPIST_ID,
        room_id=ROOM_ID,
        actor=DESK,
        authorization_override=override,
    )


def cancel(plan: TreatmentPlan, now: datetime, *, number: int = 1, counts: bool = True) -> Session:
    """Cancel a session (the first unless told) at `now` under a 24-hour window."""
    return plan.cancel_session(
        number,
        reason="ill",
        now=now,
        cancellation_window=WINDOW,
        late_cancel_counts=counts,
        actor=DESK,
    )


def booked_plan(sessions: int = 1, **overrides: Any) -> TreatmentPlan:
    """An agreed plan with sessions booked weekly from Monday 9 March 2026, 10:00."""
    plan = agreed_plan(**overrides)
    for week in range(sessions):
        book(plan, at(2026, 3, 9 + 7 * week, 10))
    return plan


def performance(**overrides: Any) -> Performance:
    """What a therapist typically records after a session."""
    values: dict[str, Any] = {
        "techniques": ("swedish", "trigger point"),
        "areas": ("neck",),
        "duration_minutes": 55,
        "pain_before": 6,
    }
    values.update(overrides)
    return Performance(**values)


def evaluation(**overrides: Any) -> Evaluation:
    """A typical evaluation: better, continue."""
    values: dict[str, Any] = {
        "pain_after": 3,
        "mobility": Mobility.BETTER,
        "recommendation": Recommendation.CONTINUE,
    }
    values.update(overrides)
    return Evaluation(**values)


def performed_plan(**overrides: Any) -> TreatmentPlan:
    """A plan whose first session was booked and performed, not yet evaluated."""
    plan = booked_plan(**overrides)
    plan.perform_session(1, performance=performance(), actor=THERAPIST, now=LATER)
    return plan
