"""Booking a visit from the desk: the form a free hour or a client's page opens, and its answers."""

from __future__ import annotations

import html
import re
from datetime import datetime
from uuid import UUID

from service.application import Regimen
from service.application.commands import Slot
from service.domain.client import Client
from service.domain.visit import VisitKind
from tests.builders import DESK, ZONE, Clinic, people_of
from tests.fakes import FixedClock
from tests.web.conftest import Desk, missing, text


def visit_form(clinic: Clinic, **changes: str) -> dict[str, str]:
    """What the desk sends for Cora's assessment with Ada in Room A on Tue 3 March at 10:00."""
    return {
        **people_of(clinic),
        "kind": "assessment",
        "date": "2026-03-03",
        "time": "10:00",
        "minutes": "60",
        "complaint": "Stiff neck for two weeks",
        **changes,
    }


def test_a_free_hours_link_opens_the_form_with_therapist_time_and_zone_filled_in(
    desk: Desk, clinic: Clinic
) -> None:
    page = text(
        desk.get(f"/visits/new?therapist_id={clinic.therapist_id}&date=2026-03-03&time=10:00")
    )
    assert (
        missing(
            page,
            "<h1>Book a visit</h1>",
            f'<option value="{clinic.therapist_id}" selected>Ada Therapist</option>',
            'name="date" type="date" value="2026-03-03"',
            'name="time" type="time" value="10:00"',
            "Times are Europe/London (GMT)",
            'id="f-kind-assessment" name="kind" value="assessment" checked',
            '<label for="f-client_id">Client</label>',
        )
        == []
    )


def test_the_client_search_narrows_the_list_and_keeps_what_was_filled_in(
    desk: Desk, clinic: Clinic
) -> None:
    page = text(desk.get(f"/visits/new?q=dan&therapist_id={clinic.therapist_id}&time=10:00"))
    options = page.split('id="f-client_id"')[1].split("</select>")[0]
    assert "Dan Client (dan@example.org)" in options and "Cora Client" not in options
    assert '<input type="hidden" name="time" value="10:00">' in page


def test_booking_a_visit_shows_its_page_with_a_flash(
    desk: Desk, regimen: Regimen, clinic: Clinic
) -> None:
    response = desk.post("/visits", visit_form(clinic))
    assert response.status_code == 302
    visit_id = UUID(re.fullmatch(r"/visits/([0-9a-f-]{36})", response.location).group(1))
    visit = regimen.visit(visit_id)
    assert visit.kind is VisitKind.ASSESSMENT and visit.client_id == clinic.client_id
    assert visit.session.time.local_start == datetime(2026, 3, 3, 10)
    assert visit.complaint == "Stiff neck for two weeks"
    page = text(desk.get(response.location))
    assert "Assessment booked for Cora Client on Tue 03 Mar at 10:00." in page


def test_a_clash_is_shown_beside_the_form_naming_the_client_in_the_way(
    desk: Desk, regimen: Regimen, plan_id: UUID, clinic: Clinic, clock: FixedClock
) -> None:
    regimen.book_session(
        plan_id, Slot(local_start=datetime(2026, 3, 3, 10), zone=ZONE), actor=DESK, now=clock()
    )
    response = desk.post(
        "/visits", visit_form(clinic, client_id=str(clinic.other_client_id), time="10:30")
    )
    page = text(response)
    assert response.status_code == 409
    assert '<div class="alert" role="alert"' in page and "That time is not free." in page
    assert "Therapist already booked 10:00–11:00 (Cora Client&#39;s session 1)." in page
    assert str(plan_id) not in page and "Traceback" not in page
    assert 'value="10:30"' in page  # what was typed is kept
    assert "None booked." in text(desk.get(f"/clients/{clinic.other_client_id}"))


