"""The calendar page: day and week, by therapist or room, in the clinic's zone, live."""

from __future__ import annotations

import re
from datetime import datetime
from uuid import UUID

import pytest

from service.application import Regimen
from service.application.commands import Slot
from service.projections.queries import ReadModel
from tests.builders import DESK, ZONE, Clinic
from tests.fakes import FixedClock
from tests.web.conftest import Desk, text


def book(regimen: Regimen, plan_id: UUID, local: str, clock: FixedClock) -> None:
    regimen.book_session(
        plan_id, Slot(local_start=datetime.fromisoformat(local), zone=ZONE), actor=DESK, now=clock()
    )


def test_the_day_view_shows_a_session_at_its_local_time_with_the_zone_named(
    desk: Desk, regimen: Regimen, plan_id: UUID, clock: FixedClock
) -> None:
    book(regimen, plan_id, "2026-07-06T10:00", clock)  # British Summer Time: 09:00 UTC
    page = text(desk.get("/calendar?date=2026-07-06"))
    assert "All times are Europe/London (BST)" in page
    assert "10:00–11:00" in page and "Cora Client" in page
    assert '<h2 class="col-head" id="col-1">Ada Therapist</h2>' in page


def test_the_day_view_can_show_rooms_as_columns(
    desk: Desk, regimen: Regimen, plan_id: UUID, clock: FixedClock
) -> None:
    book(regimen, plan_id, "2026-03-03T10:00", clock)
    page = text(desk.get("/calendar?date=2026-03-03&by=room"))
    assert '<h2 class="col-head" id="col-1">Room A</h2>' in page
    assert "Ada Therapist" in page  # the other dimension, on the block


def test_a_filter_shows_one_therapist_only(
    desk: Desk, regimen: Regimen, plan_id: UUID, clinic: Clinic, clock: FixedClock
) -> None:
    book(regimen, plan_id, "2026-03-03T10:00", clock)
    page = text(desk.get(f"/calendar?date=2026-03-03&therapist={clinic.other_therapist_id}"))
    assert "Ben Therapist" in page and "Ada Therapist</h2>" not in page
    assert "Cora Client" not in page


def test_the_week_view_lists_each_days_sessions_by_therapist(
    desk: Desk, regimen: Regimen, plan_id: UUID, clock: FixedClock
) -> None:
    book(regimen, plan_id, "2026-03-04T09:30", clock)
    page = text(desk.get("/calendar?view=week&date=2026-03-05"))
    assert "Week of 02 March 2026" in page
    assert '<th scope="row">Ada Therapist</th>' in page
    assert '<span class="t">09:30</span> Cora Client' in page
    assert "Sun 08 Mar" not in page  # the clinic is closed on Sundays and nothing is booked


def test_the_grid_answers_no_content_while_nothing_changes_and_redraws_after_a_booking(
    desk: Desk, regimen: Regimen, plan_id: UUID, clock: FixedClock
) -> None:
    first = desk.htmx("/calendar/grid?date=2026-03-03")
    assert first.status_code == 200 and 'id="calendar-grid"' in text(first)
    seen = regimen.recorder.max_notification_id()
    assert f"seen={seen}" in text(first)
    assert desk.htmx(f"/calendar/grid?date=2026-03-03&seen={seen}").status_code == 204
    book(regimen, plan_id, "2026-03-03T10:00", clock)  # another desk books
    again = desk.htmx(f"/calendar/grid?date=2026-03-03&seen={seen}")
    assert again.status_code == 200 and "Cora Client" in text(again)


def test_the_polled_grid_does_not_ask_what_needs_attention(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_: object) -> None:
        raise AssertionError("the grid does not show what needs attention")

    monkeypatch.setattr(ReadModel, "needs_attention", refuse)
    response = desk.htmx("/calendar/grid?date=2026-03-03")
    assert response.status_code == 200 and 'id="calendar-grid"' in text(response)


def test_the_grid_polls_every_few_seconds(desk: Desk) -> None:
    page = text(desk.get("/calendar?date=2026-03-03"))
    assert 'hx-trigger="every 5s"' in page and 'hx-swap="outerHTML"' in page


def test_cancelled_sessions_are_listed_below_the_day(
    desk: Desk, regimen: Regimen, plan_id: UUID, clock: FixedClock
) -> None:
    book(regimen, plan_id, "2026-03-04T10:00", clock)
    regimen.cancel_sessions(plan_id, 1, reason="flu", actor=DESK, now=clock())
    page = text(desk.get("/calendar?date=2026-03-04"))
    assert "Cancelled on this day" in page and "<s>10:00–11:00</s> Cora Client" in page


def test_a_wrong_date_shows_today(desk: Desk) -> None:
    assert "Monday 02 March 2026" in text(desk.get("/calendar?date=yesterday"))


def test_every_region_that_scrolls_sideways_can_be_reached_and_named_by_keyboard(
    desk: Desk, regimen: Regimen, plan_id: UUID, clock: FixedClock
) -> None:
    book(regimen, plan_id, "2026-03-03T10:00", clock)
    pages = [
        text(desk.get("/calendar?date=2026-03-03")),
        text(desk.get("/calendar?date=2026-03-03&view=week")),
    ]
    wrappers = [tag for page in pages for tag in re.findall(r'<div class="scroll"[^>]*>', page)]
    assert len(wrappers) == 2  # the day grid and the week table
    for tag in wrappers:
        assert 'tabindex="0"' in tag and 'role="region"' in tag and "aria-label" in tag, tag
