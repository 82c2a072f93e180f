"""Clients: search, registration, the client's page, recording agreement to a plan."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import pytest

from service.application import Regimen
from service.application.commands import Slot
from service.domain.proposal import PlanProposal
from service.domain.reminders import Channel, ReminderPreferences
from service.domain.values import PlanStatus
from tests.builders import DESK, THERAPIST, ZONE, Clinic, proposal
from tests.fakes import FixedClock
from tests.web.conftest import Desk, refused, text


def test_searching_finds_clients_by_part_of_their_name(desk: Desk) -> None:
    page = text(desk.get("/clients?q=cora"))
    assert "Cora Client" in page and "Dan Client" not in page
    assert '<label for="q">Name, email or phone</label>' in page


def test_search_as_you_type_answers_with_the_results_alone(desk: Desk) -> None:
    response = desk.htmx("/clients?q=dan")
    assert "Dan Client" in text(response) and "<html" not in text(response)


def test_a_search_with_no_match_says_so(desk: Desk) -> None:
    assert "No client matches “zed”" in text(desk.get("/clients?q=zed"))


def test_registering_a_client_opens_their_page(desk: Desk, regimen: Regimen) -> None:
    response = desk.post(
        "/clients", {"name": "Erin Walker", "email": "erin@example.org", "phone": "07700 900102"}
    )
    assert response.status_code == 302
    page = text(desk.get(response.location))
    assert "Erin Walker is registered." in page and "erin@example.org" in page
    assert "+447700900102" in page
    assert "Erin Walker" in text(desk.get("/clients?q=erin"))


def test_registration_problems_are_shown_beside_their_fields(desk: Desk) -> None:
    response = desk.post("/clients", {"name": " ", "email": "not-an-address"})
    assert response.status_code == 422
    page = text(response)
    error = '<p class="field-error" id="new-name-error"><span class="sr-only">Error:</span>'
    assert f"{error} Fill this in.</p>" in page
    assert 'aria-describedby="new-email-error" aria-invalid="true"' in page
    assert "Traceback" not in page


def test_the_client_page_offers_to_book_an_agreed_plan(
    desk: Desk, clinic: Clinic, plan_id: UUID
) -> None:
    page = text(desk.get(f"/clients/{clinic.client_id}"))
    assert f'href="/plans/{plan_id}/book">Book 6 sessions</a>' in page


def test_the_desk_records_the_clients_agreement_to_a_proposed_plan(
    desk: Desk, regimen: Regimen, clinic: Clinic
) -> None:
    plan_id = regimen.propose_plan(PlanProposal(**proposal(clinic)), actor=THERAPIST)
    page = text(desk.get(f"/clients/{clinic.client_id}"))
    assert "Record the client's agreement" in page
    response = desk.post(f"/plans/{plan_id}/agree")
    assert response.status_code == 302
    assert regimen.plan(plan_id).status is PlanStatus.AGREED
    assert "The client&#39;s agreement is recorded" in text(desk.get(response.location))


def test_agreeing_twice_says_why_it_cannot(desk: Desk, plan_id: UUID) -> None:
    response = desk.post(f"/plans/{plan_id}/agree")
    assert "The plan is already agreed" in text(desk.get(response.location))


def test_an_unknown_client_is_a_plain_not_found_page(desk: Desk) -> None:
    response = desk.get("/clients/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert "That could not be done" in text(response) and "Traceback" not in text(response)


def test_the_client_page_shows_the_reminder_schedule_in_the_clinic_zone(
    desk: Desk, regimen: Regimen, clinic: Clinic, plan_id: UUID, clock: FixedClock
) -> None:
    regimen.set_reminder_preferences(
        clinic.client_id, ReminderPreferences(consented_channels=(Channel.EMAIL,)), DESK
    )
    regimen.book_session(
        plan_id, Slot(local_start=datetime(2026, 3, 5, 14), zone=ZONE), actor=DESK, now=clock()
    )
    page = text(desk.get(f"/clients/{clinic.client_id}"))
    assert "By email, 48 h and 2 h before each session" in page
    assert "<td>Tue 03 Mar 14:00</td><td>Email</td><td>Thu 05 Mar 14:00</td>" in page
    assert "<td>Thu 05 Mar 12:00</td><td>Email</td>" in page


def test_a_feed_link_is_shown_once_with_a_copy_button_and_serves_the_calendar(
    desk: Desk, clinic: Clinic
) -> None:
    response = desk.post(f"/clients/{clinic.client_id}/feed")
    assert response.status_code == 201
    page = text(response)
    assert 'data-copy="feed-url">Copy link</button>' in page
    link = page.split('id="feed-url" type="text" readonly value="')[1].split('"')[0]
    assert link.startswith("http://localhost/feeds/") and link.endswith(".ics")
    feed = desk.client.get(link.removeprefix("http://localhost"))
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    again = text(desk.get(f"/clients/{clinic.client_id}"))
    assert link not in again and "it is not shown again" in again


def test_switching_the_feed_off_stops_its_link(desk: Desk, clinic: Clinic) -> None:
    page = text(desk.post(f"/clients/{clinic.client_id}/feed"))
    link = page.split('readonly value="')[1].split('"')[0].removeprefix("http://localhost")
    response = desk.post(f"/clients/{clinic.client_id}/feed/revoke")
    assert "The calendar-feed link is switched off." in text(response)
    assert desk.client.get(link).status_code == 404


@pytest.mark.parametrize(
    ("form", "field", "says"),
    [
        (
            {"name": "Nul\x00Byte", "notes": "first\nsecond"},
            "name",
            "Contains the control character U+0000; use printable text.",
        ),
        (
            {"name": "Erin\r\nWalker", "notes": "first\nsecond"},
            "name",
            "Must be a single line: it contains a line break (U+000D).",
        ),
        (
            {"name": "Zoë Walker", "email": "zoë@example.org"},
            "email",
            "This has letters beyond ASCII before the @",
        ),
    ],
    ids=["control character in the name", "name on two lines", "email beyond ASCII"],
)
def test_a_client_field_given_text_it_cannot_hold_is_refused_beside_it(
    desk: Desk, regimen: Regimen, form: dict[str, str], field: str, says: str
) -> None:
    page = refused(desk, regimen, "/clients", form)
    assert f'aria-describedby="new-{field}-error" aria-invalid="true"' in page
    assert says in page
    assert 'id="new-notes-error"' not in page  # notes may span lines


def test_the_new_feed_link_is_offered_to_subscribe_as_webcal_and_to_download_as_https(
    desk: Desk, clinic: Clinic
) -> None:
    page = text(desk.post(f"/clients/{clinic.client_id}/feed"))
    https = page.split('id="feed-url" type="text" readonly value="')[1].split('"')[0]
    webcal = page.split('id="feed-subscribe-url" type="text" readonly value="')[1].split('"')[0]
    assert webcal == "webcal://" + https.removeprefix("http://")
    assert f'<a href="{webcal}">Subscribe</a>' in page
    assert f'<a href="{https}">Download</a>' in page


def test_with_a_new_feed_link_each_upcoming_session_has_its_own_calendar_file(
    desk: Desk, regimen: Regimen, clinic: Clinic, plan_id: UUID, clock: FixedClock
) -> None:
    regimen.book_session(
        plan_id, Slot(local_start=datetime(2026, 3, 5, 14), zone=ZONE), actor=DESK, now=clock()
    )
    page = text(desk.post(f"/clients/{clinic.client_id}/feed"))
    link = page.split('<ul class="session-events">')[1].split('href="')[1].split('"')[0]
    assert link.endswith(f"/{plan_id}/1.ics") and "Session 1, Thu 05 Mar 14:00" in page
    event = desk.client.get(link.removeprefix("http://localhost"))
    assert event.status_code == 200 and event.mimetype == "text/calendar"
    assert b"BEGIN:VEVENT" in event.data and event.data.count(b"BEGIN:VEVENT") == 1
    assert "session-events" not in text(desk.get(f"/clients/{clinic.client_id}"))
