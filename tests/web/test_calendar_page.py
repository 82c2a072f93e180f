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


VIEWS = {
    # British Summer Time: 10:00 in London is 09:00 UTC, shown at its local time.
    "the day view shows a session at its local time, the zone named": (
        "2026-07-06T10:00",
        "/calendar?date=2026-07-06",
        [
            "All times are Europe/London (BST)",
            "10:00–11:00",
            "Cora Client",
            '<h2 class="col-head" id="col-1">Ada Therapist</h2>',
        ],
        [],
    ),
    "the day view shows rooms as columns, the therapist on the block": (
        "2026-03-03T10:00",
        "/calendar?date=2026-03-03&by=room",
        ['<h2 class="col-head" id="col-1">Room A</h2>', "Ada Therapist"],
        [],
    ),
    "a filter shows one therapist only": (
        "2026-03-03T10:00",
        "/calendar?date=2026-03-03&therapist={other}",
        ["Ben Therapist"],
        ["Ada Therapist</h2>", "Cora Client"],
    ),
    # The clinic is closed on Sundays and nothing is booked then: no Sunday column.
    "the week view lists each day's sessions by therapist": (
        "2026-03-04T09:30",
        "/calendar?view=week&date=2026-03-05",
        [
            "Week of 02 March 2026",
            '<th scope="row">Ada Therapist</th>',
            '<span class="t">09:30</span> Cora Client',
        ],
        ["Sun 08 Mar"],
    ),
}


@pytest.mark.parametrize(("booked", "path", "shown", "not_shown"), VIEWS.values(), ids=VIEWS)
def test_the_calendar_shows_the_booked_session_as_asked(
    desk: Desk,
    regimen: Regimen,
    plan_id: UUID,
    clinic: Clinic,
    clock: FixedClock,
    booked: str,
    path: str,
    shown: list[str],
    not_shown: list[str],
) -> None:
    book(regimen, plan_id, booked, clock)
    page = text(desk.get(path.format(other=clinic.other_therapist_id)))
    assert [s for s in shown if s not in page] == []
    assert [s for s in not_shown if s in page] == []


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
