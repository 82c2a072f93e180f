"""Visits on the desk's pages: the calendar, the client's lists, and a free hour to book one."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from uuid import UUID

import pytest

from service.application import Regimen
from service.application.commands import Slot
from service.domain.values import Closure, DayHours, TimeOff, WeeklyHours
from service.domain.visit import VisitKind
from tests.builders import ADMIN, DESK, ZONE, Clinic, visit_booking
from tests.fakes import FixedClock
from tests.web.conftest import Desk, text
from tests.web.visits import book_visit


@pytest.mark.parametrize(
    ("kind", "start", "url", "shown"),
    [
        (
            VisitKind.SINGLE,
            "2026-03-03T10:00",
            "/calendar?date=2026-03-03",
            (
                '<span class="kind">Single session</span>',
                "Cora Client with Ada Therapist in Room A, single session",
            ),
        ),
        (
            VisitKind.FOLLOW_UP,
            "2026-03-04T09:00",
            "/calendar?view=week&date=2026-03-04",
            ('<span class="t">09:00</span> Cora Client <span class="kind">Follow-up</span>',),
        ),
    ],
    ids=["day", "week"],
)
def test_the_day_and_week_views_label_a_visit_by_kind_and_link_to_its_page(
    desk: Desk,
    regimen: Regimen,
    clinic: Clinic,
    clock: FixedClock,
    kind: VisitKind,
    start: str,
    url: str,
    shown: tuple[str, ...],
) -> None:
    visit_id = book_visit(regimen, clock, visit_booking(clinic, start, kind))
    page = text(desk.get(url))
    assert f'href="/visits/{visit_id}"' in page
    assert f"/sessions/{visit_id}" not in page and f"/plans/{visit_id}" not in page
    assert all(label in page for label in shown), shown


def test_a_cancelled_visit_is_listed_apart_with_a_link_to_its_page(
    desk: Desk, regimen: Regimen, clinic: Clinic, clock: FixedClock
) -> None:
    visit_id = book_visit(regimen, clock, visit_booking(clinic, "2026-03-05T11:00"))
    regimen.cancel_visit(visit_id, reason="ill", actor=DESK, now=clock())
    page = text(desk.get("/calendar?date=2026-03-05"))
    cancelled = page.split("Cancelled on this day")[1]
    assert f'href="/visits/{visit_id}"' in cancelled and "(assessment)" in cancelled


def test_the_client_page_lists_a_visit_with_its_kind_and_link(
    desk: Desk, regimen: Regimen, clinic: Clinic, clock: FixedClock
) -> None:
    visit_id = book_visit(regimen, clock, visit_booking(clinic, "2026-03-03T10:00"))
    page = text(desk.get(f"/clients/{clinic.client_id}"))
    upcoming = page.split('id="upcoming-h"')[1].split('id="reminders-h"')[0]
    assert f'href="/visits/{visit_id}"' in upcoming and "assessment" in upcoming
    assert "/sessions/" not in upcoming


def test_each_free_hour_of_a_therapist_is_a_link_to_book_a_visit_there(
    desk: Desk, regimen: Regimen, plan_id: UUID, clinic: Clinic, clock: FixedClock
) -> None:
    regimen.book_session(
        plan_id, Slot(local_start=datetime(2026, 3, 3, 10), zone=ZONE), actor=DESK, now=clock()
    )
    page = text(desk.get("/calendar?date=2026-03-03"))
    free = re.search(r'<a href="([^"]+)" aria-label="Book 09:00 with Ada Therapist"', page)
    assert free is not None
    link = free.group(1).replace("&amp;", "&")
    assert f"therapist_id={clinic.therapist_id}" in link
    assert "date=2026-03-03" in link and "time=09:00" in link
    assert 'aria-label="Book 10:00 with Ada Therapist"' not in page  # Cora's session
    assert 'aria-label="Book 10:00 with Ben Therapist"' in page
    assert 'aria-label="Book 19:00 with Ada Therapist"' in page  # the last hour before 20:00
    assert 'aria-label="Book 20:00 with Ada Therapist"' not in page


def test_a_therapists_time_off_and_hours_outside_their_working_week_are_not_offered(
    desk: Desk, regimen: Regimen, clinic: Clinic
) -> None:
    away = TimeOff(datetime(2026, 3, 3, 12, tzinfo=UTC), datetime(2026, 3, 3, 14, tzinfo=UTC), "GP")
    regimen.take_time_off(clinic.therapist_id, away, ADMIN)
    short_days = WeeklyHours(tuple(DayHours(d, time(9), time(17)) for d in range(5)))
    regimen.set_working_hours(clinic.other_therapist_id, short_days, ADMIN)
    page = text(desk.get("/calendar?date=2026-03-03"))
    assert 'aria-label="Book 11:00 with Ada Therapist"' in page
    assert 'aria-label="Book 12:00 with Ada Therapist"' not in page
    assert 'aria-label="Book 13:00 with Ada Therapist"' not in page
    assert 'aria-label="Book 08:00 with Ben Therapist"' not in page
    assert 'aria-label="Book 16:00 with Ben Therapist"' in page
    assert 'aria-label="Book 17:00 with Ben Therapist"' not in page


def test_hours_already_begun_are_not_offered(desk: Desk, clinic: Clinic, clock: FixedClock) -> None:
    clock.advance(hours=3, minutes=30)  # 11:30 in London
    desk.sign_in_again()  # the desk was away longer than a session lasts idle
    page = text(desk.get("/calendar?date=2026-03-02"))
    assert 'aria-label="Book 11:00 with Ada Therapist"' not in page
    assert 'aria-label="Book 12:00 with Ada Therapist"' in page


def test_a_closure_is_shaded_and_offers_no_free_hours(
    desk: Desk, regimen: Regimen, clinic: Clinic
) -> None:
    regimen.add_closure(Closure(date(2026, 3, 4), date(2026, 3, 4), "Staff training"), actor=ADMIN)
    day = text(desk.get("/calendar?date=2026-03-04"))
    assert "The clinic is closed on this day: Staff training." in day
    assert 'class="day closed-day"' in day and 'aria-label="Book ' not in day
    week = text(desk.get("/calendar?view=week&date=2026-03-04"))
    assert week.count("closed-day") == 3  # the day's heading and its two therapists' cells
    assert "Closed: Staff training" in week
    assert "Book 10:00 with Ada Therapist" in text(desk.get("/calendar?date=2026-03-05"))
