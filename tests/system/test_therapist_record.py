"""A therapist records and evaluates a session in the browser, previews a 14-day interval,
confirms it, and amends the note; every state of the page is axe-clean and photographed at
desktop, tablet and phone size under test-artifacts/browser/therapist/."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from service.application.commands import SeriesBooking, Slot
from service.bootstrap import build_regimen
from service.config import Settings
from service.domain.values import Role
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from service.scheduler.booking_policy import ConflictPolicy
from tests.builders import DESK, ZONE
from tests.system import browsing
from tests.system.browsing import ARTIFACTS
from tests.system.conftest import DemoWindows

pytestmark = pytest.mark.system

FOLDER = ARTIFACTS / "therapist"
REPORT = "slept through the night for the first time in weeks"


def started_session(database_url: str) -> tuple[UUID, str]:
    """A demo plan ready to book gets its first session yesterday (over, nothing recorded)
    and the rest from next week; returns the plan and a token of its therapist."""
    regimen = build_regimen(Settings(database_url=database_url))
    try:
        reads = ReadModel(Projector(regimen)).fresh()
        row = next(p for p in reads.plans(status="agreed").items if p["sessions_booked"] == 0)
        plan_id = UUID(row["plan_id"])
        plan = regimen.plan(plan_id)
        now = datetime.now(UTC)
        earlier = now - timedelta(days=10)
        free = regimen.free_time(
            plan.therapist_id,
            first_day=(now - timedelta(days=9)).date(),
            last_day=(now - timedelta(days=1)).date(),
            minutes=plan.series.session_minutes,
            now=earlier,
        )
        past = [t for t in free if t.end < now - timedelta(hours=1)][-1]
        regimen.book_session(plan_id, Slot(past.local_start, ZONE), actor=DESK, now=earlier)
        first = (now + timedelta(days=7)).date()
        while first.weekday() >= 5:
            first += timedelta(days=1)
        regimen.book_series(
            plan_id,
            SeriesBooking(
                Slot(datetime.combine(first, past.local_start.time()), ZONE), ConflictPolicy.SHIFT
            ),
            actor=DESK,
            now=now,
        )
        _, token = regimen.add_user(
            "Ada Browser", Role.THERAPIST, DESK, therapist_id=plan.therapist_id
        )
    finally:
        regimen.close()
    return plan_id, token


def test_a_therapist_records_evaluates_re_paces_and_amends(demo_windows: DemoWindows) -> None:
    plan_id, token = started_session(demo_windows.database_url)
    check = browsing.EverySize(FOLDER)
    page = demo_windows.signed_in(token)
    page.wait_for_selector("form.who")

    page.goto(f"/sessions/{plan_id}/1")
    page.get_by_role("link", name="Record and evaluate").click()
    page.wait_for_url(f"**/sessions/{plan_id}/1/record")
    check(page, "record-form")

    page.get_by_label("In the client’s words").fill(REPORT)
    page.get_by_label("Pain before the session").fill("6")
    page.get_by_label("Pain after the session").fill("3")
    page.get_by_label("Better").check()
    page.get_by_label("The client’s own rating").fill("8")
    page.get_by_label("Change the interval between sessions").check()
    page.get_by_label("New interval, in days").fill("14")
    page.get_by_role("button", name="Save the note and evaluation").click()

    heading = page.get_by_role("heading", name="The remaining sessions every 14 days")
    heading.wait_for()
    assert page.locator(".preview-table tbody tr").count() == 5
    assert page.get_by_label("In the client’s words").input_value() == REPORT
    check(page, "record-preview")

    page.get_by_role("button", name="Confirm and save").click()
    page.get_by_text("is recorded and evaluated").wait_for()
    assert "every 14 days" in page.locator(".flash").inner_text()
    assert REPORT in page.locator("section", has_text="The note").first.inner_text()
    check(page, "record-saved")

    page.get_by_text("Amend the note", exact=True).first.click()
    amend = page.locator("form", has=page.get_by_role("button", name="Amend the note"))
    amend.get_by_label("In the client’s words").fill(REPORT + ", and walked to work")
    amend.get_by_label("Why the note is amended").fill("the client added this at checkout")
    amend.get_by_role("button", name="Amend the note").click()
    page.get_by_text("the original stays in its history").wait_for()
    history = page.locator(".amendments").inner_text()
    assert "Note amended by Ada Browser on" in history
    assert "the client added this at checkout" in history
    page.locator(".amendments summary").first.click()
    assert REPORT in page.locator(".amendments details").first.inner_text()
    check(page, "record-amended")

    assert len(check.found) == 4 * len(browsing.VIEWPORTS)
    assert check.problems() == {}
