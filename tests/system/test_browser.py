"""The front desk page in a real browser (Debian's Chromium) over a real server process.

Screenshots of each step are saved under test-artifacts/browser/ for people to look at.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
import requests

from tests.api.helpers import bearer
from tests.system.browsing import ARTIFACTS, DESKTOP, TABLET, keyboard_sign_in, watched

pytestmark = pytest.mark.system

LIVE_TIMEOUT_MS = 45_000  # the grid polls every 5 s; a deadline for a loaded machine


def open_desk(browser: Any, base_url: str, token: str, viewport: dict[str, int]) -> Any:
    """A new browser window, signed in with the keyboard only."""
    page = watched(browser.new_context(viewport=viewport, base_url=base_url).new_page())
    keyboard_sign_in(page, token)
    page.wait_for_url("**/calendar")
    return page


def shot(page: Any, name: str, full: bool = False) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)


CLIENT_PAGE = re.compile(r"/clients/[0-9a-f-]{36}$")


def test_the_desk_books_a_series_through_a_clash_and_cancels_the_rest(
    browser: Any, demo_clinic: tuple[str, str]
) -> None:
    base_url, token = demo_clinic
    page = open_desk(browser, base_url, token, DESKTOP)
    shot(page, "01-calendar-day")

    # Find Hannah Fischer, whose agreed plan has nothing booked yet.
    page.get_by_role("link", name="Clients", exact=True).click()
    page.get_by_label("Name, email or phone").fill("hann")
    page.get_by_role("link", name="Hannah Fischer").click()
    shot(page, "02-client")
    page.get_by_role("link", name="Book 6 sessions").click()

    # Preview the suggested slot: the clash with Samuel's session (and, near Christmas, the
    # closure) is marked, and shift moves it. tests/web/test_demo_story.py pins the one clash.
    page.get_by_label(re.compile("Move a clashing session")).check()
    page.get_by_role("button", name="Preview the series").click()
    page.get_by_role("heading", name=re.compile(r"Preview: 6 sessions, \d+ clash")).wait_for()
    clashes = page.locator("tr.clash")
    assert clashes.count() >= 1
    for row in clashes.all():
        assert "Conflict — moved" in row.inner_text()
    shot(page, "03-preview-with-clash", full=True)

    # Confirm: the calendar opens on the first session, Hannah at 10:00.
    page.get_by_role("button", name="Confirm and book 6 sessions").click()
    page.wait_for_url(re.compile(r"/calendar\?date="))
    assert "Booked 6 sessions for Hannah Fischer" in page.get_by_role("status").inner_text()
    hannah = page.get_by_role("link", name=re.compile("Hannah Fischer with Amira Haddad"))
    assert hannah.is_visible()
    shot(page, "04-booked-on-calendar")

    # Cancel the rest of the series from the fourth session on.
    page.get_by_role("link", name="Clients", exact=True).click()
    page.get_by_label("Name, email or phone").fill("hann")
    page.get_by_role("link", name="Hannah Fischer").click()
    page.wait_for_url(CLIENT_PAGE)  # counted on her page, not the list it leaves
    region = page.get_by_role("region", name="Upcoming sessions")
    upcoming = region.get_by_role("link", name=re.compile(r"\d{4}, \d\d:\d\d"))  # sessions
    assert upcoming.count() == 6
    upcoming.nth(3).click()
    page.get_by_label("Reason").fill("moving abroad")
    page.locator("#cancel-scope-rest").check()
    shot(page, "05-cancel-the-rest")
    page.get_by_role("button", name="Cancel session").click()
    page.get_by_role("button", name="Yes, cancel 3 sessions").click()  # it asks first
    page.wait_for_url(re.compile(r"/calendar\?date="))
    assert "The rest of the series is cancelled." in page.get_by_role("status").inner_text()
    cancelled = page.get_by_role("heading", name="Cancelled on this day")
    assert cancelled.is_visible()
    shot(page, "06-day-after-cancelling")
    page.get_by_role("link", name="Clients", exact=True).click()
    page.get_by_label("Name, email or phone").fill("hann")
    page.get_by_role("link", name="Hannah Fischer").click()
    page.wait_for_url(CLIENT_PAGE)
    assert upcoming.count() == 3  # the fourth session and every later one are cancelled
    assert page.problems == []


def a_weekday_ahead(days: int) -> date:
    """The first weekday at least `days` from today: the demo clinic is open and it is ahead."""
    day = date.today() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def test_the_desk_registers_a_client_and_books_their_assessment_in_a_free_hour(
    browser: Any, demo_clinic: tuple[str, str]
) -> None:
    base_url, token = demo_clinic
    page = open_desk(browser, base_url, token, DESKTOP)

    # A first-time caller: register them; with no plan yet, their page offers a first visit.
    page.get_by_role("link", name="Clients", exact=True).click()
    page.get_by_label("Full name").fill("Priya Newcomer")
    page.get_by_label("Email (optional)").fill("priya.newcomer@example.org")
    page.get_by_role("button", name="Register client").click()
    page.get_by_role("heading", name="Priya Newcomer").wait_for()
    assert page.get_by_role("link", name="Book a first visit").is_visible()

    # On the day view, a free hour of a therapist's column is a link: reach it, press Enter.
    day = a_weekday_ahead(7)
    page.goto(f"/calendar?date={day.isoformat()}")
    free = page.get_by_role("link", name=re.compile(r"^Book \d\d:00 with ")).first
    label = free.get_attribute("aria-label") or ""
    hour, therapist = re.fullmatch(r"Book (\d\d:00) with (.+)", label).groups()
    shot(page, "12-free-hours")
    free.focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Book a visit").wait_for()
    assert page.get_by_label("Time", exact=True).input_value() == hour

    # Find the client, keep the assessment, note the complaint, book.
    page.get_by_label("Name, email or phone").fill("priya")
    page.get_by_role("button", name="Find").click()
    page.get_by_label("Client", exact=True).select_option(
        label="Priya Newcomer (priya.newcomer@example.org)"
    )
    assert page.get_by_label("Assessment").is_checked()
    page.get_by_label(re.compile("Complaint")).fill("Stiff neck after a long drive")
    shot(page, "13-book-a-visit", full=True)
    page.get_by_role("button", name="Book the visit").click()
    page.wait_for_url(re.compile(r"/visits/[0-9a-f-]{36}$"))
    assert "Assessment booked for Priya Newcomer" in page.get_by_role("status").inner_text()

    # Back on the calendar, the visit is there, labelled, with the therapist of that hour.
    page.get_by_role("link", name=re.compile("^← Calendar")).click()
    visit = page.get_by_role("link", name=re.compile(f"Priya Newcomer with {therapist}"))
    assert visit.is_visible() and "Assessment" in visit.inner_text()
    assert hour in visit.inner_text()
    shot(page, "14-visit-on-calendar")
    assert page.problems == []


def test_the_day_sheet_updates_itself_when_another_desk_cancels(
    browser: Any, demo_clinic: tuple[str, str]
) -> None:
    base_url, token = demo_clinic
    api = bearer(token)
    daniel = requests.get(f"{base_url}/api/v1/clients?q=daniel", headers=api, timeout=10).json()
    sessions = requests.get(
        f"{base_url}/api/v1/clients/{daniel[0]['id']}/sessions", headers=api, timeout=10
    ).json()
    first = sessions[0]
    day = first["local_start"][:10]
    page = open_desk(browser, base_url, token, DESKTOP)
    with page.expect_request(re.compile(r".*/calendar/grid\?.*"), timeout=LIVE_TIMEOUT_MS) as poll:
        page.goto(f"/calendar?date={day}")
    # The poll says it is the page's own, so it never keeps an idle session alive.
    assert poll.value.headers.get("x-regimen-background") == "poll"
    block = page.get_by_role("link", name=re.compile("Daniel Price with Tom Becker"))
    assert block.is_visible()
    shot(page, "07-day-sheet-before")

    # Another desk (through the API, served by either worker) cancels Daniel's session.
    cancel = requests.post(
        f"{base_url}/api/v1/plans/{first['plan_id']}/sessions/{first['number']}/cancel",
        json={"reason": "called in sick", "scope": "this"},
        headers=api,
        timeout=10,
    )
    assert cancel.status_code == 200, cancel.text

    # Without reloading, the grid drops the block and lists it as cancelled.
    block.wait_for(state="detached", timeout=LIVE_TIMEOUT_MS)
    page.get_by_role("heading", name="Cancelled on this day").wait_for()
    assert "Daniel Price" in page.locator("ul.cancelled").inner_text()
    shot(page, "08-day-sheet-after-live-update")


def test_the_pages_fit_a_tablet_and_show_where_the_focus_is(
    browser: Any, demo_clinic: tuple[str, str]
) -> None:
    base_url, token = demo_clinic
    page = open_desk(browser, base_url, token, TABLET)
    for path, name in (("/calendar", "09-tablet-calendar"), ("/clients", "10-tablet-clients")):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= TABLET["width"], f"{path} scrolls sideways: {width}px"
        shot(page, name)
    page.keyboard.press("Tab")  # the skip link comes first
    focused = page.evaluate(
        "(() => { const e = document.activeElement; const s = getComputedStyle(e);"
        " return [e.textContent.trim(), s.outlineStyle, s.outlineWidth]; })()"
    )
    assert focused == ["Skip to main content", "solid", "3px"]
    shot(page, "11-tablet-skip-link-focused")
