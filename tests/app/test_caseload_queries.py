"""The therapist's caseload read from the views: their day with each plan's series, sessions
left unrecorded, plans running out; on every backend."""

from __future__ import annotations

from datetime import date

from service.application import Regimen
from service.application.commands import Slot
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from tests.builders import DESK, small_clinic
from tests.fakes import FixedClock
from tests.plans import utc
from tests.web.caseload import Monday, adas_monday, evaluate_plan_a

ZONE = "Europe/London"


def ada_monday(regimen: Regimen) -> tuple[ReadModel, Monday, str]:
    """Ada's Monday (see tests/web/caseload.py), the views, and Ada's id."""
    clinic = small_clinic(regimen)
    monday = adas_monday(regimen, clinic, FixedClock())
    return ReadModel(Projector(regimen)).fresh(), monday, str(clinic.therapist_id)


def test_a_therapists_day_lists_only_theirs_in_order_with_each_plans_series(
    regimen: Regimen,
) -> None:
    reads, monday, ada = ada_monday(regimen)
    rows = reads.therapist_day(ada, date(2026, 3, 2), ZONE)
    assert [(r["start_utc"][11:16], r["kind"]) for r in rows] == [
        ("09:00", "session"),
        ("10:00", "session"),
        ("12:00", "assessment"),
        ("15:00", "single"),
    ]
    first = rows[0]
    assert first["plan_id"] == str(monday.plan_a) and first["number"] == 2
    assert first["sessions_planned"] == 6 and first["focus_areas"] == "lower back, right hip"
    assert first["status"] == "performed" and not first["evaluated"]
    assert first["client_name"] == "Cora Client" and first["room_name"] == "Room A"
    assert rows[2]["sessions_planned"] is None  # a visit has no series


def test_an_evaluation_shows_in_the_day(regimen: Regimen) -> None:
    reads, monday, ada = ada_monday(regimen)
    evaluate_plan_a(regimen, monday)
    [first, *_] = reads.fresh().therapist_day(ada, date(2026, 3, 2), ZONE)
    assert first["evaluated"]


def test_sessions_that_ended_unrecorded_are_those_still_booked_in_the_span(
    regimen: Regimen,
) -> None:
    reads, monday, ada = ada_monday(regimen)
    ended = reads.ended_unrecorded(ada, utc(2026, 2, 1), utc(2026, 3, 2, 12, 0))
    assert [(r["plan_id"], r["number"]) for r in ended] == [
        (str(monday.plan_a), 1),  # 23 Feb, never recorded
        (str(monday.plan_b), 1),  # today 10:00-11:00; session 2 of plan A was performed
    ]
    assert reads.ended_unrecorded(ada, utc(2026, 2, 24), utc(2026, 3, 2, 10, 59)) == []


def test_plans_running_out_by_authorization_or_series_are_the_therapists_own(
    regimen: Regimen,
) -> None:
    reads, monday, ada = ada_monday(regimen)
    found = reads.plans_running_out(ada, date(2026, 3, 16), 1, 4)
    by_plan = {r["plan_id"]: r for r in found}
    assert set(by_plan) == {str(monday.plan_a), str(monday.plan_b)}
    assert by_plan[str(monday.plan_b)]["auth_used"] == 1  # 1 of 2 visits left
    assert by_plan[str(monday.plan_a)]["sessions_done"] == 1
    # Two more of plan A's sessions booked: its series no longer runs out.
    for day in (9, 16):
        regimen.book_session(
            monday.plan_a,
            Slot(local_start=utc(2026, 3, day, 9).replace(tzinfo=None), zone=ZONE),
            actor=DESK,
            now=utc(2026, 3, 2, 12),
        )
    found = reads.fresh().plans_running_out(ada, date(2026, 3, 16), 1, 4)
    assert [r["plan_id"] for r in found] == [str(monday.plan_b)]
