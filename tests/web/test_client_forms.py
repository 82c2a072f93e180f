"""The client page's forms: phone numbers, likely duplicates, changing details, consent."""

from __future__ import annotations

from datetime import time, timedelta
from uuid import UUID

from service.application import Regimen
from service.domain.client import Client
from service.domain.reminders import Channel, QuietHours
from tests.builders import DESK, Clinic
from tests.web.conftest import Desk, refused, text


def test_a_national_phone_number_is_registered_with_the_clinics_country_code(
    desk: Desk, regimen: Regimen
) -> None:
    response = desk.post("/clients", {"name": "Erin Walker", "phone": "07700 900102"})

    assert response.status_code == 302, text(response)
    client_id = UUID(response.location.rsplit("/", 1)[-1])
    assert "+447700900102" in text(desk.get(response.location))
    assert regimen.load(Client, client_id).phone == "+447700900102"


def test_what_is_no_phone_number_is_refused_beside_its_field(desk: Desk, regimen: Regimen) -> None:
    page = refused(desk, regimen, "/clients", {"name": "Erin Walker", "phone": "abc"})
    assert 'aria-describedby="new-phone-hint new-phone-error" aria-invalid="true"' in page
    assert "This is not a phone number. Enter a number like 07400 123456" in page
    assert "A number without its country code is read as one in Britain (UK)" in page


def test_a_likely_duplicate_is_shown_with_a_link_before_registering(
    desk: Desk, regimen: Regimen, clinic: Clinic
) -> None:
    form = {"name": "Cora Client", "email": "CORA@example.org"}
    page = refused(desk, regimen, "/clients", form, status=409)
    assert "This client may be registered already" in page
    assert f'<a href="/clients/{clinic.client_id}">Cora Client</a>' in page
    assert 'name="allow_duplicate" value="yes">Register anyway</button>' in page
    assert 'value="CORA@example.org"' in page  # what was typed stays in the form


def test_the_same_name_and_phone_written_another_way_is_a_likely_duplicate(
    desk: Desk,
) -> None:
    desk.post("/clients", {"name": "Erin Walker", "phone": "07700 900102"})

    response = desk.post("/clients", {"name": "Erin Walker", "phone": "+44 7700 900102"})

    assert response.status_code == 409
    assert "This client may be registered already" in text(response)


def test_register_anyway_registers_the_likely_duplicate(desk: Desk, clinic: Clinic) -> None:
    details = {"name": "Cora Client", "email": "cora@example.org", "allow_duplicate": "yes"}

    response = desk.post("/clients", details)

    assert response.status_code == 302
    assert str(clinic.client_id) not in response.location


def test_the_desk_changes_a_clients_details(desk: Desk, regimen: Regimen, clinic: Clinic) -> None:
    page = text(desk.get(f"/clients/{clinic.client_id}"))
    assert "<summary>Change the client's details</summary>" in page
    assert '<label for="edit-zone">Time zone</label>' in page
    details = {
        "name": "Cora Clientson",
        "email": "cora@example.org",
        "phone": "07700 900123",
        "zone": "Europe/Paris",
        "notes": "prefers\r\nmornings",
    }

    response = desk.post(f"/clients/{clinic.client_id}/details", details)

    assert response.status_code == 302
    assert "The client&#39;s details are saved." in text(desk.get(response.location))
    client = regimen.load(Client, clinic.client_id)
    assert (client.name, client.phone, client.zone) == (
        "Cora Clientson",
        "+447700900123",
        "Europe/Paris",
    )


def test_details_left_as_they_were_change_nothing(
    desk: Desk, regimen: Regimen, clinic: Clinic
) -> None:
    regimen.update_client(clinic.client_id, {"notes": "two\nlines"}, DESK)
    client = regimen.load(Client, clinic.client_id)
    same = {"name": client.name, "email": client.email, "phone": "", "zone": client.zone}

    response = desk.post(f"/clients/{clinic.client_id}/details", {**same, "notes": "two\r\nlines"})

    assert response.status_code == 302
    assert regimen.load(Client, clinic.client_id).version == client.version


def test_problems_with_changed_details_are_shown_beside_their_fields(
    desk: Desk, regimen: Regimen, clinic: Clinic
) -> None:
    details = {"name": " ", "email": "nope", "phone": "abc", "zone": "Mars/Base", "notes": ""}
    page = refused(desk, regimen, f"/clients/{clinic.client_id}/details", details)
    assert '<details class="edit" open>' in page
    for field in ("name", "email", "phone", "zone"):
        assert f'id="edit-{field}-error"' in page, field
    assert 'value="Mars/Base"' in page


def test_the_client_page_records_consent_to_reminders(
    desk: Desk, regimen: Regimen, clinic: Clinic
) -> None:
    page = text(desk.get(f"/clients/{clinic.client_id}"))
    assert "<summary>Record the client&#39;s consent to reminders</summary>" in page
    assert "<legend>The client agrees to be reminded by</legend>" in page
    assert '<label for="consent-channel-email">Email</label>' in page
    choices = {
        "channel": "email",
        "lead": ["1440", "120"],
        "quiet_start": "22:00",
        "quiet_end": "07:30",
    }

    response = desk.client.post(
        f"/clients/{clinic.client_id}/reminder-preferences",
        data={**choices, "csrf_token": desk.csrf()},
    )

    assert response.status_code == 302
    assert "By email, 24 h and 2 h before each session" in text(desk.get(response.location))
    preferences = regimen.load(Client, clinic.client_id).reminder_preferences
    assert preferences.consented_channels == (Channel.EMAIL,)
    assert preferences.leads == (timedelta(hours=24), timedelta(hours=2))
    assert preferences.quiet_hours == QuietHours(time(22), time(7, 30))


def test_consent_to_sms_without_a_phone_number_is_refused_saying_why(
    desk: Desk, regimen: Regimen, clinic: Clinic
) -> None:
    url = f"/clients/{clinic.client_id}/reminder-preferences"
    page = refused(desk, regimen, url, {"channel": "sms", "lead": "120"})
    assert "SMS reminders need the client&#39;s phone number." in page
    assert '<details class="consent" open>' in page
    assert 'id="consent-channel-sms" name="channel" value="sms" checked' in page


def test_consent_needs_a_lead_time_and_a_form_with_no_csrf_token_is_refused(
    desk: Desk, clinic: Clinic
) -> None:
    response = desk.post(f"/clients/{clinic.client_id}/reminder-preferences", {"channel": "email"})
    assert response.status_code == 422
    assert 'id="consent-lead-error"' in text(response)

    forged = desk.client.post(
        f"/clients/{clinic.client_id}/reminder-preferences", data={"channel": "email"}
    )
    assert forged.status_code in (400, 403)


def test_searching_by_a_whole_phone_number_finds_it_however_it_is_written(desk: Desk) -> None:
    desk.post("/clients", {"name": "Erin Walker", "phone": "+44 7700 900102"})

    for typed in ("07700 900102", "+44 7700 900102", "+447700900102"):
        assert "Erin Walker" in text(desk.htmx(f"/clients?q={typed}")), typed
