"""Placing sessions on the day grid and in the week matrix: pure layout."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from service.web.calendar_model import block_of, day_grid, week_of, week_rows

ZONE = "Europe/London"
DAY = date(2026, 7, 6)  # a Monday in British Summer Time
NOW = datetime(2026, 7, 6, 11, 0, tzinfo=UTC)  # 12:00 in London


def row(start: str, end: str, **overrides: Any) -> dict[str, Any]:
    values = {
        "plan_id": "p1",
        "number": 1,
        "client_id": "c1",
        "client_name": "Cora Client",
        "therapist_id": "t1",
        "therapist_name": "Ada",
        "room_id": "r1",
        "room_name": "Room A",
        "status": "booked",
        "start_utc": start,
        "end_utc": end,
    }
    values.update(overrides)
    return values


def test_a_session_is_shown_at_its_wall_time_in_the_clinic_zone() -> None:
    block = block_of(row("2026-07-06T09:00:00Z", "2026-07-06T10:00:00Z"), ZONE)
    assert block.span == "10:00–11:00"
    assert block.description == "Mon 06 Jul 10:00–11:00: Cora Client with Ada in Room A, session 1"


def test_blocks_are_placed_by_time_within_opening_hours() -> None:
    blocks = [block_of(row("2026-07-06T09:00:00Z", "2026-07-06T10:00:00Z"), ZONE)]
    grid = day_grid(DAY, blocks, [("t1", "Ada")], "therapist", (time(8), time(20)), NOW)
    placed = grid.columns[0].blocks[0]
    assert (grid.first_hour, grid.last_hour) == (8, 20)
    assert (placed.top, placed.height) == (round(2 / 12 * 100, 3), round(1 / 12 * 100, 3))
    assert grid.now_top == round(4 / 12 * 100, 3)


def test_the_grid_grows_to_show_a_session_outside_opening_hours() -> None:
    blocks = [block_of(row("2026-07-06T18:30:00Z", "2026-07-06T20:00:00Z"), ZONE)]
    grid = day_grid(DAY, blocks, [("t1", "Ada")], "therapist", (time(8), time(20)), NOW)
    assert grid.last_hour == 21


def test_overlapping_sessions_in_one_column_sit_side_by_side() -> None:
    blocks = [
        block_of(row("2026-07-06T09:00:00Z", "2026-07-06T10:00:00Z", number=1), ZONE),
        block_of(row("2026-07-06T09:30:00Z", "2026-07-06T10:30:00Z", number=2), ZONE),
        block_of(row("2026-07-06T12:00:00Z", "2026-07-06T13:00:00Z", number=3), ZONE),
    ]
    grid = day_grid(DAY, blocks, [], "room", None, NOW)
    lanes = [(b.number, b.lane, b.lanes) for b in grid.columns[0].blocks]
    assert lanes == [(1, 0, 2), (2, 1, 2), (3, 0, 1)]


def test_cancelled_sessions_are_listed_apart_from_the_grid() -> None:
    blocks = [
        block_of(row("2026-07-06T09:00:00Z", "2026-07-06T10:00:00Z", status="cancelled"), ZONE)
    ]
    grid = day_grid(DAY, blocks, [("t1", "Ada")], "therapist", (time(8), time(20)), NOW)
    assert grid.columns[0].blocks == [] and len(grid.cancelled) == 1


def test_bookings_without_a_room_get_a_column_of_their_own() -> None:
    blocks = [block_of(row("2026-07-06T09:00:00Z", "2026-07-06T10:00:00Z", room_id=None), ZONE)]
    grid = day_grid(DAY, blocks, [("r1", "Room A")], "room", None, NOW)
    assert [c.name for c in grid.columns] == ["Room A", "No room"]


def test_the_week_matrix_has_a_row_per_therapist_and_a_cell_per_day() -> None:
    days = week_of(date(2026, 7, 8))
    blocks = [
        block_of(row("2026-07-07T09:00:00Z", "2026-07-07T10:00:00Z"), ZONE),
        block_of(row("2026-07-07T08:00:00Z", "2026-07-07T09:00:00Z", number=2), ZONE),
    ]
    rows = week_rows(days, blocks, [("t1", "Ada"), ("t2", "Ben")], "therapist")
    assert days[0] == date(2026, 7, 6) and len(days) == 7
    assert [r.name for r in rows] == ["Ada", "Ben"]
    assert [b.number for b in rows[0].cells[1]] == [2, 1]  # in time order