def test_a_clash_offers_the_nearest_free_times_as_links_back_to_the_form(
    desk: Desk, regimen: Regimen, plan_id: UUID, clinic: Clinic, clock: FixedClock
) -> None:
    regimen.book_session(
        plan_id, Slot(local_start=datetime(2026, 3, 3, 10), zone=ZONE), actor=DESK, now=clock()
    )
    page = text(desk.post("/visits", visit_form(clinic, time="09:50")))
    nearest = page.split('id="nearest-h"')[1].split("</ul>")[0]
    assert re.findall(r">(Tue 03 Mar, \d\d:\d\d)</a>", nearest) == [
        "Tue 03 Mar, 08:45",
        "Tue 03 Mar, 09:00",
        "Tue 03 Mar, 11:00",
    ]  # 60 minutes with Ada in Room A: 09:15 and 09:30 are nearer but run into 10:00
    assert f"therapist_id={clinic.therapist_id}" in nearest and "time=11:00" in nearest


def test_a_visit_clashing_with_another_visit_names_it_as_a_visit(
    desk: Desk, regimen: Regimen, clinic: Clinic
) -> None:
    assert desk.post("/visits", visit_form(clinic)).status_code == 302
    response = desk.post("/visits", visit_form(clinic, client_id=str(clinic.other_client_id)))
    assert response.status_code == 409
    assert "(Cora Client&#39;s assessment visit)" in text(response)


def test_a_form_without_client_or_time_says_so_beside_each_field(
    desk: Desk, clinic: Clinic
) -> None:
    response = desk.post("/visits", visit_form(clinic, client_id="", time="", minutes="500"))
    page = text(response)
    assert response.status_code == 422
    assert 'id="f-client_id-error"' in page and 'id="f-time-error"' in page
    assert "Enter a whole number from 15 to 240." in page


def test_a_client_without_a_plan_is_offered_a_first_visit(desk: Desk, clinic: Clinic) -> None:
    page = text(desk.get(f"/clients/{clinic.other_client_id}"))
    link = f'href="/visits/new?client_id={clinic.other_client_id}&amp;kind=assessment"'
    assert link in page and ">Book a first visit</a>" in page
    form = text(desk.get(f"/visits/new?client_id={clinic.other_client_id}&kind=assessment"))
    assert f'<option value="{clinic.other_client_id}" selected>Dan Client' in form


def test_a_client_with_a_plan_is_not_sent_to_a_first_visit(
    desk: Desk, plan_id: UUID, clinic: Clinic
) -> None:
    page = text(desk.get(f"/clients/{clinic.client_id}"))
    assert "Book a first visit" not in page and "Book 6 sessions" in page


def test_a_new_client_is_registered_and_the_visit_form_comes_back_with_the_slot_kept(
    desk: Desk, regimen: Regimen, clinic: Clinic
) -> None:
    form = text(
        desk.get(f"/visits/new?therapist_id={clinic.therapist_id}&date=2026-03-03&time=10:00")
    )
    [register] = re.findall(r'href="(/clients\?then=[^"]+)"', form)
    page = text(desk.get(html.unescape(register)))  # as a browser reads the attributes
    [then] = [html.unescape(v) for v in re.findall(r'name="then" value="([^"]+)"', page)]
    response = desk.post(
        "/clients", {"name": "Eve Newcomer", "email": "eve@example.org", "then": then}
    )
    assert response.status_code == 302
    assert response.location.startswith("/visits/new?")
    back = text(desk.get(response.location))
    eve = response.location.rsplit("client_id=", 1)[1]
    assert regimen.load(Client, UUID(eve)).name == "Eve Newcomer"
    assert 'name="date" type="date" value="2026-03-03"' in back
    assert 'name="time" type="time" value="10:00"' in back
    assert f'<option value="{clinic.therapist_id}" selected>Ada Therapist</option>' in back
    options = back.split('id="f-client_id"')[1].split("</select>")[0]
    assert f'<option value="{eve}" selected>Eve Newcomer (eve@example.org)</option>' in options


def test_registering_leads_on_only_to_the_visit_form(desk: Desk) -> None:
    response = desk.post(
        "/clients", {"name": "Fay Elsewhere", "then": "https://elsewhere.example/visits/new?"}
    )
    assert response.status_code == 302 and response.location.startswith("/clients/")
