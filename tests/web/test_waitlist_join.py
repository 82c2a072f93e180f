"""A client joins the waitlist through the link the desk made for them, as themselves."""

from __future__ import annotations

import html
import re
from uuid import UUID

from flask import Flask

from service.application import Regimen
from service.domain.values import Role
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from service.projections.waitlist_queries import WaitlistQueries
from tests.builders import Clinic
from tests.fakes import FixedClock
from tests.web.conftest import Desk, text

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
TIMES = {"therapist_id": "", "weekdays": "1", "start": "12:00", "end": "18:00"}


def join_link(desk: Desk, clinic: Clinic) -> str:
    """The path of the link the desk makes for Cora (shown once, in the page's message)."""
    made = desk.post("/waitlist/join-links", {"client_id": str(clinic.client_id)})
    assert made.status_code == 302
    page = html.unescape(text(desk.get(made.headers["Location"])))
    return re.search(r"http://localhost(/waitlist/join/[\w.-]+)", page).group(1)  # type: ignore[union-attr]


def test_a_client_chooses_their_times_and_is_on_the_waitlist_as_themselves(
    desk: Desk, app: Flask, regimen: Regimen, clinic: Clinic
) -> None:
    path = join_link(desk, clinic)
    client = app.test_client()  # the client's own browser: not signed in

    form = text(client.get(path))
    assert "Hello Cora Client" in form and "Signed in" not in form
    token = CSRF.search(form).group(1)  # type: ignore[union-attr]
    joined = client.post(path, data={**TIMES, "csrf_token": token})

    assert joined.status_code == 200 and "You are on the waitlist" in text(joined)
    [entry] = WaitlistQueries.of(ReadModel(Projector(regimen)).fresh()).entries()
    assert (entry["client_id"], entry["windows"]) == (str(clinic.client_id), "1 12:00-18:00")
    [event] = regimen.history(UUID(entry["entry_id"]))
    assert event.actor.role is Role.CLIENT  # type: ignore[attr-defined]


def test_a_changed_join_link_is_refused_and_an_old_one_has_expired(
    desk: Desk, app: Flask, clinic: Clinic, clock: FixedClock
) -> None:
    path = join_link(desk, clinic)
    client = app.test_client()
    assert client.get(path[:-2] + "xx").status_code == 403
    clock.advance(days=15)
    expired = client.get(path)
    assert expired.status_code == 410 and "expired" in text(expired)


def test_guessing_waitlist_links_from_one_address_is_throttled(app: Flask, clinic: Clinic) -> None:
    client = app.test_client()
    answers = [client.get(f"/waitlist/claim/guess{n}").status_code for n in range(12)]
    answers += [client.get(f"/waitlist/join/guess{n}").status_code for n in range(12)]
    assert answers[0] == 403 and answers[-1] == 429
    assert "Too many requests" in text(client.get("/waitlist/claim/guess"))


def test_a_client_joining_again_for_the_same_times_is_told_they_already_wait(
    desk: Desk, app: Flask, regimen: Regimen, clinic: Clinic
) -> None:
    path = join_link(desk, clinic)
    client = app.test_client()
    token = CSRF.search(text(client.get(path))).group(1)  # type: ignore[union-attr]
    client.post(path, data={**TIMES, "csrf_token": token})

    again = client.post(path, data={**TIMES, "csrf_token": token})

    assert again.status_code == 409 and "You are already on the waitlist" in text(again)
    assert len(WaitlistQueries.of(ReadModel(Projector(regimen)).fresh()).entries()) == 1
