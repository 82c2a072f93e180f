"""A client in a real browser: the link from a reminder in the outbox opens their page; they
confirm one session and cancel another inside the window, reading the late-cancel rule
first, then book their plan's next session; the desk's calendar shows the confirmation and
the late cancel. axe finds nothing serious, nothing scrolls sideways, and screenshots at
three sizes are saved under test-artifacts/browser/client/."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from service.application import Regimen
from service.application.commands import ClientDetails, Slot, TherapistDetails
from service.bootstrap import bootstrap, build_regimen
from service.config import Settings
from service.domain.clinic import ClinicSettings
from service.domain.clinic_contact import ClinicContact
from service.domain.proposal import PlanProposal
from service.domain.reminders import Channel, ReminderPreferences
from service.domain.values import DayHours, Role, WeeklyHours
from tests.builders import CLI, DESK, THERAPIST, Clinic, proposal
from tests.system import browsing
from tests.system.browsing import ARTIFACTS

pytestmark = pytest.mark.system
ALL_DAY = WeeklyHours(tuple(DayHours(d, time(0), time(23, 59)) for d in range(7)))
RULE = "A late cancellation is charged at half the fee."
PAGE_LINK = re.compile(r"All your sessions: (\S+)")


def seeded(regimen: Regimen, now: datetime) -> tuple[UUID, datetime, datetime]:
    """A clinic open all day (UTC), Cora consenting to email, her plan's two sessions:
    one in about three days, one in about four hours (inside the 24-hour window)."""
    settings = ClinicSettings("Riverside Clinic", "UTC", ALL_DAY, 24, True, self_booking=True)
    regimen.configure_clinic(settings, actor=CLI)
    contact = ClinicContact(address="12 River Street", phone="0117 496 0123", late_cancel_rule=RULE)
    regimen.set_clinic_contact(contact, actor=CLI)
    therapist = regimen.register_therapist(TherapistDetails(name="Ada Therapist"), actor=CLI)
    regimen.set_working_hours(therapist, ALL_DAY, CLI)
    room = regimen.add_room(name="Room A", actor=CLI)
    client = regimen.register_client(
        ClientDetails(name="Cora Client", email="cora@example.org", zone="UTC"),
        actor=DESK,
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


FOLDER = ARTIFACTS / "client"


def link_from_the_outbox(sqlite_url: str, base_url: str, due: datetime, outbox: Path) -> str:
    """The scheduler's dispatch, when the reminder is due, writes it to the file outbox: the
    link to the client's page, read from the email."""
    settings = Settings(database_url=sqlite_url, outbox_dir=str(outbox), public_url=base_url)
    wiring = bootstrap(settings)
    try:
        assert wiring.dispatcher().dispatch(due).sent == 1
    finally:
        wiring.close()
    [email] = (outbox / "email").glob("*.eml")
    body = email.read_text()
    assert "12 River Street" in body and "late cancellation" in body
    [page_url] = PAGE_LINK.findall(body.replace("=\n", ""))
    assert page_url.startswith(f"{base_url}/c/")
    return str(page_url)


def served(
    sqlite_url: str, serve: Callable[..., Any], tmp_path: Path
) -> tuple[Any, str, tuple[datetime, datetime, str]]:
    """The seeded clinic served, the link to Cora's page from her reminder, and her two
    sessions' starts and a desk user's token."""
    regimen = build_regimen(Settings(database_url=sqlite_url))
    try:
        due, soon, later = seeded(regimen, datetime.now(UTC))
        _, desk_token = regimen.add_user("browser-desk", Role.FRONT_DESK, CLI)
    finally:
        regimen.close()
    server = serve(sqlite_url)
    page_url = link_from_the_outbox(sqlite_url, server.base_url, due, tmp_path / "outbox")
    return server, page_url, (soon, later, desk_token)


def desk_calendar_shows(
    chromium: Any, base_url: str, token: str, days: dict[str, datetime]
) -> None:
    """The desk's calendar of each day holds its word."""
    desk = chromium.new_context(viewport=browsing.DESKTOP, base_url=base_url)
    desk_page = desk.new_page()
    browsing.keyboard_sign_in(desk_page, token)
    desk_page.wait_for_url("**/calendar**")
    for word, day in days.items():
        desk_page.goto(f"/calendar?date={day:%Y-%m-%d}&view=day")
        assert word in desk_page.content(), (day, word)
    desk.close()


def test_a_client_confirms_and_cancels_from_the_reminders_link_and_the_desk_sees_both(
    browser: Any,
    sqlite_url: str,
    serve: Callable[..., Any],
    tmp_path: Path,
) -> None:
    server, page_url, (soon, later, desk_token) = served(sqlite_url, serve, tmp_path)

    context, page = browsing.axe_window(browser, server.base_url)
    page = browsing.watched(page)
    look = browsing.EverySize(FOLDER)
    page.goto(page_url)
    assert page.title() == "Your sessions · Riverside Clinic"
    look(page, "page")
    cards = page.locator("ul.client-sessions > li")
    assert cards.count() == 2

    # Confirm the later session with the keyboard: its button, then Enter.
    assert f"{later:%A} {later.day} {later:%B %Y at %H:%M}" in cards.nth(1).inner_text()
    cards.nth(1).get_by_role("button", name="I will come").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**done=confirmed")
    assert "noted that you will come" in page.get_by_role("status").inner_text()
    assert cards.nth(1).get_by_text("Confirmed").count() == 1

    # Moving it offers free times near it, grouped by day.
    cards.nth(1).get_by_role("link", name="Move it").click()
    assert page.get_by_role("radio").count() > 10
    look(page, "move")
    page.get_by_role("link", name="Keep it").click()

    # Cancel the session four hours away: the rule is stated before anything is cancelled.
    cards.nth(0).get_by_role("link", name="Cancel").click()
    alert = page.get_by_role("alert")
    assert "This is a late cancellation" in alert.inner_text() and RULE in alert.inner_text()
    look(page, "cancel")
    page.get_by_role("button", name="Cancel it anyway (late)").click()
    page.wait_for_url("**done=cancelled-late")
    assert cards.count() == 1

    # The clinic allows self-booking: the plan's next session, at a time the page offers.
    page.get_by_role("link", name="Book the next one").click()
    look(page, "book")
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Book this time").click()
    page.wait_for_url("**done=booked")
    assert cards.count() == 2
    assert page.problems == []
    context.close()

    desk_calendar_shows(
        browser, server.base_url, desk_token, {"Confirmed": later, "late cancel": soon}
    )
    assert len(look.found) == 4 * len(browsing.VIEWPORTS)
    assert look.problems() == {}
