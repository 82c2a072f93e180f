"""The desk's waitlist page: add a client, see them waiting and the offers, remove them."""

from __future__ import annotations

import html
from uuid import UUID

from service.application import Regimen
from service.bootstrap import bootstrap
from service.config import Settings
from service.domain.reminders import Channel
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from service.projections.waitlist_queries import WaitlistQueries
from tests.builders import DESK, Clinic, visit_booking
from tests.fakes import CapturingSender, FixedClock
from tests.reminder_scenario import EMAIL_48_AND_2
from tests.web.conftest import Desk, text

ADD = {"therapist_id": "", "weekdays": "2", "start": "09:00", "end": "12:00"}


def test_the_desk_adds_a_client_and_sees_them_waiting(desk: Desk, clinic: Clinic) -> None:
    added = desk.post("/waitlist", {**ADD, "client_id": str(clinic.client_id)})
    assert added.status_code == 302

    page = text(desk.get("/waitlist"))
    assert "Cora Client" in page and "Any therapist" in page and "Wed 09:00–12:00" in page


def test_a_client_already_waiting_for_those_times_is_not_added_twice(
    desk: Desk, clinic: Clinic
) -> None:
    desk.post("/waitlist", {**ADD, "client_id": str(clinic.client_id)})

    again = desk.post("/waitlist", {**ADD, "client_id": str(clinic.client_id), "end": "10:00"})
    other = desk.post(
        "/waitlist",
        {**ADD, "client_id": str(clinic.client_id), "therapist_id": str(clinic.therapist_id)},
    )

    assert again.status_code == 409 and "The client already waits for this" in text(again)
    assert other.status_code == 302
    assert text(desk.get("/waitlist")).count("Wed 09:00–12:00") == 2


def test_a_form_without_days_or_with_an_end_before_its_start_says_so(
    desk: Desk, clinic: Clinic
) -> None:
    sent = desk.post(
        "/waitlist",
        {**ADD, "client_id": str(clinic.client_id), "weekdays": "", "end": "08:00"},
    )
    assert sent.status_code == 422
    assert "Choose at least one day." in text(sent) and "End after the start." in text(sent)


def test_an_offer_in_flight_shows_its_round_and_hold_and_a_removed_client_goes(
    desk: Desk, regimen: Regimen, clinic: Clinic, clock: FixedClock, settings: Settings
) -> None:
    desk.post("/waitlist", {**ADD, "client_id": str(clinic.client_id)})
    regimen.set_reminder_preferences(clinic.client_id, EMAIL_48_AND_2, DESK)
    visit = regimen.book_visit(
        visit_booking(clinic, "2026-03-04T10:00", client_id=clinic.other_client_id),
        actor=DESK,
        now=clock.now,
    )
    regimen.cancel_visit(visit.id, reason="ill", actor=DESK, now=clock.now)
    wiring = bootstrap(settings, regimen=regimen, senders={Channel.EMAIL: CapturingSender()})
    wiring.offer_waitlist(clock.now)

    page = text(desk.get("/waitlist"))
    assert (
        "Wed 04 Mar 10:00" in page
        and "1 client" in page
        and "(1 message sent)" in page
        and "Held until 08:30" in page
    )

    entry = wiring.waitlist().entries()[0]["entry_id"]
    assert desk.post(f"/waitlist/{entry}/leave").status_code == 302
    assert "No one is waiting." in text(desk.get("/waitlist"))


def test_from_the_clients_page_the_desk_puts_them_on_the_list_for_their_plans_next_session(
    desk: Desk, regimen: Regimen, clinic: Clinic, plan_id: UUID
) -> None:
    client_page = text(desk.get(f"/clients/{clinic.client_id}"))
    assert f"/waitlist?client_id={clinic.client_id}" in client_page

    form = html.unescape(text(desk.get(f"/waitlist?client_id={clinic.client_id}")))
    assert "The next session of Ada Therapist's plan (6 × 60 min)" in form
    added = desk.post(
        "/waitlist", {**ADD, "client_id": str(clinic.client_id), "plan_id": str(plan_id)}
    )
    assert added.status_code == 302
    [entry] = WaitlistQueries.of(ReadModel(Projector(regimen)).fresh()).entries()
    assert entry["plan_id"] == str(plan_id)
    assert "Next plan session" in text(desk.get("/waitlist"))
