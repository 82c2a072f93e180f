"""An auditor in the browser, on the demo clinic: find Hannah Fischer's plan, see who moved
session 3 and when, the plan as it stood before, the two versions compared, the seal check.
Every page axe-clean at desktop, tablet and phone size; screenshots in
test-artifacts/browser/auditor/."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from playwright.sync_api import expect

from service.application.commands import SeriesBooking, Slot
from service.bootstrap import build_regimen
from service.config import Settings
from service.domain.values import Role
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from service.scheduler.booking_policy import ConflictPolicy
from tests.builders import CLI
from tests.system import browsing
from tests.system.browsing import ARTIFACTS
from tests.system.conftest import DemoWindows

pytestmark = pytest.mark.system

FOLDER = ARTIFACTS / "auditor"


def book_and_move(database_url: str) -> tuple[UUID, str]:
    """Maria Lopez (the demo's front desk) books Hannah's six sessions and moves session 3
    two days on; an auditor's token is made. Returns the plan and the token."""
    regimen = build_regimen(Settings(database_url=database_url))
    try:
        reads = ReadModel(Projector(regimen)).fresh()
        [hannah] = reads.directory("client", "hannah fischer").items
        [plan] = reads.plans(client_id=hannah["id"]).items
        plan_id = UUID(plan["plan_id"])
        [maria] = [a.actor for a in regimen.list_users() if a.name == "Maria Lopez"]
        token = regimen.add_user("Ines Auditor", Role.AUDITOR, CLI)[1]
        now = datetime.now(UTC)
        monday = now.date() + timedelta(days=7 - now.weekday() + 21)  # a Monday weeks ahead
        start = Slot(
            datetime.combine(monday, datetime.min.time()).replace(hour=10), "Europe/London"
        )
        regimen.book_series(
            plan_id, SeriesBooking(start, ConflictPolicy.SHIFT), actor=maria, now=now
        )
        third = regimen.plan(plan_id).sessions[2].time.local_start.date()
        free = regimen.free_time(
            UUID(plan["therapist_id"]),
            first_day=third + timedelta(days=2),
            last_day=third + timedelta(days=6),
            minutes=int(plan["session_minutes"]),
            now=now,
        )
        later = next(t for t in free if t.local_start.hour >= 14)
        regimen.reschedule_session(
            plan_id,
            3,
            Slot(later.local_start.replace(tzinfo=None), later.zone),
            actor=maria,
            now=now,
        )
    finally:
        regimen.close()
    return plan_id, token


def test_an_auditor_finds_who_moved_a_session_and_proves_the_record(
    demo_windows: DemoWindows,
) -> None:
    plan_id, token = book_and_move(demo_windows.database_url)
    check = browsing.EverySize(FOLDER)
    page = demo_windows.signed_in(token)
    page.wait_for_url("**/audit")

    # Find Hannah Fischer's plan.
    page.get_by_label("Client").fill("hannah")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name="Remove the filter Client: hannah").wait_for()
    check(page, "01-find")
    page.get_by_role("link", name="Hannah Fischer").click()

    # The timeline: who moved session 3, and when.
    page.wait_for_url(f"**/audit/plans/{plan_id}")
    move = page.locator("li", has_text="moved session 3")
    line = move.locator(".line").inner_text()
    assert re.fullmatch(
        r"Front desk — Maria Lopez moved session 3 from \w{3} \d+ \w{3} 10:00 to .+", line
    )
    when = move.locator("time")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", when.get_attribute("datetime") or "")
    check(page, "02-timeline")

    # The plan as it stood before the move: session 3 still at 10:00.
    version = int(re.search(r"version (\d+),", move.inner_text()).group(1))  # type: ignore[union-attr]
    page.get_by_role("link", name="As it stood").click()
    page.get_by_label("At version").select_option(str(version - 1))
    page.get_by_role("button", name="Show this version").click()
    page.get_by_role("heading", name=re.compile(f"Version {version - 1} of {version}")).wait_for()
    third = page.locator("table tbody tr").nth(2)
    assert "10:00" in third.inner_text()
    check(page, "03-as-it-stood")

    # Compare the two versions: session 3's time is highlighted.
    page.get_by_role("link", name="Compare with now").click()
    page.get_by_role("heading", name=re.compile("1 field changed|fields changed")).wait_for()
    expect(page.locator("tr.differs", has_text="Session 3")).to_have_count(1)
    expect(page.locator("tr.differs", has_text="Session 2")).to_have_count(0)
    assert page.locator("tr.changed-row", has_text="Session 3 › time").count() >= 1
    check(page, "04-compare")

    # The seal check, and the head hash to copy; the access log shows this auditor's reads.
    page.get_by_role("link", name="Proof and access log").click()
    expect(page.get_by_role("status").filter(has_text="Passed.")).to_have_count(1)
    page.get_by_role("button", name="Check the whole store").click()
    expect(page.locator(".result.ok")).to_have_count(2)
    assert re.fullmatch(r"\d+:[0-9a-f]{64}", page.get_by_label(re.compile("hash")).input_value())
    assert page.locator("td", has_text="Auditor — Ines Auditor").count() >= 3
    check(page, "05-proof")

    # Who did what: Maria's actions, by name.
    page.get_by_role("link", name="Who did what").click()
    page.get_by_label("Who").select_option(label="Maria Lopez")
    page.get_by_label("What").select_option(label="Session rescheduled")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("link", name="Remove the filter Who: Maria Lopez").wait_for()
    expect(page.locator("td", has_text="Session rescheduled")).to_have_count(1)
    check(page, "06-who-did-what")
    assert len(check.found) == 6 * len(browsing.VIEWPORTS)
    assert check.problems() == {}
