"""The story a new user tries after `make run`: book Hannah's series, meet one clash, book it."""

from __future__ import annotations

import re
from uuid import UUID

from flask.testing import FlaskClient

from service.application import Regimen
from service.cli.demo import seed_demo
from service.domain.values import Actor, Role, SessionStatus
from tests.fakes import FixedClock
from tests.web.conftest import Desk, text

CLI = Actor(user_id="cli", role=Role.ADMIN)


def test_the_suggested_weekly_slot_for_hannah_meets_exactly_one_clash(
    client: FlaskClient, regimen: Regimen, clock: FixedClock
) -> None:
    seed_demo(regimen, CLI, now=clock())
    _, token = regimen.add_user("demo-front-desk", Role.FRONT_DESK, CLI)
    desk = Desk(client)
    desk.sign_in(token)

    # Find Hannah and the plan she agreed to, with nothing booked yet.
    found = text(desk.get("/clients?q=hannah"))
    client_url = re.search(r'href="(/clients/[0-9a-f-]+)">Hannah Fischer', found)
    assert client_url
    page = text(desk.get(client_url.group(1)))
    book_url = re.search(r'href="(/plans/[0-9a-f-]+/book)">Book 6 sessions', page)
    assert book_url

    # Preview the form as it comes: the next weekday at 10:00, clashes shifted.
    form = text(desk.get(book_url.group(1)))
    values = dict(re.findall(r'name="(first_date|first_time)" type="\w+" value="([^"]+)"', form))
    values["policy"] = "shift"
    preview = text(desk.post(book_url.group(1) + "/preview", values))
    assert "Preview: 6 sessions" in preview and "1 clash" in preview
    assert preview.count('class="pv-moved clash"') == 1
    assert "Samuel Adeyemi&#39;s session 1" in preview

    # Confirm: six sessions land on the calendar.
    expected = re.search(r'name="expected" value="(\w+)"', preview)
    assert expected
    response = desk.post(book_url.group(1), {**values, "expected": expected.group(1)})
    assert response.status_code == 302
    assert "Booked 6 sessions for Hannah Fischer" in text(desk.get(response.location))
    plan_id = book_url.group(1).split("/")[2]
    assert len(regimen.plan(UUID(plan_id)).sessions_in(SessionStatus.BOOKED)) == 6
