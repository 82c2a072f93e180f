"""The desk's "needs attention" list: rolling series the scheduler could not book on its own."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from uuid import UUID

from service.application import Regimen
from service.application.commands import SeriesBooking, Slot
from service.bootstrap import bootstrap
from service.config import Settings
from service.domain.plan import TreatmentPlan
from service.domain.values import SessionStatus
from service.domain.visit import VisitBooking, VisitKind
from service.scheduler.booking_policy import ConflictPolicy
from service.scheduler.recurrence import session_time
from tests.builders import DESK, ZONE, Clinic
from tests.fakes import FixedClock
from tests.web.conftest import Desk, signed_in, text

FIRST = datetime(2026, 3, 2, 10, 0)  # the fixed clock's Monday, 10:00 London
HORIZON = 14


def book_rolling(regimen: Regimen, plan_id: UUID, clock: FixedClock, policy: str = "fail") -> None:
    booking = SeriesBooking(Slot(FIRST, ZONE), ConflictPolicy(policy), horizon_days=HORIZON)
    regimen.book_series(plan_id, booking, actor=DESK, now=clock())


def run_extend_job(settings: Settings, regimen: Regimen, clock: FixedClock) -> int:
    """The scheduler's own job, as the runner would call it, with a 14-day horizon."""
    wiring = bootstrap(replace(settings, booking_horizon_days=HORIZON), regimen=regimen)
    [job] = [job for job in wiring.jobs() if job.id == "extend-rolling-series"]
    result = job.run(clock())
    assert isinstance(result, int)
    return result


def test_after_three_weeks_without_the_scheduler_the_series_goes_on_and_the_desk_sees_the_gap(
    desk: Desk, regimen: Regimen, settings: Settings, plan_id: UUID, clock: FixedClock
) -> None:
    book_rolling(regimen, plan_id, clock)
    assert len(regimen.plan(plan_id).sessions) == 2  # 2 and 9 March

    clock.advance(days=21)  # the scheduler next runs on Monday 23 March, 08:00
    assert run_extend_job(settings, regimen, clock) == 2

    plan = regimen.plan(plan_id)
    future = [s for s in plan.sessions_in(SessionStatus.BOOKED) if s.time.start > clock()]
    assert [s.time.local_start for s in future] == [FIRST + timedelta(weeks=n) for n in (3, 4)]
    history = regimen.history_page(plan_id, 0, 100)[0]
    [gap] = [e for e in history if isinstance(e, TreatmentPlan.OccurrencesPassedUnbooked)]
    assert list(gap.occurrences) == [FIRST + timedelta(weeks=2)]

    desk.sign_in_again()  # the browser session ended while the desk was away
    page = text(desk.get("/calendar"))
    assert "Needs attention" in page
    assert "Never booked (the scheduler was not running): Mon 16 Mar 10:00" in page
    assert f'href="/plans/{plan_id}/book"' in page


def test_a_visit_in_the_next_slot_is_on_the_list_with_a_path_to_the_booking_preview(
    desk: Desk,
    tokens: dict[str, str],
    regimen: Regimen,
    settings: Settings,
    plan_id: UUID,
    clinic: Clinic,
    clock: FixedClock,
) -> None:
    book_rolling(regimen, plan_id, clock)
    visit = VisitBooking(
        client_id=clinic.other_client_id,
        therapist_id=clinic.therapist_id,
        room_id=clinic.other_room_id,
        kind=VisitKind.ASSESSMENT,
        time=session_time(FIRST + timedelta(weeks=2), ZONE, 60),
    )
    regimen.book_visit(visit, actor=DESK, now=clock())
    clock.advance(days=7)
    assert run_extend_job(settings, regimen, clock) == 0

    desk.sign_in_again()  # the browser session ended while the desk was away
    page = text(desk.get("/calendar"))
    assert "the next sessions cannot be booked" in page
    assert "Mon 16 Mar 10:00: therapist booked 10:00–11:00" in page
    # The plan's record keeps the clash, never the other client's name (that is their chart).
    history = " ".join(str(vars(event)) for event in regimen.history(plan_id))
    assert "SeriesExtensionBlocked" in " ".join(type(e).__name__ for e in regimen.history(plan_id))
    assert "therapist booked 10:00–11:00" in history and "Dan Client" not in history

    # One click opens the booking form at the blocked week, the series' own way, with its
    # preview made: the clash is named (to the desk) and what shifting would do is shown.
    form = text(desk.get(f"/plans/{plan_id}/book"))
    assert 'value="2026-03-16"' in form and 'value="10:00"' in form
    assert "Dan Client&#39;s assessment visit" in form
    assert "Preview: 4 sessions" in form and '<span class="clash-count">1 clash</span>' in form

    # The plan's therapist sees it on their day too (the desk books it).
    therapist = signed_in(desk.client, tokens["therapist"])
    mine = text(therapist.get("/today"))
    listed = mine.split('id="blocked-h"')[1].split("</section>")[0]
    assert "Cora Client" in listed
    assert "Cannot be booked: Mon 16 Mar 10:00: therapist booked 10:00–11:00." in listed


def test_the_list_is_empty_when_every_series_extends(
    desk: Desk, regimen: Regimen, settings: Settings, plan_id: UUID, clock: FixedClock
) -> None:
    book_rolling(regimen, plan_id, clock)
    clock.advance(days=7)
    assert run_extend_job(settings, regimen, clock) == 1
    desk.sign_in_again()
    assert "Needs attention" not in text(desk.get("/calendar"))
