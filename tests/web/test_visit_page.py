"""One visit's page at the desk: what and when, moving, cancelling, a no-show; nothing clinical."""

from __future__ import annotations

import re
from datetime import datetime
from uuid import UUID

from werkzeug.test import TestResponse

from service.application import Regimen
from service.domain.proposal import PlanProposal
from service.domain.values import Assessment, SessionStatus
from service.domain.visit import VisitKind
from tests.builders import THERAPIST, Clinic, proposal, visit_booking
from tests.fakes import FixedClock
from tests.web.conftest import Desk, text
from tests.web.visits import book_visit


def test_the_visit_page_shows_kind_client_therapist_room_wall_time_status_and_complaint(
    desk: Desk, regimen: Regimen, clinic: Clinic, clock: FixedClock
) -> None:
    visit_id = book_visit(
        regimen,
        clock,
        visit_booking(clinic, "2026-07-07T10:00", complaint="Low back pain since May"),
    )  # British Summer Time: 09:00 UTC
    page = text(desk.get(f"/visits/{visit_id}"))
    assert "<h1>Cora Client: assessment</h1>" in page
    assert "<dt>Kind</dt><dd>Assessment</dd>" in page
    assert "Tuesday 07 July 2026, 10:00–11:00" in page and "Times are Europe/London (BST)" in page
    assert "<dd>Ada Therapist</dd>" in page and "<dd>Room A</dd>" in page
    assert '<span class="status st-booked">Booked</span>' in page
    assert "<dd>Low back pain since May</dd>" in page


def test_the_desk_does_not_see_the_therapists_assessment(
    desk: Desk, regimen: Regimen, clinic: Clinic, clock: FixedClock
) -> None:
    visit_id = book_visit(regimen, clock, visit_booking(clinic, "2026-03-02T09:00"))
    clock.advance(hours=1, minutes=30)
    assessment = Assessment("neck", "3 weeks", "gradual", "a deep burning ache", pain_level=6)
    regimen.record_assessment(visit_id, assessment, actor=THERAPIST, now=clock())
    desk.sign_in_again()
    page = text(desk.get(f"/visits/{visit_id}"))
    assert "Cora Client: assessment" in page and "a deep burning ache" not in page


def test_moving_a_visit_changes_its_time(
    desk: Desk, regimen: Regimen, clinic: Clinic, clock: FixedClock
) -> None:
    visit_id = book_visit(
        regimen, clock, visit_booking(clinic, "2026-03-03T10:00", VisitKind.SINGLE)
    )
    response = desk.post(
        f"/visits/{visit_id}/move",
        {"date": "2026-03-05", "time": "14:00", "therapist_id": str(clinic.other_therapist_id)},
    )
    assert response.status_code == 302 and response.location == f"/visits/{visit_id}"
    session = regimen.visit(visit_id).session
    assert session.time.local_start == datetime(2026, 3, 5, 14)
    assert session.therapist_id == clinic.other_therapist_id
    assert "The visit is moved to Thu 05 Mar at 14:00." in text(desk.get(response.location))


def moved_onto_dans_visit(
    desk: Desk, regimen: Regimen, clinic: Clinic, clock: FixedClock
) -> tuple[UUID, TestResponse]:
    """Cora's Tuesday visit sent to Thursday 14:00, where Dan's visit is: refused (409)."""
    book_visit(
        regimen, clock, visit_booking(clinic, "2026-03-05T14:00", client_id=clinic.other_client_id)
    )
    visit_id = book_visit(regimen, clock, visit_booking(clinic, "2026-03-03T10:00"))
    response = desk.post(f"/visits/{visit_id}/move", {"date": "2026-03-05", "time": "14:00"})
    assert response.status_code == 409
    return visit_id, response


def test_a_move_onto_another_booking_names_it_and_moves_nothing(
    desk: Desk, regimen: Regimen, clinic: Clinic, clock: FixedClock
) -> None:
    visit_id, response = moved_onto_dans_visit(desk, regimen, clinic, clock)
    assert "(Dan Client&#39;s assessment visit)" in text(response)
    assert regimen.visit(visit_id).session.time.local_start == datetime(2026, 3, 3, 10)


