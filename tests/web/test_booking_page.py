"""Booking a series: the form, a preview marking every clash, and the confirmation."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import pytest

from service.application import Regimen
from service.application.commands import Slot
from service.domain.values import SessionStatus
from tests.builders import DESK, ZONE, Clinic, agreed_plan
from tests.fakes import FixedClock
from tests.web.conftest import Desk, text

FIRST = {"first_date": "2026-03-03", "first_time": "10:00"}


@pytest.fixture
def in_the_way(regimen: Regimen, clinic: Clinic, clock: FixedClock) -> UUID:
    """Dan's session with Ada on the third Tuesday at 10:00."""
    other = agreed_plan(regimen, clinic, client_id=clinic.other_client_id, room_id=None)
    regimen.book_session(
        other, Slot(local_start=datetime(2026, 3, 17, 10), zone=ZONE), actor=DESK, now=clock()
    )
    return other


def test_the_form_suggests_the_next_weekday_at_ten(desk: Desk, plan_id: UUID) -> None:
    page = text(desk.get(f"/plans/{plan_id}/book"))
    assert 'name="first_date" type="date" value="2026-03-03"' in page
    assert 'name="first_time" type="time" value="10:00"' in page
    assert "Times are Europe/London (GMT)" in page
    assert 'value="shift" checked' in page


def test_the_preview_marks_the_clash_and_where_shift_moves_it(
    desk: Desk, regimen: Regimen, plan_id: UUID, in_the_way: UUID
) -> None:
    before = regimen.recorder.max_notification_id()
    page = text(desk.htmx(f"/plans/{plan_id}/book/preview", {**FIRST, "policy": "shift"}))
    assert "Preview: 6 sessions" in page and "1 clash" in page
    assert '<tr class="pv-moved clash">' in page
    assert "Therapist already booked 10:00–11:00 (Dan Client&#39;s session 1)" in page
    assert "<strong>Tue 17 Mar, 09:00–10:00</strong>" in page
    assert "Confirm and book 6 sessions" in page
    assert regimen.recorder.max_notification_id() == before  # a preview writes nothing


def test_with_fail_the_preview_lists_the_clash_and_offers_no_booking(
    desk: Desk, plan_id: UUID, in_the_way: UUID
) -> None:
    response = desk.htmx(f"/plans/{plan_id}/book/preview", {**FIRST, "policy": "fail"})
    page = text(response)
    assert '<tr class="pv-conflict clash">' in page
    assert "this series cannot be booked" in page and "Confirm and book" not in page


def test_with_skip_the_clashing_week_is_dropped_and_one_added_at_the_end(
    desk: Desk, plan_id: UUID, in_the_way: UUID
) -> None:
    page = text(desk.htmx(f"/plans/{plan_id}/book/preview", {**FIRST, "policy": "skip"}))
    assert '<tr class="pv-skipped clash">' in page and '<tr class="pv-added">' in page


def test_confirming_books_the_previewed_series_and_shows_it_on_the_calendar(
    desk: Desk, regimen: Regimen, plan_id: UUID, in_the_way: UUID
) -> None:
    preview = text(desk.post(f"/plans/{plan_id}/book/preview", {**FIRST, "policy": "shift"}))
    expected = preview.split('name="expected" value="')[1].split('"')[0]
    response = desk.post(
        f"/plans/{plan_id}/book", {**FIRST, "policy": "shift", "expected": expected}
    )
    assert response.status_code == 302
    assert response.location == "/calendar?date=2026-03-03&view=day&by=therapist"
    booked = regimen.plan(plan_id).sessions_in(SessionStatus.BOOKED)
    assert len(booked) == 6
    assert booked[2].time.local_start == datetime(2026, 3, 17, 9)
    page = text(desk.get(response.location))
    assert "Booked 6 sessions for Cora Client" in page and "Tue 17 Mar 09:00" in page


def test_a_calendar_changed_since_the_preview_shows_the_new_preview_instead(
    desk: Desk, regimen: Regimen, plan_id: UUID, clinic: Clinic, clock: FixedClock
) -> None:
    preview = text(desk.post(f"/plans/{plan_id}/book/preview", {**FIRST, "policy": "shift"}))
    expected = preview.split('name="expected" value="')[1].split('"')[0]
    other = agreed_plan(regimen, clinic, client_id=clinic.other_client_id, room_id=None)
    regimen.book_session(
        other, Slot(local_start=datetime(2026, 3, 10, 10), zone=ZONE), actor=DESK, now=clock()
    )
    response = desk.post(
        f"/plans/{plan_id}/book", {**FIRST, "policy": "shift", "expected": expected}
    )
    assert response.status_code == 409
    assert "The calendar changed since your preview" in text(response)
    assert regimen.plan(plan_id).sessions == []


def test_form_problems_are_shown_beside_their_fields(desk: Desk, plan_id: UUID) -> None:
    response = desk.htmx(
        f"/plans/{plan_id}/book/preview", {"first_date": "3 March", "first_time": "", "policy": "x"}
    )
    assert response.status_code == 422
    page = text(response)
    assert "Enter a date like 2026-03-16." in page and "Fill this in." in page
    assert 'id="booking"' in page and "<html" not in page


def test_a_rule_the_plan_breaks_is_shown_above_the_form(
    desk: Desk, regimen: Regimen, plan_id: UUID
) -> None:
    regimen.cancel_plan(plan_id, reason="moved away", actor=DESK)
    response = desk.post(f"/plans/{plan_id}/book/preview", FIRST)
    assert response.status_code == 409
    assert '<div class="alert" role="alert" tabindex="-1" autofocus>' in text(response)


def test_a_time_in_the_past_is_a_clash_not_an_error(desk: Desk, plan_id: UUID) -> None:
    page = text(
        desk.post(
            f"/plans/{plan_id}/book/preview",
            {"first_date": "2026-03-02", "first_time": "07:00", "policy": "fail"},
        )
    )
    assert "In the past" in page
