"""My day: a therapist's sessions and visits in order, what each needs next, sessions left
unrecorded and plans running out; and a therapist's sign-in landing there."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient

from service.application import Regimen
from service.application.commands import Slot
from service.domain.values import Role
from service.scheduler.recurrence import session_time
from tests.builders import ADMIN, DESK, THERAPIST, ZONE, Clinic, agreed_plan
from tests.fakes import FixedClock
from tests.plans import performance
from tests.web.caseload import SECRET_NOTE, Monday, adas_monday, evaluate_plan_a
from tests.web.conftest import Desk, signed_in, text


@pytest.fixture
def monday(regimen: Regimen, clinic: Clinic, clock: FixedClock) -> Monday:
    """Ada's Monday, looked at at 12:30 (see caseload.py)."""
    return adas_monday(regimen, clinic, clock)


def day_list(page: str) -> list[str]:
    """The day list's rows as plain text, in order."""
    found = re.search(r'<ol class="my-day">(.*?)</ol>', page, re.S)
    assert found, "the day has no list"
    rows = re.findall(r"<li[^>]*>(.*?)</li>", found.group(1), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def section(page: str, heading_id: str) -> str:
    """The HTML of the section with this heading."""
    found = re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', page, re.S)
    assert found, heading_id
    return found.group(1)


def test_a_therapist_signs_in_to_their_day_titled_and_navigated_for_a_therapist(
    client: FlaskClient, tokens: dict[str, str], clinic: Clinic
) -> None:
    browser = signed_in(client, tokens["therapist"], landing="/today")
    assert browser.get("/").location == "/today"
    page = text(browser.get("/today"))
    assert "<title>My day · Regimen</title>" in page
    assert "<span>therapist</span>" in page
    nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', page, re.S)
    assert nav and re.findall(r">([A-Za-z ]+)</a>", nav.group(1)) == [
        "My day",
        "Calendar",
        "Clients",
    ]
    assert 'href="/today" aria-current="page">My day' in nav.group(1)


def test_the_desk_keeps_its_title_and_navigation(desk: Desk) -> None:
    page = text(desk.get("/clients"))
    assert "<span>front desk</span>" in page and "My day" not in page


def test_the_days_sessions_and_visits_come_in_time_order_with_what_each_needs(
    monday: Monday, therapist: Desk
) -> None:
    rows = day_list(text(therapist.get("/today")))
    assert len(rows) == 4  # Ben's 11:00 session with Dan is not Ada's
    assert rows[0].startswith("09:00–10:00 Room A Cora Client Session 2 of 6")
    assert "Clinical: lower back, right hip" in rows[0] and "Done Evaluate" in rows[0]
    assert rows[1].startswith("10:00–11:00 Room A Dan Client Session 1 of 6")
    assert "Not recorded Record" in rows[1]
    assert rows[2].startswith("12:00–13:00 Room A Cora Client Assessment visit")
    assert "stiff neck after a fall" in rows[2] and "Not assessed Assess" in rows[2]
    assert rows[3].startswith("15:00–16:00 Room A Dan Client Single session visit")
    assert rows[3].endswith("Upcoming")


def test_each_row_links_its_next_step_its_chart_and_its_plans_progress(
    monday: Monday, therapist: Desk, clinic: Clinic
) -> None:
    page = section(text(therapist.get("/today")), "day-h")
    assert f'href="/sessions/{monday.plan_a}/2/record">Evaluate' in page
    assert f'href="/sessions/{monday.plan_b}/1/record">Record' in page
    assert f'href="/visits/{monday.assessment_visit}/assess">Assess' in page
    assert f'href="/plans/{monday.plan_a}/progress">Progress' in page
    assert page.count(f'href="/charts/{clinic.client_id}"') == 2
    assert page.count(f'href="/charts/{clinic.other_client_id}"') == 2
    assert f"/sessions/{monday.single_visit}/0/record" not in page  # upcoming: nothing yet


def test_an_evaluated_session_needs_nothing_more(
    monday: Monday, therapist: Desk, regimen: Regimen
) -> None:
    evaluate_plan_a(regimen, monday)
    rows = day_list(text(therapist.get("/today")))
    assert rows[0].endswith("Done Progress of Cora Client's plan")
    assert "Evaluate" not in rows[0]


def test_a_session_that_ended_with_nothing_recorded_is_listed_with_a_link_to_record_it(
    monday: Monday, therapist: Desk
) -> None:
    unrecorded = section(text(therapist.get("/today")), "unrecorded-h")
    assert "Mon 23 Feb" in unrecorded and "09:00–10:00" in unrecorded
    assert f'href="/sessions/{monday.plan_a}/1/record">Record' in unrecorded
    assert unrecorded.count('class="md-item') == 1  # today's are in the day list, not here


def test_plans_whose_authorization_or_series_is_running_out_are_listed_with_why(
    monday: Monday, therapist: Desk
) -> None:
    running = section(text(therapist.get("/today")), "running-h")
    assert running.count('class="md-item"') == 2  # not Ben's plan, although it runs out too
    assert "1 authorized visit left of 2." in running
    assert "1 of 6 sessions done, 1 booked." in running
    assert f'href="/plans/{monday.plan_b}/progress"' in running
    assert f"/plans/{monday.ben_plan}/" not in running


def test_another_day_is_one_click_away_and_today_comes_back(
    monday: Monday, therapist: Desk
) -> None:
    page = text(therapist.get("/today?date=2026-03-03"))
    assert "Tuesday 03 March 2026" in page and "Nothing booked with you on this day." in page
    assert 'href="/today?date=2026-03-02"' in page and 'href="/today?date=2026-03-04"' in page
    assert 'href="/today">Today</a>' in page
    assert len(day_list(text(therapist.get("/today?date=2026-03-02")))) == 4


def test_a_date_that_cannot_be_read_is_explained_and_today_is_shown(
    monday: Monday, therapist: Desk
) -> None:
    response = therapist.get("/today?date=next-tuesday")
    assert response.status_code == 422
    page = text(response)
    assert "is not a date (YYYY-MM-DD): today is shown instead." in page
    assert "Today, Monday 02 March 2026" in page


@pytest.mark.parametrize("far", ["9999-12-31", "0001-01-01"])
def test_a_date_too_far_away_is_explained_and_today_is_shown(
    monday: Monday, therapist: Desk, far: str
) -> None:
    response = therapist.get(f"/today?date={far}")
    assert response.status_code == 422
    assert "is too far away to show: today is shown instead." in text(response)


def test_the_front_desk_cannot_open_my_day(monday: Monday, desk: Desk) -> None:
    response = desk.get("/today")
    assert response.status_code == 403
    assert SECRET_NOTE not in text(response)


def test_a_therapist_user_linked_to_no_therapist_record_is_told_how_to_link_it(
    client: FlaskClient, regimen: Regimen, clinic: Clinic
) -> None:
    _, token = regimen.add_user("unlinked", Role.THERAPIST, ADMIN)
    browser = Desk(client)
    browser.sign_in(token)
    response = browser.get("/today")
    assert response.status_code == 403 and "regimen users link" in text(response)


def test_a_plan_whose_sessions_drift_apart_is_listed_and_one_kept_weekly_is_not(
    therapist: Desk, regimen: Regimen, clinic: Clinic, clock: FixedClock
) -> None:
    drifting = agreed_plan(regimen, clinic)
    kept = agreed_plan(regimen, clinic, client_id=clinic.other_client_id)
    for plan_id, days in ((drifting, (0, 7, 21)), (kept, (1, 8, 15))):
        for number, day in enumerate(days, start=1):
            local = datetime(2026, 3, 3, 10) + timedelta(days=day)
            regimen.book_session(plan_id, Slot(local, ZONE), actor=DESK, now=clock())
            moment = session_time(local, ZONE, 60).end
            regimen.perform_session(
                plan_id, number, performance=performance(), actor=THERAPIST, now=moment
            )
    clock.now = datetime(2026, 3, 25, 9, tzinfo=UTC)
    therapist.sign_in_again()
    listed = section(text(therapist.get("/today")), "drifting-h")
    assert "Cora Client" in listed and "Dan Client" not in listed
    why = "Planned every 7 days; kept 7 and 14 days apart; 1 day since the last session."
    assert why in listed
