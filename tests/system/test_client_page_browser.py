"""A client in a real browser: the link from a reminder in the outbox opens their page; they
confirm one session and cancel another inside the window, reading the late-cancel rule
first; the desk's calendar shows both. axe finds nothing serious, nothing scrolls sideways,
and screenshots at three sizes are saved under test-artifacts/browser/client/."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from service.application import Regimen
from service.application.commands import Slot
from service.bootstrap import bootstrap, build_regimen
from service.config import Settings
from service.domain.clinic import ClinicSettings
from service.domain.clinic_contact import ClinicContact
from service.domain.proposal import PlanProposal
from service.domain.reminders import Channel, ReminderPreferences
from service.domain.values import DayHours, Role, WeeklyHours
from tests.builders import DESK, THERAPIST, Clinic, proposal
from tests.system import browsing
from tests.system.test_browser import ARTIFACTS, CLI, browser  # noqa: F401

pytestmark = pytest.mark.system
ALL_DAY = WeeklyHours(tuple(DayHours(d, time(0), time(23, 59)) for d in range(7)))
RULE = "A late cancellation is charged at half the fee."
PAGE_LINK = re.compile(r"All your sessions: (\S+)")


def seeded(regimen: Regimen, now: datetime) -> tuple[UUID, datetime, datetime]:
    """A clinic open all day (UTC), Cora consenting to email, her plan's two sessions:
    one in about three days, one in about four hours (inside the 24-hour window)."""
    settings = ClinicSettings("Riverside Clinic", "UTC", ALL_DAY, 24, True)
    regimen.configure_clinic(settings, actor=CLI)
    contact = ClinicContact(address="12 River Street", phone="0117 496 0123", late_cancel_rule=RULE)
    regimen.set_clinic_contact(contact, actor=CLI)
    therapist = regimen.register_therapist(name="Ada Therapist", email="", modalities=(), actor=CLI)
    regimen.set_working_hours(therapist, ALL_DAY, CLI)
    room = regimen.add_room(name="Room A", actor=CLI)
    client = regimen.register_client(
        name="Cora Client", email="cora@example.org", phone="", zone="UTC", notes="", actor=DESK
    )
    clinic = Clinic(therapist, therapist, room, room, client, client)
    plan_id = regimen.propose_plan(PlanProposal(**proposal(clinic)), actor=THERAPIST)
    regimen.agree_plan(plan_id, actor=DESK)
    later = (now + timedelta(days=3)).replace(hour=10, minute=0, second=0, microsecond=0)
    soon = (now + timedelta(hours=4)).replace(minute=0, second=0, microsecond=0)
    soon = soon - timedelta(hours=1) if soon.hour == 23 else soon
    for start in (soon, later):
        regimen.book_session(plan_id, Slot(start.replace(tzinfo=None), "UTC"), actor=DESK, now=now)
    # One lead time, so that the soon session's reminder falls due at the next whole minute.
    due = (datetime.now(UTC) + timedelta(minutes=1)).replace(second=0, microsecond=0)
    preferences = ReminderPreferences((Channel.EMAIL,), leads=(soon - due,), quiet_hours=None)
    regimen.set_reminder_preferences(client, preferences, DESK)
    return due, soon, later


def test_a_client_confirms_and_cancels_from_the_reminders_link_and_the_desk_sees_both(
    browser: Any,  # noqa: F811
    sqlite_url: str,
    serve: Callable[..., Any],
    tmp_path: Path,
) -> None:
    folder = ARTIFACTS / "client"
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    regimen = build_regimen(Settings(database_url=sqlite_url))
    try:
        due, soon, later = seeded(regimen, now)
        _, desk_token = regimen.add_user("browser-desk", Role.FRONT_DESK, CLI)
    finally:
        regimen.close()
    server = serve(sqlite_url)

    # The scheduler's dispatch, when the reminder is due, writes it to the file outbox.
    outbox = tmp_path / "outbox"
    settings = Settings(database_url=sqlite_url, outbox_dir=str(outbox), public_url=server.base_url)
    wiring = bootstrap(settings)
    try:
        assert wiring.dispatcher().dispatch(due).sent == 1
    finally:
        wiring.close()
    [email] = (outbox / "email").glob("*.eml")
    body = email.read_text()
    assert "12 River Street" in body and "late cancellation" in body
    [page_url] = PAGE_LINK.findall(body.replace("=\n", ""))
    assert page_url.startswith(f"{server.base_url}/c/")

    context, page = browsing.axe_window(browser, server.base_url)
    page = browsing.watched(page)
    found: dict[str, list[str]] = {}

    def look(name: str) -> None:
        for size, viewport in browsing.VIEWPORTS.items():
            page.set_viewport_size(viewport)
            page.screenshot(path=str(folder / f"{name}-{size}.png"), full_page=True)
            found[f"{name} ({size})"] = browsing.axe_problems(page, browsing.SERIOUS)
            assert not browsing.scrolls_sideways(page), f"{name} scrolls sideways at {size}"
        page.set_viewport_size(browsing.DESKTOP)

    page.goto(page_url)
    assert page.title() == "Your sessions · Riverside Clinic"
    look("page")
    cards = page.locator("ul.client-sessions > li")
    assert cards.count() == 2

    # Confirm the later session with the keyboard: its button, then Enter.
    later_card = cards.nth(1)
    assert f"{later:%A} {later.day} {later:%B %Y at %H:%M}" in later_card.inner_text()
    later_card.get_by_role("button", name="I will come").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**done=confirmed")
    assert "noted that you will come" in page.get_by_role("status").inner_text()
    assert page.locator("ul.client-sessions > li").nth(1).get_by_text("Confirmed").count() == 1

    # Moving it offers free times near it, grouped by day.
    page.locator("ul.client-sessions > li").nth(1).get_by_role("link", name="Move it").click()
    assert page.get_by_role("radio").count() > 10
    look("move")
    page.get_by_role("link", name="Keep it").click()

    # Cancel the session four hours away: the rule is stated before anything is cancelled.
    page.locator("ul.client-sessions > li").nth(0).get_by_role("link", name="Cancel").click()
    alert = page.get_by_role("alert")
    assert "This is a late cancellation" in alert.inner_text() and RULE in alert.inner_text()
    look("cancel")
    page.get_by_role("button", name="Cancel it anyway (late)").click()
    page.wait_for_url("**done=cancelled-late")
    assert page.locator("ul.client-sessions > li").count() == 1
    assert page.problems == []
    context.close()

    # The desk's calendar shows the confirmation and the late cancellation.
    desk = browser.new_context(viewport=browsing.DESKTOP, base_url=server.base_url)
    desk_page = desk.new_page()
    browsing.keyboard_sign_in(desk_page, desk_token)
    desk_page.wait_for_url("**/calendar**")
    for day, word in ((later, "Confirmed"), (soon, "late cancel")):
        desk_page.goto(f"/calendar?date={day:%Y-%m-%d}&view=day")
        assert word in desk_page.content(), (day, word)
    desk.close()
    assert {name: problems for name, problems in found.items() if problems} == {}
