"""One session: move it or the rest, cancel it or the rest, record a no-show."""

from __future__ import annotations

import re
from datetime import datetime
from uuid import UUID

import pytest

from service.application import Regimen
from service.application.commands import Slot
from service.domain.values import SessionStatus
from tests.builders import DESK, ZONE, Clinic, agreed_plan
from tests.fakes import FixedClock
from tests.web.conftest import Desk, text
from tests.web.visits import book_tuesdays


@pytest.fixture
def series(regimen: Regimen, plan_id: UUID, clock: FixedClock) -> UUID:
    """Cora's six Tuesdays at 10:00 from 3 March, booked."""
    book_tuesdays(regimen, plan_id, clock)
    return plan_id


def local_starts(regimen: Regimen, plan_id: UUID) -> list[str]:
    booked = regimen.plan(plan_id).sessions_in(SessionStatus.BOOKED)
    return [f"{s.time.local_start:%a %d %H:%M}" for s in booked]


def test_the_session_page_shows_when_and_with_whom(desk: Desk, series: UUID) -> None:
    page = text(desk.get(f"/sessions/{series}/2"))
    assert "Cora Client: session 2 of 6" in page
    assert "Tuesday 10 March 2026, 10:00–11:00" in page and "Ada Therapist" in page
    assert "This and the 4 later booked sessions" in page


def test_the_page_counts_the_rest_as_the_commands_do_a_session_at_the_same_time_included(
    desk: Desk, regimen: Regimen, plan_id: UUID, clinic: Clinic, clock: FixedClock
) -> None:
    for therapist, room in (
        (clinic.therapist_id, clinic.room_id),
        (clinic.other_therapist_id, clinic.other_room_id),
    ):
        slot = Slot(datetime(2026, 3, 3, 10), ZONE, therapist_id=therapist, room_id=room)
        regimen.book_session(plan_id, slot, actor=DESK, now=clock())

    assert "This and the 1 later booked session," in text(desk.get(f"/sessions/{plan_id}/1"))
    desk.post(
        f"/sessions/{plan_id}/1/cancel", {"reason": "ill", "scope": "rest", "confirmed": "yes"}
    )
    assert local_starts(regimen, plan_id) == []


def test_moving_one_session_keeps_the_others(desk: Desk, regimen: Regimen, series: UUID) -> None:
    response = desk.post(
        f"/sessions/{series}/2/move", {"date": "2026-03-12", "time": "14:00", "scope": "this"}
    )
    assert response.status_code == 302 and "date=2026-03-12" in response.location
    assert local_starts(regimen, series)[:3] == ["Tue 03 10:00", "Thu 12 14:00", "Tue 17 10:00"]


def test_moving_the_rest_moves_every_later_session_by_the_same_step(
    desk: Desk, regimen: Regimen, series: UUID
) -> None:
    response = desk.post(
        f"/sessions/{series}/3/move", {"date": "2026-03-19", "time": "11:00", "scope": "rest"}
    )
    assert response.status_code == 302
    assert local_starts(regimen, series) == [
        "Tue 03 10:00",
        "Tue 10 10:00",
        "Thu 19 11:00",
        "Thu 26 11:00",
        "Thu 02 11:00",
        "Thu 09 11:00",
    ]  # the clocks change on 29 March: still 11:00 on the wall
    assert "4 sessions moved" in text(desk.get(response.location))


def test_a_move_that_clashes_moves_nothing_and_says_why(
    desk: Desk, regimen: Regimen, series: UUID, clinic: Clinic, clock: FixedClock
) -> None:
    other = agreed_plan(regimen, clinic, client_id=clinic.other_client_id, room_id=None)
    regimen.book_session(
        other, Slot(local_start=datetime(2026, 4, 2, 11), zone=ZONE), actor=DESK, now=clock()
    )
    response = desk.post(
        f"/sessions/{series}/3/move", {"date": "2026-03-19", "time": "11:00", "scope": "rest"}
    )
    assert response.status_code == 409
    assert "Nothing was moved: session 5 on Thu 02 Apr 11:00" in text(response)
    assert "Dan Client&#39;s session 1" in text(response) and str(other) not in text(response)
    assert local_starts(regimen, series)[2] == "Tue 17 10:00"


