"""Issue #15's story, end to end in Debian's Chromium over a real server whose clock is
moved forward with libfaketime: a therapist assesses a client at a first visit and proposes
a weekly plan, marking the focus areas on the body chart; the desk agrees it and books the
series; on three later days the therapist records and evaluates a session, sees the progress
graph grow, re-paces the rest to every 14 days (preview, then confirm) and amends a note.

Nothing is recorded before a session starts and booking refuses past times, so the server's
clock (not the test's) is moved to each day: libfaketime is preloaded into the server, which
re-reads its offset from a file on every clock read. Every therapist page met is axe-checked
and photographed at desktop, tablet and phone size under test-artifacts/browser/story/.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from service.bootstrap import build_regimen
from service.config import Settings
from service.domain.plan import TreatmentPlan
from tests.system import browsing
from tests.system.browsing import ARTIFACTS, DESKTOP
from tests.system.server_clock import ServerClock
from tests.system.story_clinic import CLIENT, COMPLAINT, LONDON, START, THERAPIST, arrange

pytestmark = pytest.mark.system

FOLDER = ARTIFACTS / "story"
# Pain before and after, and the client's rating, at sessions 1 to 3.
PAIN = {1: (7, 5, 6), 2: (6, 4, 7), 3: (4, 2, 8)}
ORIGINAL_NOTE = "Worked the lumbar erectors; the right piriformis was very tender."
AMENDED_NOTE = "Worked the lumbar erectors and quadratus lumborum; right piriformis tender."


def sign_in(page: Any, token: str, landing: str) -> None:
    """Sign in with the keyboard only, as a new day starts."""
    browsing.keyboard_sign_in(page, token)
    page.wait_for_url(f"**{landing}")


def day_heading(day: date) -> str:
    return f"Today, {day:%A %d %B %Y}"


def london(instant: datetime) -> datetime:
    return instant.astimezone(LONDON)


def test_a_therapist_assesses_plans_treats_re_paces_and_amends_over_two_months(
    browser: Any,
    sqlite_url: str,
    serve: Any,
    tmp_path: Path,
) -> None:
    clock = ServerClock(tmp_path / "server-clock")
    environment = clock.environment()  # skips or fails here without libfaketime
    clinic = arrange(sqlite_url)
    check = browsing.EverySize(FOLDER)
    clock.move_to(clinic.visit_start + timedelta(minutes=10))
    base_url = serve(sqlite_url, env=environment).base_url
    therapist, page = browsing.axe_window(browser, base_url)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    # The visit's day: the server's clock really is there (My day says which day it is).
    visit_day = london(clinic.visit_start).date()
    sign_in(page, clinic.therapist_token, "/today")
    assert page.get_by_role("heading", level=1).inner_text() == day_heading(visit_day)
    assess = page.get_by_role("link", name=f"Assess assessment visit of {CLIENT}")
    check(page, "01-my-day-visit")
    assess.click()
    page.wait_for_url(f"**/visits/{clinic.visit_id}/assess")
    assert page.locator("#a-complaint").input_value() == COMPLAINT

    page.get_by_label("How long").fill("3 months")
    page.get_by_label("Pain now, 0–10").fill("7")
    page.get_by_label("Gradual").check()
    page.get_by_label("How the pain feels").fill("a dull ache, sharp when bending")
    page.locator("#a-rom_joint_0").fill("hip")
    page.locator("#a-rom_movement_0").fill("flexion")
    page.locator("#a-rom_side_0").select_option("right")
    page.locator("#a-rom_degrees_0").fill("95")
    page.locator("#a-posture").fill("anterior pelvic tilt")
    page.locator("#a-tissue").fill("hypertonic lumbar erectors")
    page.get_by_label("Clinical: to treat a problem").check()
    # Lower back by clicking the drawing; right hip on the checkbox list, by keyboard.
    chart = page.locator("fieldset.body-chart")
    chart.locator('path[data-area="lower back"]').first.click()
    assert chart.get_by_label("lower back", exact=True).is_checked()
    chart.get_by_label("right hip", exact=True).focus()
    page.keyboard.press("Space")
    hip = chart.locator('path[data-area="right hip"]').first
    assert "is-on" in (hip.get_attribute("class") or "")
    page.get_by_label("deep tissue", exact=True).check()
    page.get_by_label("Sessions", exact=True).fill("6")
    page.get_by_label("Days between sessions").fill("7")
    page.get_by_label("Minutes a session").fill("60")
    page.get_by_label("heat", exact=True).check()
    check(page, "02-assess-form")
    page.get_by_role("button", name="Save the assessment and propose the plan").click()
    page.wait_for_url("**/charts/**")
    check(page, "03-chart-after-assessing")

    # The desk, in its own browser window: the client agrees, the series is booked.
    desk = browser.new_context(viewport=DESKTOP, base_url=base_url).new_page()
    desk.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(desk, clinic.desk_token, "/calendar")
    desk.get_by_role("link", name="Clients", exact=True).click()
    desk.get_by_label("Name, email or phone").fill("rosa")
    desk.get_by_role("link", name=CLIENT).click()
    desk.get_by_role("button", name="Record the client's agreement").click()
    desk.get_by_text("The client's agreement is recorded").wait_for()
    desk.get_by_role("link", name="Book 6 sessions").click()
    first_day = visit_day + timedelta(weeks=1)
    desk.get_by_label("Date", exact=True).fill(first_day.isoformat())
    desk.get_by_label("Time", exact=True).fill("10:00")
    desk.get_by_role("button", name="Preview the series").click()
    desk.get_by_role("heading", name="Preview: 6 sessions, no clashes").wait_for()
    check(desk, "04-desk-series-preview", axe=False)  # test_pages_accessible axes desk pages
    desk.get_by_role("button", name="Confirm and book 6 sessions").click()
    desk.wait_for_url(re.compile(r"/calendar\?date="))
    assert f"Booked 6 sessions for {CLIENT}" in desk.get_by_role("status").inner_text()
    desk.context.close()

    regimen = build_regimen(Settings(database_url=sqlite_url))
    try:
        plan_id = regimen.visit(clinic.visit_id).plan_id
        assert plan_id is not None
        plan = regimen.load(TreatmentPlan, plan_id)
        assert list(plan.focus_areas) == ["lower back", "right hip"]
        # The plan's history names the visit it came out of, and the visit the plan.
        [proposed] = [e for e in regimen.history(plan_id) if type(e).__name__ == "PlanProposed"]
        assert proposed.from_visit_id == clinic.visit_id
        starts = {n: plan.session(n).time.start for n in range(1, 7)}
    finally:
        regimen.close()
    assert [london(starts[n]).date() for n in range(1, 7)] == [
        visit_day + timedelta(weeks=w) for w in range(1, 7)
    ]

    for number in (1, 2, 3):
        # A new day, 10 minutes into the session: yesterday's sign-in has ended.
        clock.move_to(starts[number] + timedelta(minutes=10))
        page.goto("/today")
        page.wait_for_url(f"{base_url}/")
        sign_in(page, clinic.therapist_token, "/today")
        day = london(starts[number]).date()
        assert page.get_by_role("heading", level=1).inner_text() == day_heading(day)
        if number == 1:
            check(page, "05-my-day-session")
        page.get_by_role("link", name=f"Record session {number} of 6 of {CLIENT}").click()
        page.wait_for_url(f"**/sessions/{plan_id}/{number}/record")
        before, after, rating = PAIN[number]
        page.get_by_label("In the client’s words").fill(f"Week {number}: sleeping better")
        page.get_by_label("Pain before the session").fill(str(before))
        page.get_by_label("Notes on the treatment").fill(ORIGINAL_NOTE)
        page.get_by_label("Pain after the session").fill(str(after))
        page.get_by_label("Better", exact=True).check()
        assert page.get_by_label("Joint 1").input_value() == "hip"  # re-measured, as assessed
        page.get_by_label("Degrees 1").fill(str(100 + 5 * number))
        page.get_by_label("The client’s own rating").fill(str(rating))
        if number < 3:
            page.get_by_label("Continue as planned").check()
            if number == 1:
                check(page, "06-record-form")
            page.get_by_role("button", name="Save the note and evaluation").click()
        else:
            page.get_by_label("Change the interval between sessions").check()
            page.get_by_label("New interval, in days").fill("14")
            page.get_by_role("button", name="Save the note and evaluation").click()
            preview = page.get_by_role("heading", name="The remaining sessions every 14 days")
            preview.wait_for()
            rows = page.locator(".preview-table tbody tr")
            assert rows.count() == 3
            asked = [rows.nth(i).locator("td").nth(1).inner_text() for i in range(3)]
            shown = [datetime.strptime(text, "%a %d %b %Y, %H:%M") for text in asked]
            # Session 4 keeps its day; the ones after it follow it every 14 days.
            fourth = london(starts[4]).date()
            assert [d.date() for d in shown] == [fourth + timedelta(days=14 * k) for k in range(3)]
            check(page, "07-record-preview-14-days")
            page.get_by_role("button", name="Confirm and save").click()
        page.get_by_text(f"Session {number} is recorded and evaluated.").wait_for()

        page.get_by_role("link", name="Progress", exact=True).click()
        page.wait_for_url(f"**/plans/{plan_id}/progress")
        table = page.locator("table.progress-table tbody tr")
        assert table.count() == number
        for n in range(1, number + 1):
            cells = table.nth(n - 1).locator("th, td").all_inner_texts()
            assert (cells[0], cells[2], cells[3]) == (str(n), str(PAIN[n][0]), str(PAIN[n][1]))
        pain = page.locator("figure.chart").first
        points = pain.locator("svg g.series title").all_text_contents()
        sessions = {re.search(r"session (\d+),", p).group(1) for p in points}  # type: ignore[union-attr]
        assert sessions == {str(n) for n in range(1, number + 1)}, points
        if number == 3:
            check(page, "08-progress-three-sessions")

    # The rest of the plan is every 14 days: on the page, and in the plan itself.
    assert "every 14 days" in page.locator(".page-head").inner_text()
    regimen = build_regimen(Settings(database_url=sqlite_url))
    try:
        plan = regimen.load(TreatmentPlan, plan_id)
        later = [london(plan.session(n).time.start) for n in (4, 5, 6)]
        assert plan.series.interval_days == 14
    finally:
        regimen.close()
    assert later[0] == london(starts[4])
    gaps = [b.date() - a.date() for a, b in zip(later, later[1:], strict=False)]
    assert gaps == [timedelta(days=14)] * 2
    assert all(t.time() == START for t in later)

    # Session 1's note said too little: amended with a reason, the original kept.
    page.goto(f"/sessions/{plan_id}/1/record")
    page.get_by_text("Amend the note", exact=True).first.click()
    amend = page.locator("form", has=page.get_by_role("button", name="Amend the note"))
    amend.get_by_label("Notes on the treatment").fill(AMENDED_NOTE)
    amend.get_by_label("Why the note is amended").fill("the quadratus work was left out")
    amend.get_by_role("button", name="Amend the note").click()
    page.get_by_text("the original stays in its history").wait_for()
    history = page.locator(".amendments").inner_text()
    assert f"Note amended by {THERAPIST} on" in history
    assert "the quadratus work was left out" in history
    page.locator(".amendments summary").first.click()
    assert ORIGINAL_NOTE in page.locator(".amendments details").first.inner_text()
    assert AMENDED_NOTE in page.locator("section", has_text="The note").first.inner_text()
    check(page, "09-note-amended")

    page.get_by_role("link", name=f"{CLIENT}’s chart").click()
    page.wait_for_url("**/charts/**")
    amended = page.locator(".amended")
    assert amended.count() == 1
    assert f"The record was amended by {THERAPIST} on" in amended.inner_text()
    amended.locator("summary").click()
    assert ORIGINAL_NOTE in amended.locator("details").inner_text()
    check(page, "10-chart-amended")
    therapist.close()

    assert errors == []
    assert len(check.found) == 10 * len(browsing.VIEWPORTS)
    assert check.problems() == {}
