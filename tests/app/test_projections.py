"""Read models: equal to the events, exactly once, resumable, rebuildable, on every backend."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest

from service.application import Regimen
from service.application.commands import Slot
from service.cli.demo import seed_demo
from service.domain.values import (
    Actor,
    Role,
    SessionStatus,
)
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from tests.api.helpers import book, perform_and_evaluate
from tests.builders import DESK, THERAPIST, ZONE, agreed_plan, all_plans, small_clinic
from tests.plans import LATER, performance
from tests.reminder_scenario import book_series_of_four

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
CLI = Actor(user_id="cli", role=Role.ADMIN)
TABLES = {
    "rv_sessions": "plan_id, number",
    "rv_plans": "plan_id",
    "rv_directory": "kind, id",
    "rv_audit": "position",
    "rv_reminder_clients": "client_id",
    "rv_reminder_plans": "plan_id",
    "rv_reminder_sessions": "plan_id, number",
}


def dump(projector: Projector) -> dict[str, list[dict[str, Any]]]:
    """Every row of every view table, in a stable order."""
    return {
        table: projector.recorder.query(f"SELECT * FROM {table} ORDER BY {order}")
        for table, order in TABLES.items()
    }


def test_the_views_agree_with_the_aggregates(regimen: Regimen) -> None:
    seed_demo(regimen, CLI, now=NOW)
    projector = Projector(regimen)
    projector.catch_up()
    plans = all_plans(regimen)
    rows = dump(projector)
    assert {r["plan_id"] for r in rows["rv_plans"]} == {str(p.id) for p in plans}
    expected = {
        (str(p.id), s.number, s.status.value, s.time.start.strftime("%Y-%m-%dT%H:%M:%SZ"))
        for p in plans
        for s in p.sessions
    }
    # The demo therapist's day holds two visits outside a plan, as the views say; the
    # visits themselves say where they stand.
    visit_ids = [r["plan_id"] for r in rows["rv_sessions"] if r["kind"] != "session"]
    visits = [regimen.visit(UUID(visit_id)) for visit_id in visit_ids]
    assert len(visits) == 2
    expected |= {
        (str(v.id), 0, v.status.value, v.session.time.start.strftime("%Y-%m-%dT%H:%M:%SZ"))
        for v in visits
    }
    assert {
        (r["plan_id"], r["number"], r["status"], r["start_utc"]) for r in rows["rv_sessions"]
    } == expected
    assert len(rows["rv_audit"]) == regimen.recorder.max_notification_id()


def test_a_rebuild_equals_the_views_kept_up_to_date_event_by_event(regimen: Regimen) -> None:
    clinic = small_clinic(regimen)
    projector = Projector(regimen, batch=7)
    for _ in range(3):
        plan_id = agreed_plan(regimen, clinic)
        projector.catch_up()
        regimen.book_session(
            plan_id,
            Slot(local_start=datetime(2026, 3, 9, 9 + _, 0), zone="Europe/London", room_id=None),
            actor=DESK,
            now=NOW,
        )
        projector.catch_up()
    incremental = dump(projector)
    projector.rebuild()
    assert dump(projector) == incremental


def test_a_rebuild_in_big_batches_equals_the_views_kept_up_to_date_one_event_at_a_time(
    regimen: Regimen,
) -> None:
    series = book_series_of_four(regimen)
    plan_id = series.plan_id
    # Each session's events follow one another in the log: in a rebuild they are written
    # together, as one row write per session (see rows.py); one at a time, they are not.
    perform_and_evaluate(regimen, plan_id, 1)
    regimen.cancel_sessions(plan_id, 2, reason="away", actor=DESK, now=NOW)
    regimen.reschedule_session(
        plan_id, 3, Slot(local_start=datetime(2026, 3, 24, 14, 0), zone=ZONE), actor=DESK, now=NOW
    )
    regimen.perform_session(
        plan_id,
        3,
        performance=performance(techniques=("effleurage",), pain_before=5),
        actor=THERAPIST,
        now=LATER,
    )
    projector = Projector(regimen, batch=1)
    projector.catch_up()
    one_at_a_time = dump(projector)
    assert [r["status"] for r in one_at_a_time["rv_sessions"]] == [
        "performed",
        "cancelled",
        "performed",
        "booked",
    ]
    assert one_at_a_time["rv_sessions"][0]["pain_after"] == 3
    projector.rebuild()
    assert dump(projector) == one_at_a_time


def test_projectors_racing_over_the_same_log_write_every_row_once(regimen: Regimen) -> None:
    seed_demo(regimen, CLI, now=NOW)
    projectors = [Projector(regimen, batch=20) for _ in range(4)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda p: p.catch_up(), projectors))
    raced = dump(projectors[0])
    assert len(raced["rv_audit"]) == regimen.recorder.max_notification_id()
    projectors[0].rebuild()
    assert dump(projectors[0]) == raced


def test_rebuilding_one_view_leaves_the_others_alone(regimen: Regimen) -> None:
    seed_demo(regimen, CLI, now=NOW)
    projector = Projector(regimen)
    projector.catch_up()
    before = dump(projector)
    assert projector.rebuild(["directory"]) == regimen.recorder.max_notification_id()
    assert dump(projector) == before
    assert set(projector.positions().values()) == {regimen.recorder.max_notification_id()}


class DaySheets:
    """An agreed plan of a small clinic, and its therapist's day sheets read fresh."""

    def __init__(self, regimen: Regimen) -> None:
        clinic = small_clinic(regimen)
        self.therapist_id = str(clinic.therapist_id)
        self.plan_id = agreed_plan(regimen, clinic)
        self.reads = ReadModel(Projector(regimen))

    def of(self, day: date) -> list[dict[str, Any]]:
        """The therapist's sessions of one London day, caught up first."""
        return self.reads.fresh().day_sheet(self.therapist_id, day, "Europe/London")