def test_cancelling_the_rest_frees_every_later_session(
    desk: Desk, regimen: Regimen, series: UUID
) -> None:
    response = desk.post(
        f"/sessions/{series}/4/cancel",
        {"reason": "moving away", "scope": "rest", "confirmed": "yes"},
    )
    assert response.status_code == 302
    assert local_starts(regimen, series) == ["Tue 03 10:00", "Tue 10 10:00", "Tue 17 10:00"]
    assert "The rest of the series is cancelled." in text(desk.get(response.location))


def test_cancelling_the_rest_asks_first_and_says_how_many_sessions_go(
    desk: Desk, regimen: Regimen, series: UUID
) -> None:
    response = desk.post(f"/sessions/{series}/4/cancel", {"reason": "moving away", "scope": "rest"})
    page = text(response)
    assert response.status_code == 200
    assert "This cancels 3 sessions" in page and "Yes, cancel 3 sessions" in page
    assert '<input type="hidden" name="confirmed" value="yes">' in page
    assert len(local_starts(regimen, series)) == 6  # nothing is cancelled before the answer


def test_a_cancellation_needs_a_reason(desk: Desk, regimen: Regimen, series: UUID) -> None:
    response = desk.post(f"/sessions/{series}/1/cancel", {"reason": "", "scope": "this"})
    assert response.status_code == 422 and "Fill this in." in text(response)
    assert len(local_starts(regimen, series)) == 6


def test_a_cancellation_inside_the_window_is_called_late(
    desk: Desk, series: UUID, clock: FixedClock
) -> None:
    clock.advance(hours=3)  # 23 hours before the first session; the window is 24
    desk.sign_in_again()  # three idle hours ended the session
    response = desk.post(f"/sessions/{series}/1/cancel", {"reason": "ill", "scope": "this"})
    assert "It was a late cancellation." in text(desk.get(response.location))


def test_a_no_show_can_be_recorded_only_once_the_session_started(
    desk: Desk, regimen: Regimen, series: UUID, clock: FixedClock
) -> None:
    assert "can be recorded once the session has started" in text(desk.get(f"/sessions/{series}/1"))
    refused = desk.post(f"/sessions/{series}/1/no-show")
    assert refused.status_code == 409 and "has not started yet" in text(refused)
    clock.advance(days=1, hours=3)  # Tuesday 11:00
    desk.sign_in_again()
    assert desk.post(f"/sessions/{series}/1/no-show").status_code == 302
    assert regimen.plan(series).session(1).status is SessionStatus.MISSED
    assert "No-show" in text(desk.get("/calendar?date=2026-03-03"))


def test_a_cancelled_session_offers_nothing_more(
    desk: Desk, regimen: Regimen, series: UUID
) -> None:
    regimen.cancel_sessions(series, 6, reason="ill", actor=DESK, now=datetime.now().astimezone())
    page = text(desk.get(f"/sessions/{series}/6"))
    assert "This session is cancelled" in page and "Move</button>" not in page


def test_a_clashing_move_offers_free_times_and_a_click_moves_the_session_there(
    desk: Desk, regimen: Regimen, clinic: Clinic, series: UUID, clock: FixedClock
) -> None:
    other = agreed_plan(regimen, clinic, client_id=clinic.other_client_id)
    regimen.book_session(other, Slot(datetime(2026, 3, 12, 14), ZONE), actor=DESK, now=clock())
    asked = {"date": "2026-03-12", "time": "14:00", "scope": "this"}
    clash = desk.post(f"/sessions/{series}/2/move", asked)
    assert clash.status_code == 409
    offered = re.findall(r'name="at" value="([^"]+)"', text(clash))
    assert offered == ["2026-03-12T12:45", "2026-03-12T13:00", "2026-03-12T15:00"]
    moved = desk.post(f"/sessions/{series}/2/move", {**asked, "at": offered[1]})
    assert moved.status_code == 302
    assert local_starts(regimen, series)[1] == datetime.fromisoformat(offered[1]).strftime(
        "%a %d %H:%M"
    )
