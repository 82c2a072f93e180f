"""Self-booking from the client's page: the next session of an agreed plan, at a free time
within the plan's pace, only when the clinic allows it."""

from __future__ import annotations

import re
from datetime import date
from uuid import UUID

from flask.testing import FlaskClient

from service.application import Regimen
from service.domain.values import Authorization, Role, SessionStatus
from tests.builders import Clinic, agreed_plan, configure_clinic
from tests.web.client_links import CorasLink
from tests.web.conftest import text


def offered_starts(page: str) -> list[str]:
    """The times a booking page offers, as the form sends them."""
    return re.findall(r'name="start" value="([^"]+)"', page)


def test_off_by_default_the_section_is_absent_and_booking_is_refused(
    client: FlaskClient, coras_link: CorasLink, regimen: Regimen, plan_id: UUID
) -> None:
    path = coras_link.link()
    assert "Book your next session" not in text(client.get(path))
    for answer in (
        client.get(f"{path}/plans/{plan_id}/book"),
        client.post(f"{path}/plans/{plan_id}/book", data={"start": "2026-03-04T10:00:00+00:00"}),
    ):
        assert answer.status_code == 403 and "Booking online is not open" in text(answer)
    assert regimen.plan(plan_id).sessions == []


def test_the_client_books_the_next_sessions_at_the_plans_pace(
    client: FlaskClient, coras_link: CorasLink, regimen: Regimen, clinic: Clinic, plan_id: UUID
) -> None:
    configure_clinic(regimen, self_booking=True)
    path = coras_link.link()
    page = text(client.get(path))
    assert "Book your next session" in page and "6 sessions still to book" in page
    book = f"{path}/plans/{plan_id}/book"
    starts = offered_starts(text(client.get(book)))
    # Nothing booked yet: from the end of the 24-hour window (Tue 3 March 08:00 UTC) on.
    assert starts and min(starts) == "2026-03-03T08:00:00+00:00"
    done = client.post(book, data={"start": "2026-03-04T10:00:00+00:00"})
    assert done.status_code == 303 and done.headers["Location"].endswith("done=booked")
    [first] = regimen.plan(plan_id).sessions
    assert first.status is SessionStatus.BOOKED and first.therapist_id == clinic.therapist_id
    assert "Wednesday 4 March 2026 at 10:00" in text(client.get(done.headers["Location"]))
    # The next one: a week later, give or take three days (Sun 8 to Sat 14 March).
    later = offered_starts(text(client.get(book)))
    assert min(later) >= "2026-03-08" and max(later) <= "2026-03-14T10:00:00+00:00"
    assert "2026-03-04T10:00:00+00:00" not in later
    refused = client.post(book, data={"start": "2026-03-04T10:00:00+00:00"})
    assert refused.status_code == 409 and "no longer free" in text(refused)
    events = regimen.history(plan_id)
    assert events[-1].actor.role is Role.CLIENT  # type: ignore[attr-defined]


def test_another_clients_plan_cannot_be_booked(
    client: FlaskClient, coras_link: CorasLink, regimen: Regimen, clinic: Clinic
) -> None:
    configure_clinic(regimen, self_booking=True)
    others = agreed_plan(regimen, clinic, client_id=clinic.other_client_id)
    path = coras_link.link()
    assert client.get(f"{path}/plans/{others}/book").status_code == 404
    assert client.get(f"{path}/plans/not-a-plan/book").status_code == 404
    assert regimen.plan(others).sessions == []


def test_an_authorization_with_no_visit_left_refuses_with_a_clear_page(
    client: FlaskClient, coras_link: CorasLink, regimen: Regimen, clinic: Clinic
) -> None:
    configure_clinic(regimen, self_booking=True)
    auth = Authorization(payer="Acme", number="A-1", visits=1, valid_until=date(2026, 12, 31))
    plan_id = agreed_plan(regimen, clinic, authorization=auth)
    book = f"{coras_link.link()}/plans/{plan_id}/book"
    assert client.post(book, data={"start": "2026-03-04T10:00:00+00:00"}).status_code == 303
    [start] = offered_starts(text(client.get(book)))[:1]
    refused = client.post(book, data={"start": start})
    assert refused.status_code == 409
    assert "Your authorization does not cover another session" in text(refused)
    assert "it is used up or has ended" in text(refused)  # no promise of "more visits"
    assert "Traceback" not in text(refused)
    assert len(regimen.plan(plan_id).sessions) == 1