@pytest.fixture
def sheets(regimen: Regimen) -> DaySheets:
    """An agreed plan and its therapist's day sheets."""
    return DaySheets(regimen)


def test_queries_read_their_own_writes(regimen: Regimen, sheets: DaySheets) -> None:
    book(regimen, sheets.plan_id, "2026-03-09T10:00", NOW)
    sheet = sheets.of(date(2026, 3, 9))
    assert [(s["plan_id"], s["local_start"], s["client_name"]) for s in sheet] == [
        (str(sheets.plan_id), "2026-03-09T10:00", "Cora Client")
    ]
    regimen.cancel_sessions(sheets.plan_id, 1, reason="ill", actor=DESK, now=NOW)
    assert [s["status"] for s in sheets.of(date(2026, 3, 9))] == [SessionStatus.CANCELLED.value]


def test_a_day_sheet_covers_the_whole_local_day_across_the_dst_change(
    regimen: Regimen, sheets: DaySheets
) -> None:
    # 29 March 2026 is 23 hours long in London; Monday 30 March starts at 23:00Z the day before.
    book(regimen, sheets.plan_id, "2026-03-30T08:00", NOW)
    assert [s["start_utc"] for s in sheets.of(date(2026, 3, 30))] == ["2026-03-30T07:00:00Z"]
    assert sheets.of(date(2026, 3, 29)) == []


def test_pages_cover_every_row_once_in_order(regimen: Regimen) -> None:
    seed_demo(regimen, CLI, now=NOW)
    reads = ReadModel(Projector(regimen)).fresh()
    everything = reads.sessions_between("0000", "9999", limit=500).items
    seen, cursor = [], None
    while True:
        page = reads.sessions_between("0000", "9999", limit=7, cursor=cursor)
        seen += page.items
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == everything
    assert len({(r["plan_id"], r["number"]) for r in seen}) == len(seen)
