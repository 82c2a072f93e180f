"""The client's page by signed link: its states, confirming, cancelling, and its limits."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from flask.testing import FlaskClient

from service.application import Regimen
from service.domain.client import Client
from service.domain.reminders import Channel
from service.http.client_limits import GUESSES
from service.reminders.client_links import LIFETIME, make_link_token
from tests.api.helpers import bearer
from tests.builders import DESK, Clinic
from tests.fakes import FixedClock
from tests.web.client_links import RULE, CorasLink, CorasPage
from tests.web.conftest import Desk, text


def test_the_page_lists_upcoming_sessions_in_the_clients_zone_and_no_clinical_words(
    client: FlaskClient, cora: CorasPage
) -> None:
    page = client.get(cora.link())
    html = text(page)
    assert page.status_code == 200
    assert "Tuesday 3 March 2026 at 10:00 GMT (Europe/London)" in html
    assert "Ada Therapist" in html and "0117 496 0123" in html
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["Cache-Control"] == "no-store"


def test_confirming_records_it_and_the_desk_calendar_shows_it(
    client: FlaskClient, cora: CorasPage, desk: Desk
) -> None:
    path = cora.path(1, "confirm")
    assert "I will come" in text(client.get(path))
    done = client.post(path)
    assert done.status_code == 303
    assert "noted that you will come" in text(client.get(done.headers["Location"]))
    calendar = text(desk.get("/calendar?date=2026-03-03&view=day"))
    assert "Confirmed" in calendar


def test_cancelling_inside_the_window_states_the_rule_first_and_is_marked_late(
    client: FlaskClient, cora: CorasPage, clock: FixedClock, desk: Desk
) -> None:
    clock.advance(hours=20)  # session 1 is six hours away
    path = cora.path(1, "cancel")
    asked = text(client.get(path))
    assert "This is a late cancellation" in asked and RULE in asked
    assert client.post(path).status_code == 303
    session = cora.session(1)
    assert session.session.status.value == "cancelled" and session.session.late_cancel
    desk.sign_in_again()  # the desk's session ended while the clock moved on
    assert "late cancel</li>" in text(desk.get("/calendar?date=2026-03-03&view=day"))


def test_cancelling_well_ahead_is_free_and_frees_the_slot(
    client: FlaskClient, cora: CorasPage
) -> None:
    path = cora.path(2, "cancel")
    assert "free of charge" in text(client.get(path))
    assert client.post(path).status_code == 303
    session = cora.session(2)
    assert session.session.status.value == "cancelled" and not session.session.late_cancel


def test_a_tampered_link_is_403_with_a_page(client: FlaskClient, coras_link: CorasLink) -> None:
    good = coras_link.link()
    tampered = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    answer = client.get(tampered)
    assert answer.status_code == 403 and "This link does not work" in text(answer)


def test_an_expired_link_is_410_with_a_page(
    client: FlaskClient, coras_link: CorasLink, clock: FixedClock
) -> None:
    path = coras_link.link()
    clock.now += LIFETIME + timedelta(seconds=1)
    answer = client.get(path)
    assert answer.status_code == 410 and "This link has expired" in text(answer)


def test_a_revoked_link_is_410_and_a_new_one_works(
    client: FlaskClient, coras_link: CorasLink, regimen: Regimen, clinic: Clinic
) -> None:
    old = coras_link.link()
    regimen.revoke_client_links(clinic.client_id, actor=DESK)
    answer = client.get(old)
    assert answer.status_code == 410 and "no longer works" in text(answer)
    assert client.get(coras_link.link()).status_code == 200


def test_another_clients_session_is_not_found_through_my_link(
    client: FlaskClient, cora: CorasPage, clinic: Clinic, plan_id: UUID, clock: FixedClock
) -> None:
    secret = str(client.application.secret_key)
    dans = f"/c/{make_link_token(secret, clinic.other_client_id, 0, clock())}"
    answer = client.post(f"{dans}/sessions/{plan_id}/1/cancel")
    assert answer.status_code == 404
    assert cora.session(1).session.status.value == "booked"


def test_a_hundred_guesses_from_one_address_are_throttled(
    client: FlaskClient, coras_link: CorasLink, clock: FixedClock
) -> None:
    answers = [client.get(f"/c/guess{n}.0.abc.def").status_code for n in range(50)]
    answers += [client.get(f"/feeds/guess{n}.ics").status_code for n in range(50)]
    assert answers[: GUESSES.hits] == [403] * GUESSES.hits
    assert set(answers[GUESSES.hits :]) == {429}
    # Even a good link from that address waits out the minute; another minute, it opens.
    assert client.get(coras_link.link()).status_code == 429
    clock.advance(minutes=1)
    assert client.get(coras_link.link()).status_code == 200


def guesses(client: FlaskClient, peer: str, forwarded_for: str, count: int) -> list[int]:
    """The answers to `count` made-up links from `peer`, naming `forwarded_for` as the client."""
    return [
        client.get(
            f"/c/guess{n}.0.abc.def",
            environ_base={"REMOTE_ADDR": peer},
            headers={"X-Forwarded-For": forwarded_for},
        ).status_code
        for n in range(count)
    ]


def test_behind_the_proxy_each_client_address_is_throttled_on_its_own(
    client: FlaskClient,
) -> None:
    guesser = guesses(client, "127.0.0.1", "198.51.100.7", GUESSES.hits + 1)
    assert guesser[-1] == 429
    # Another client, through the same proxy, is not shut out by the guesser.
    assert guesses(client, "127.0.0.1", "198.51.100.8", 1) == [403]


def test_a_client_not_behind_a_trusted_proxy_cannot_choose_its_address(
    client: FlaskClient,
) -> None:
    answers = [
        guesses(client, "203.0.113.9", f"198.51.100.{n}", 1)[0] for n in range(GUESSES.hits + 1)
    ]
    assert answers[-1] == 429  # counted under 203.0.113.9 whatever the header claims


def test_a_link_signed_by_a_clock_slightly_ahead_still_opens(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, clock: FixedClock
) -> None:
    secret = str(client.application.secret_key)
    ahead = make_link_token(secret, clinic.client_id, 0, clock() + timedelta(minutes=2))
    assert client.get(f"/c/{ahead}").status_code == 200
    too_far = make_link_token(secret, clinic.client_id, 0, clock() + timedelta(hours=1))
    assert client.get(f"/c/{too_far}").status_code == 410


def test_the_desk_hands_out_a_page_link_and_revokes_every_link_sent(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, tokens: dict[str, str]
) -> None:
    desk = bearer(tokens["front_desk"])
    made = client.post(f"/api/v1/clients/{clinic.client_id}/page-link", headers=desk)
    assert made.status_code == 201
    path = made.get_json()["url"].removeprefix("http://localhost")
    assert client.get(path).status_code == 200
    revoked = client.post(f"/api/v1/clients/{clinic.client_id}/page-link/revoke", headers=desk)
    assert revoked.get_json() == {"generation": 1}
    assert client.get(path).status_code == 410
    auditor = bearer(tokens["auditor"])
    refused = client.post(f"/api/v1/clients/{clinic.client_id}/page-link", headers=auditor)
    assert refused.status_code == 403


def test_the_client_moves_a_session_to_a_free_time_within_the_plans_pace(
    client: FlaskClient, cora: CorasPage, regimen: Regimen, clinic: Clinic, plan_id: UUID
) -> None:
    path = cora.path(2, "reschedule")
    offered = text(client.get(path))
    # Session 2 is Tuesday 10 March 10:00; weekly pace: within three days either way.
    assert "Saturday 7 March" in offered and "Friday 13 March" in offered
    assert "Monday 16 March" not in offered and "Thursday 5 March" not in offered
    moves = regimen.move_offers(clinic.client_id, plan_id, 2, now=cora.clock())
    chosen = next(o for o in moves if o.local_start.hour == 15 and o.local_start.day == 11)
    answer = client.post(path, data={"start": chosen.start.isoformat()})
    assert answer.status_code == 303 and answer.headers["Location"].endswith("done=moved")
    session = cora.session(2).session
    assert session.time.start == chosen.start and session.status.value == "booked"
    refused = client.post(path, data={"start": "2026-03-30T10:00:00+00:00"})
    assert refused.status_code == 409 and "no longer free" in text(refused)


def test_inside_the_window_no_time_is_offered_and_the_clinic_is_named(
    client: FlaskClient, cora: CorasPage, clock: FixedClock
) -> None:
    clock.advance(hours=20)
    path = cora.path(1, "reschedule")
    page = text(client.get(path))
    assert "to move it now, contact Test Clinic" in page and 'type="radio"' not in page


def test_the_client_chooses_how_to_be_reminded(
    client: FlaskClient, coras_link: CorasLink, regimen: Regimen, clinic: Clinic
) -> None:
    path = coras_link.link()
    assert 'name="email"' in text(client.get(path)) and 'name="sms"' not in text(client.get(path))
    assert client.post(f"{path}/reminders", data={"email": "yes"}).status_code == 303
    consented = regimen.find(Client, clinic.client_id).reminder_preferences.consented_channels
    assert consented == (Channel.EMAIL,)
    assert client.post(f"{path}/reminders", data={}).status_code == 303
    assert regimen.find(Client, clinic.client_id).reminder_preferences.consented_channels == ()