def test_cancelling_a_visit_frees_it_and_needs_a_reason(
    desk: Desk, regimen: Regimen, clinic: Clinic, clock: FixedClock
) -> None:
    visit_id = book_visit(regimen, clock, visit_booking(clinic, "2026-03-10T10:00"))
    assert desk.post(f"/visits/{visit_id}/cancel", {"reason": ""}).status_code == 422
    response = desk.post(f"/visits/{visit_id}/cancel", {"reason": "feeling better"})
    assert response.status_code == 302
    visit = regimen.visit(visit_id)
    assert visit.status is SessionStatus.CANCELLED and not visit.session.late_cancel
    page = text(desk.get(response.location))
    assert "The visit is cancelled." in page and "late cancellation" not in page
    assert "nothing more can be done with it here" in page


def test_the_page_warns_when_cancelling_now_would_be_late(
    desk: Desk, regimen: Regimen, clinic: Clinic, clock: FixedClock
) -> None:
    visit_id = book_visit(regimen, clock, visit_booking(clinic, "2026-03-02T15:00"))  # in 7 hours
    page = text(desk.get(f"/visits/{visit_id}"))
    assert "Cancelling now is a late cancellation" in page
    response = desk.post(f"/visits/{visit_id}/cancel", {"reason": "car broke down"})
    assert "It was a late cancellation." in text(desk.get(response.location))
    assert regimen.visit(visit_id).session.late_cancel


def test_a_no_show_is_offered_only_once_the_visit_has_started(
    desk: Desk, regimen: Regimen, clinic: Clinic, clock: FixedClock
) -> None:
    visit_id = book_visit(regimen, clock, visit_booking(clinic, "2026-03-02T09:00"))
    page = text(desk.get(f"/visits/{visit_id}"))
    assert "A no-show can be recorded once the visit has started." in page
    assert f'action="/visits/{visit_id}/no-show"' not in page
    assert desk.post(f"/visits/{visit_id}/no-show").status_code == 409  # sent anyway: refused
    clock.advance(hours=1, minutes=15)
    desk.sign_in_again()
    assert f'action="/visits/{visit_id}/no-show"' in text(desk.get(f"/visits/{visit_id}"))
    response = desk.post(f"/visits/{visit_id}/no-show")
    assert response.status_code == 302
    assert regimen.visit(visit_id).status is SessionStatus.MISSED
    assert '<span class="status st-missed">No-show</span>' in text(desk.get(response.location))


def test_a_plan_proposed_from_the_visit_is_mentioned_and_the_plan_is_bookable_from_the_client(
    desk: Desk, regimen: Regimen, clinic: Clinic, clock: FixedClock
) -> None:
    visit_id = book_visit(regimen, clock, visit_booking(clinic, "2026-03-02T09:00"))
    clock.advance(hours=2)
    assessment = Assessment("neck", "3 weeks", "gradual", "dull", pain_level=6)
    regimen.record_assessment(visit_id, assessment, actor=THERAPIST, now=clock())
    regimen.propose_plan(PlanProposal(**proposal(clinic, from_visit_id=visit_id)), actor=THERAPIST)
    desk.sign_in_again()
    assert "A treatment plan was proposed from this visit" in text(desk.get(f"/visits/{visit_id}"))
    client_page = text(desk.get(f"/clients/{clinic.client_id}"))
    assert "Book a first visit" not in client_page
    assert f"/visits/new?client_id={clinic.client_id}&amp;kind=single" in client_page


def test_an_old_link_to_a_visits_session_opens_the_visit(
    desk: Desk, regimen: Regimen, clinic: Clinic, clock: FixedClock
) -> None:
    visit_id = book_visit(regimen, clock, visit_booking(clinic, "2026-03-03T10:00"))
    response = desk.get(f"/sessions/{visit_id}/0")
    assert response.status_code == 302 and response.location == f"/visits/{visit_id}"


def test_an_unknown_visit_is_a_page_not_found(desk: Desk, clinic: Clinic) -> None:
    response = desk.get(f"/visits/{UUID(int=7)}")
    assert response.status_code == 404 and "That could not be done" in text(response)


def test_a_clashing_move_offers_the_nearest_free_times_and_one_click_moves_there(
    desk: Desk, regimen: Regimen, clinic: Clinic, clock: FixedClock
) -> None:
    visit_id, response = moved_onto_dans_visit(desk, regimen, clinic, clock)
    offered = re.findall(r'name="at" value="([^"]+)"', text(response))
    # 13:00 and 15:00 are an hour from the asked 14:00; 12:45 comes before 15:15 at 75 minutes.
    assert offered == ["2026-03-05T12:45", "2026-03-05T13:00", "2026-03-05T15:00"]
    moved = desk.post(f"/visits/{visit_id}/move", {"at": offered[0], "date": "", "time": ""})
    assert moved.status_code == 302
    assert regimen.visit(visit_id).session.time.local_start == datetime.fromisoformat(offered[0])
